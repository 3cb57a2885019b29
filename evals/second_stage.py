"""Fitting the second stage on archive-scale questions.

    python -m evals.second_stage --home FIVE_ARTICLES --home WHOLE_ARCHIVE [--dry-run]

Asks the fitting questions (the 145's "core" subset and the SaudiNewsNet set's
"snn-fit") over each index given, takes each one's first-stage candidates
(dense and BM25, 100 a side), and fits a class-balanced, L2-regularised
logistic regression per language telling gold paragraphs (a syndicated copy
counts) from the rest, over all of them. A language keeps its combiner when,
on every index, it does not lose to rank fusion on the fitting questions in
recall@5 or MRR; the figures of every subset, fitted or held out, are written
beside the weights in `assistant/calibration.json`.

The shipped one is fitted on the whole archive alone: fitted there, or on the
five articles and the archive together, it cost the five articles a question
or two, so it applies only to an index of `min_paragraphs` or more.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant import Assistant, Settings
from assistant.pipeline import Pipeline
from assistant.search.retrieval import HybridRetriever
from assistant.search.second_stage import FEATURES, Candidates, features, ranked
from assistant.settings import CALIBRATED, DEFAULT_EMBEDDER, SecondStage, calibration_file
from evals import logistic
from evals.metrics import mean, recall_at_k, reciprocal_rank
from evals.questions import QUESTIONS_FILE, SNN_QUESTIONS, Question, load_questions, resolve

FITTED = ("core", "snn-fit")
PROBE = SecondStage(
    mean=(0.0,) * len(FEATURES), scale=(1.0,) * len(FEATURES), weights=(0.0,) * len(FEATURES)
)


@dataclass(frozen=True)
class Example:
    """One question's first-stage candidates, their features and labels (a copy counts as gold)."""

    question: Question
    home: str
    language: str
    found: Candidates
    rows: np.ndarray
    labels: np.ndarray
    fusion: tuple[str, ...]  # the rank fusion's order, to compare with


def examples(home: Path) -> list[Example]:
    """The candidates of every answerable fitting-or-held-out question over `home`'s index."""
    off = {"second_stage_ar": "none", "second_stage_en": "none", "embed_precision": CALIBRATED}
    pipeline = Assistant(Settings.load(home=home, **off)).open()
    corpus = pipeline.index.corpus
    questions = [
        q
        for path in (QUESTIONS_FILE, SNN_QUESTIONS)
        for q in resolve(load_questions(path), corpus)
        if q.gold and not q.history
    ]
    return _examples(str(home), pipeline, questions)


def _examples(home: str, pipeline: Pipeline, questions: Sequence[Question]) -> list[Example]:
    retriever = pipeline.retriever
    if not isinstance(retriever, HybridRetriever):
        raise TypeError("the second stage is fitted on the hybrid retriever")
    out = []
    for q in questions:
        query = pipeline.plan(q.question)
        vector = pipeline.models.embedder.query(query.dense_text)
        found = retriever.first_stage(query, vector, PROBE.pool, PROBE)
        rows = features(found, retriever.index.lexical)
        labels = np.array([q.canonical(k) in q.gold for k in found.keys], dtype=float)
        fusion = tuple(q.canonical(p.key) for p in pipeline.search(query, 30))
        out.append(Example(q, home, query.fusion_language, found, rows, labels, fusion))
    return out


def fit(chosen: Sequence[Example]) -> SecondStage:
    x, y = np.vstack([e.rows for e in chosen]), np.concatenate([e.labels for e in chosen])
    model = logistic.fit(x, y)
    return SecondStage(model.mean, model.scale, model.weights, model.bias)


def figures(stage: SecondStage | None, chosen: Sequence[Example]) -> dict[str, float]:
    orders = [e.fusion if stage is None else _order(stage, e) for e in chosen]
    golds = [e.question.gold for e in chosen]
    return {
        "questions": len(chosen),
        "recall@5": round(
            mean([recall_at_k(o, g, 5) for o, g in zip(orders, golds, strict=True)]), 4
        ),
        "mrr": round(mean([reciprocal_rank(o, g) for o, g in zip(orders, golds, strict=True)]), 4),
    }


def _order(stage: SecondStage, e: Example) -> tuple[str, ...]:
    return tuple(e.question.canonical(key) for key, _ in ranked(stage, e.found, e.rows))


def choose(all_examples: Sequence[Example], language: str) -> tuple[SecondStage | None, dict]:
    mine = [e for e in all_examples if e.language == language]
    stage = fit([e for e in mine if e.question.subset in FITTED])
    report: dict = {"features": list(FEATURES)}
    keep = True
    for home in dict.fromkeys(e.home for e in mine):
        here = [e for e in mine if e.home == home]
        fitted = [e for e in here if e.question.subset in FITTED]
        subsets = sorted({e.question.subset for e in here})
        table = {
            name: {s: figures(c, [e for e in here if e.question.subset == s]) for s in subsets}
            | {"fitted": figures(c, fitted)}
            for name, c in (("rank fusion", None), ("second stage", stage))
        }
        before, after = table["rank fusion"]["fitted"], table["second stage"]["fitted"]
        keep = keep and after["recall@5"] >= before["recall@5"] and after["mrr"] >= before["mrr"]
        report[home] = table
    return (stage if keep else None), {"kept": keep, **report}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.second_stage", description=__doc__)
    parser.add_argument(
        "--home", type=Path, action="append", required=True, help="an index (repeatable)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = parser.parse_args(argv)
    found = [e for home in args.home for e in examples(home)]
    path = calibration_file(DEFAULT_EMBEDDER)
    calibration = json.loads(path.read_text(encoding="utf-8"))
    for language in ("ar", "en"):
        stage, report = choose(found, language)
        print(language, json.dumps(report, ensure_ascii=False, indent=1))
        calibration["settings"][f"second_stage_{language}"] = _fields(stage)
        calibration["figures"][f"second_stage_{language}"] = report
    if not args.dry_run:
        path.write_text(
            json.dumps(calibration, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {path}")
    return 0


def _fields(stage: SecondStage | None) -> dict | str:
    return "none" if stage is None else dataclasses.asdict(stage)


if __name__ == "__main__":
    raise SystemExit(main())
