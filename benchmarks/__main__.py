"""python -m benchmarks [--quick] [--whole] [--beyond] [--out DIR] [--readme README.md]

Runs every scenario in its own process, records wall time and peak memory, and
writes `results.json` and `results.md` (the README's table) under `--out`;
with `--readme`, also replaces the table between the README's benchmark
markers. Numbers vary with the machine's other load: they are measurements,
never test assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from assistant.models.precision import fastest, products
from assistant.settings import Settings
from benchmarks.chroma_server import chroma_server, free_port
from benchmarks.report import cold_table, table, update_readme

QUESTION = "ما الذي سحبته روسيا من كوبا؟"


@dataclass(frozen=True)
class Run:
    label: str
    scenario: str
    args: dict[str, Any]
    server: bool = False
    profile: bool = False  # where search time goes (pyinstrument), on the largest real slice
    reuses: str = ""  # the label of the run whose built index this one opens


def plan(quick: bool, whole: bool = False, gemma: bool = False, beyond: bool = False) -> list[Run]:
    """The real model over the five articles and real SaudiNewsNet slices: the archive's
    first 1k and 10k articles, and all of it (`whole`). Synthetic sentence-mean vectors
    (see `synthetic`) only beyond the archive's size (`beyond`: 1M paragraphs)."""
    slices = [1_000] if quick else [1_000, 10_000]
    slices += [0] if whole else []
    five = {"size": 0, "sentence_mean": False}
    runs = [Run("5 articles", "scale", five)]
    if gemma:  # the optional embedder; its weights where ASSISTANT_MODELS says
        runs.append(
            Run("5 articles, EmbeddingGemma", "scale", {**five, "embedder": "embeddinggemma"})
        )
    real = [(_slice_label(n), {"articles": n, "sentence_mean": False}) for n in slices]
    runs += [Run(label, "scale", args, profile=args is real[-1][1]) for label, args in real]
    if beyond:
        runs.append(
            Run("1M paragraphs (synthetic)", "scale", {"size": 1_000_000, "sentence_mean": True})
        )
    runs.append(Run("5 articles, Chroma server", "scale", five, server=True))
    runs += [Run(f"{label}, Chroma server", "scale", args, server=True) for label, args in real[:1]]
    runs.append(Run("5 articles vs LlamaIndex", "baseline", five, reuses="5 articles"))
    runs += [Run(f"{label} vs LlamaIndex", "baseline", args, reuses=label) for label, args in real]
    return runs


def _slice_label(articles: int) -> str:
    return (
        f"{articles // 1000}k SaudiNewsNet articles" if articles else "whole SaudiNewsNet archive"
    )


def cpu() -> dict[str, Any]:
    """The CPU the run measured, its matrix instructions, the float type the runs use
    (the settings' `embed_precision`, resolved here once when it is `auto`, then
    pinned in each child's environment), and the one `auto` picks here."""
    setting = Settings.load().index.embed_precision
    picked = fastest(products(384, 1536))
    info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                  if line.startswith("model name")), platform.processor())  # fmt: skip
    flags = set(next((line for line in info.splitlines() if line.startswith("flags")), "").split())
    wanted = ("amx_bf16", "amx_int8", "avx512_bf16", "avx512_vnni", "avx512f")
    return {"cpu": model, "cpu_flags": [f for f in wanted if f in flags],
            "e5_float_type": picked if setting == "auto" else setting,
            "e5_auto_would_pick": picked}  # fmt: skip


def environment(home: Path, float_type: str) -> dict[str, str]:
    """A child's environment: its own home, and the float type the driver chose once,
    so that every run of one report embeds alike (`auto` times both types in each
    process, and under noise two processes may pick differently)."""
    return {**os.environ, "HOME": str(home.parent), "ASSISTANT_HOME": str(home),
            "ASSISTANT_EMBED_PRECISION": float_type}  # fmt: skip


