"""Writing the evaluation report (JSON with every question, Markdown tables) and gating on it."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from evals.runner import Record, as_dicts

THRESHOLDS_FILE = Path(__file__).parent / "thresholds.toml"
COLUMNS = (
    "questions", "recall@1", "recall@3", "recall@5", "mrr", "citation_precision",
    "citation_recall", "fact_accuracy", "refusal_precision", "refusal_recall",
    "latency_p50_ms", "latency_p95_ms",
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


def markdown(table: Mapping[str, Mapping[str, float]], failures: Sequence[str]) -> str:
    lines = ["# Evaluation report", "", "| group | " + " | ".join(COLUMNS) + " |"]
    lines.append("|" + "---|" * (len(COLUMNS) + 1))
    for row, values in table.items():
        lines.append(f"| {row} | " + " | ".join(_cell(values[c]) for c in COLUMNS) + " |")
    lines += ["", "## Gate", ""]
    lines += [f"- FAIL {f}" for f in failures] or ["All thresholds met."]
    return "\n".join(lines) + "\n"


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
