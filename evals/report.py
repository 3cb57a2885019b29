"""Writing the evaluation report (JSON with every question, Markdown tables) and gating on it."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from evals.runner import Record, as_dicts

THRESHOLDS_FILE = Path(__file__).parent / "thresholds.toml"
CHART_METRICS = (
    "recall@1",
    "recall@5",
    "mrr",
    "citation_precision",
    "fact_accuracy",
    "refusal_recall",
)
COLUMNS = (
    "questions", "recall@1", "recall@3", "recall@5", "mrr", "citation_precision",
    "citation_recall", "fact_accuracy", "refusal_precision", "refusal_recall",
    "false_refusals", "refusal_or_doubt_recall", "doubted", "attribution",
    "attribution_when_cited", "dropped_marker_rate",
    "llm_answer_share", "latency_p50_ms", "latency_p95_ms",
)  # fmt: skip


def load_thresholds(path: Path = THRESHOLDS_FILE) -> dict[str, dict[str, float]]:
    """{"hybrid/ar": {"recall@5": 0.94, ...}, ...} from the TOML gate file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        f"{config}/{group}": dict(metrics)
        for config, groups in data.items()
        if isinstance(groups, dict)
        for group, metrics in groups.items()
    }


def check(
    table: Mapping[str, Mapping[str, float]], thresholds: Mapping[str, Mapping[str, float]]
) -> list[str]:
    """Every metric under its threshold, as a readable line; empty when the gate passes."""
    failures = []
    for row, minimums in thresholds.items():
        if row not in table:
            continue
        for metric, least in minimums.items():
            value = table[row][metric]
            if math.isnan(value) or value < least:
                failures.append(f"{row} {metric} = {value:.3f} < {least:.3f}")
    return failures


def _cell(value: float) -> str:
    if math.isnan(value):
        return "–"
    return str(int(value)) if float(value).is_integer() and value > 1 else f"{value:.3f}"


def baseline_gap(table: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Markdown rows: how far the default pipeline is ahead of the LlamaIndex baseline."""
    rows = []
    for group in ("all", "ar", "en"):
        ours, theirs = table.get(f"hybrid/{group}"), table.get(f"baseline/{group}")
        if ours and theirs:
            cells = [f"{ours[m] - theirs[m]:+.3f}" for m in CHART_METRICS]
            rows.append(f"| {group} | " + " | ".join(cells) + " |")
    if not rows:
        return []
    head = ["", "## Ahead of the baseline (hybrid minus plain LlamaIndex)", ""]
    head += [
        "| group | " + " | ".join(CHART_METRICS) + " |",
        "|" + "---|" * (len(CHART_METRICS) + 1),
    ]
    return head + rows


def markdown(table: Mapping[str, Mapping[str, float]], failures: Sequence[str]) -> str:
    lines = ["# Evaluation report", "", "![metrics](report.png)", ""]
    lines += ["| group | " + " | ".join(COLUMNS) + " |", "|" + "---|" * (len(COLUMNS) + 1)]
    for row, values in table.items():
        lines.append(f"| {row} | " + " | ".join(_cell(values[c]) for c in COLUMNS) + " |")
    lines += baseline_gap(table)
    lines += ["", "## Gate", ""]
    lines += [f"- FAIL {f}" for f in failures] or ["All thresholds met."]
    return "\n".join(lines) + "\n"


def chart(table: Mapping[str, Mapping[str, float]], path: Path) -> None:
    """Grouped bars: the main metrics for each configuration and language, side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in table if r.split("/")[1] in ("ar", "en")]
    fig, ax = plt.subplots(figsize=(max(8, 1.3 * len(rows)), 4.5), dpi=110)
    width = 0.8 / len(CHART_METRICS)
    for i, metric in enumerate(CHART_METRICS):
        values = [0.0 if math.isnan(table[r][metric]) else table[r][metric] for r in rows]
        ax.bar([x + i * width for x in range(len(rows))], values, width, label=metric)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(rows))], rows, rotation=20)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title("Retrieval, citation and answer quality per configuration and language")
    ax.legend(ncol=len(CHART_METRICS), fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_report(
    out: Path,
    records: Sequence[Record],
    table: Mapping[str, Mapping[str, float]],
    failures: Sequence[str],
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    payload = {"summary": table, "gate": list(failures), "records": as_dicts(records)}
    (out / "report.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    (out / "report.md").write_text(markdown(table, failures), encoding="utf-8")
    chart(table, out / "report.png")
