"""The benchmark results as Markdown tables, and their place in the README."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

BEGIN, END = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"


def _latency(entry: dict[str, Any] | None) -> str:
    return f"{entry['p50_ms']:.0f} / {entry['p95_ms']:.0f}" if entry else "–"


def table(runs: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| Run | Paragraphs | Build s | Build paragraphs/s | Reopen s | search p50 / p95 ms "
        "| ask p50 / p95 ms | Peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        if r["scenario"] == "baseline":
            continue
        lines.append(
            f"| {r['label']} | {r['paragraphs']:,} | {r['build_s']} | {r['build_per_s']:,} "
            f"| {r['reopen_s']} | {_latency(r['search'])} | {_latency(r['ask'])} "
            f"| {r['peak_rss_mb']:,} |"
        )
    built = {r["label"]: r["build_s"] for r in runs if r["scenario"] == "scale"}
    lines += ["", *baseline_table([r for r in runs if r["scenario"] == "baseline"], built)]
    return "\n".join(lines) + "\n"


def baseline_table(runs: Sequence[dict[str, Any]], built: dict[str, float]) -> list[str]:
    """Each baseline beside ours on the same index; `built` holds our build seconds by the
    label of the run that built it (the baseline's `reuses`)."""
    if not runs:
        return []
    lines = [
        "| Same data | Paragraphs | LlamaIndex build s | ours build s "
        "| LlamaIndex search p50 / p95 ms | ours p50 / p95 ms "
        "| p95 ratio (LlamaIndex / ours) | LlamaIndex ask p95 ms | ours ask p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        ratio = r["baseline_search"]["p95_ms"] / r["search"]["p95_ms"]
        ours = built.get(r.get("reuses", ""), "–")
        lines.append(
            f"| {r['label']} | {r['paragraphs']:,} | {r['baseline_build_s']} | {ours} "
            f"| {_latency(r['baseline_search'])} | {_latency(r['search'])} | {ratio:.2f} "
            f"| {r['baseline_ask']['p95_ms']:.0f} | {r['ask']['p95_ms']:.0f} |"
        )
    return lines


def cold_table(rows: Sequence[dict[str, Any]]) -> str:
    lines = ["| Cold start (process start to …) | Seconds | Peak RSS MB |", "|---|---:|---:|"]
    for row in rows:
        rss = "–" if row["peak_rss_mb"] is None else f"{row['peak_rss_mb']:,}"
        lines.append(f"| {row['label']} | {row['seconds']} | {rss} |")
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, markdown: str) -> None:
    """Replace what lies between the benchmark markers with `markdown`."""
    text = readme.read_text(encoding="utf-8")
    head, found, rest = text.partition(BEGIN)
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise SystemExit(f"{readme} has no {BEGIN} ... {END} markers")
    readme.write_text(f"{head}{BEGIN}\n{markdown}{END}{tail}", encoding="utf-8")
