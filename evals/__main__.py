"""python -m evals [--questions FILE] [--config NAME ...] [--out DIR] [--check]"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant import Assistant, AssistantError, Settings
from assistant.settings import CALIBRATED, PRECISIONS
from evals.questions import QUESTIONS_FILE, load_questions, resolve, validate
from evals.report import THRESHOLDS_FILE, check, load_thresholds, write_report
from evals.runner import CONFIGS, run_config, summaries


def _progress(config: str):
    """A bar on a terminal; in a log, one line every tenth of the way."""
    tty = sys.stderr.isatty()

    def show(done: int, total: int) -> None:
        if not tty:
            if done == total or done % max(1, total // 10) == 0:
                print(f"{config}: {done}/{total}", file=sys.stderr, flush=True)
            return
        bar = "#" * (30 * done // total)
        print(f"\r{config:8} [{bar:30}] {done}/{total}", end="" if done < total else "\n",
              file=sys.stderr, flush=True)  # fmt: skip

    return show


def evaluated(settings: Settings) -> Settings:
    """`settings` on the float type the user chose (flag, environment or TOML), else
    the calibrated one (not `auto`: the gate's verdict must not depend on the CPU)."""
    if "embed_precision" in settings.chosen:
        return settings
    return settings.replace(embed_precision=CALIBRATED)


def main(argv: Sequence[str] | None = None, prog: str = "python -m evals") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Evaluate the assistant.")
    parser.add_argument("--questions", type=Path, default=QUESTIONS_FILE)
    parser.add_argument(
        "--config", action="append", choices=sorted(CONFIGS), dest="configs",
        help="configuration to run (repeatable); default: hybrid and baseline",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=Path("evals/out"))
    parser.add_argument("--home", type=Path, help="index folder (default: ASSISTANT_HOME)")
    parser.add_argument("--check", action="store_true", help="exit 1 when under the thresholds")
    parser.add_argument("--thresholds", type=Path, default=THRESHOLDS_FILE)
    parser.add_argument(
        "--precision", choices=PRECISIONS,
        help="e5-small's float type (default: ASSISTANT_EMBED_PRECISION when set, else "
        "bf16, the one calibrated, the same vectors on every CPU; auto: what this CPU "
        "would run)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        base = Assistant(evaluated(Settings.load(home=args.home, embed_precision=args.precision)))
        corpus = base.open().index.corpus
        questions = resolve(load_questions(args.questions), corpus)
        problems = validate(questions, corpus)
        if problems:
            print("The question set is invalid:\n" + "\n".join(problems), file=sys.stderr)
            return 2
        records = []
        for config in args.configs or ["hybrid", "baseline"]:
            records += run_config(config, base, questions, _progress(config))
    except AssistantError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    table = summaries(records)
    failures = check(table, load_thresholds(args.thresholds)) if args.check else []
    write_report(args.out, records, table, failures)
    for row in (r for r in table if "/type:" not in r):
        v = table[row]
        print(f"{row:12} recall@1 {v['recall@1']:.3f}  recall@5 {v['recall@5']:.3f}  "
              f"mrr {v['mrr']:.3f}  cited-hit {v['cited_hit']:.3f}  "
              f"facts {v['fact_accuracy']:.3f}  "
              f"refusal P/R {v['refusal_precision']:.2f}/{v['refusal_recall']:.2f}  "
              f"false refusals {v['false_refusals']:.2f}  "
              f"+doubt R {v['refusal_or_doubt_recall']:.2f} doubted {v['doubted']:.2f}  "
              f"speaker {v['attribution']:.2f} ({v['attribution_when_cited']:.2f} cited)  "
              f"p95 {v['latency_p95_ms']:.0f} ms")  # fmt: skip
    print(f"report: {args.out / 'report.md'}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