def measure(command: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    """(stdout, wall seconds, peak RSS in MB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed with status {status}")
    return out, wall, usage.ru_maxrss / 1024


def home_of(work: Path, label: str) -> Path:
    """The home a run builds its index in; a baseline opens its slice's, built already."""
    return work / ("home-" + "-".join(label.lower().replace(",", "").split()))


def run_scenario(
    run: Run, number: int, work: Path, profile: bool, float_type: str
) -> dict[str, Any]:
    home = home_of(work, run.reuses or run.label) if not run.server else work / f"home-{number}"
    args = {**run.args, "work": str(work), "home": str(home)}
    if profile and run.profile:
        args["profile"] = str(work.parent / f"profile-search-{run.args['articles']}.txt")
    command = [sys.executable, "-m", "benchmarks.scenarios", run.scenario]
    if run.server:
        with chroma_server(work / f"chroma-{number}") as url:
            out, wall, rss = measure([*command, json.dumps({**args, "chroma_url": url})],
                                     environment(home, float_type))  # fmt: skip
    else:
        out, wall, rss = measure([*command, json.dumps(args)], environment(home, float_type))
    result = json.loads(out.strip().splitlines()[-1])
    return {"label": run.label, "scenario": run.scenario, "server": run.server,
            "reuses": run.reuses, **result,
            "wall_s": round(wall, 1), "peak_rss_mb": round(rss)}  # fmt: skip


def cold_start(work: Path, built_home: Path, float_type: str) -> list[dict[str, Any]]:
    """Process start to first answer (fresh and built index) and to the web chat serving."""
    cli = [sys.executable, "-m", "assistant.cli"]
    rows = []
    fresh = work / "home-cold"
    shutil.rmtree(fresh, ignore_errors=True)
    _, wall, rss = measure([*cli, "ask", QUESTION, "--json"], environment(fresh, float_type))
    rows.append({"label": "first answer, index not built", "seconds": round(wall, 2),
                 "peak_rss_mb": round(rss)})  # fmt: skip
    built = environment(built_home, float_type)
    walls = [measure([*cli, "ask", QUESTION, "--json"], built) for _ in range(3)]
    rows.append({"label": "first answer, index built (median of 3)",
                 "seconds": round(statistics.median(w for _, w, _ in walls), 2),
                 "peak_rss_mb": round(max(r for _, _, r in walls))})  # fmt: skip
    rows.append({"label": "web chat serving its page, index built",
                 "seconds": round(_ui_ready(cli, built), 2), "peak_rss_mb": None})  # fmt: skip
    return rows


def _ui_ready(cli: list[str], env: dict[str, str]) -> float:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        while time.perf_counter() - started < 300:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the web chat did not start within 300 s")
    finally:
        server.terminate()
        server.wait(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the 1k-article slice only")
    parser.add_argument("--whole", action="store_true", help="add the whole archive (hours)")
    parser.add_argument("--beyond", action="store_true", help="add 1M synthetic paragraphs")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--work", type=Path, default=Path("out/bench"))
    parser.add_argument("--readme", type=Path, help="README to update between the markers")
    parser.add_argument("--gemma", action="store_true", help="add EmbeddingGemma (extra)")
    parser.add_argument("--no-profile", action="store_true", help="skip pyinstrument")
    args = parser.parse_args(argv)
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    args.out.mkdir(parents=True, exist_ok=True)
    results, machine = [], cpu()
    float_type = machine["e5_float_type"]
    for number, run in enumerate(plan(args.quick, args.whole, args.gemma, args.beyond)):
        print(f"{run.label} ...", file=sys.stderr, flush=True)
        results.append(run_scenario(run, number, args.work, not args.no_profile, float_type))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    cold = cold_start(args.work, home_of(args.work, "5 articles"), float_type)
    data = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            **machine,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "runs": results,
        "cold_start": cold,
    }
    (args.out / "results.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    markdown = table(results) + "\n" + cold_table(cold)
    (args.out / "results.md").write_text(markdown, encoding="utf-8")
    if args.readme:
        update_readme(args.readme, markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
