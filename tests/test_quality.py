"""Quality on the project's question set, through the real pipeline, gated by thresholds.toml."""

from __future__ import annotations

import pytest

from assistant import Assistant
from evals.questions import load_questions
from evals.report import check, load_thresholds
from evals.runner import Record, run_config, summaries

pytestmark = pytest.mark.slow  # starts a server, an LLM or runs the question set


@pytest.fixture(scope="module")
def records(assistant: Assistant) -> list[Record]:
    return run_config("hybrid", assistant, load_questions())


def test_quality_gate(records: list[Record]) -> None:
    assert check(summaries(records), load_thresholds()) == []


def test_questions_far_from_the_articles_are_declined(records: list[Record]) -> None:
    far = {"ar047", "ar048", "ar051", "en088", "en089", "en092"}  # capitals, oil, football
    assert {r.id for r in records if r.id in far and not r.answered} == far


def test_no_answerable_question_is_declined(records: list[Record]) -> None:
    assert [r.id for r in records if r.gold and not r.answered] == []


def test_hybrid_beats_dense_alone_on_arabic(assistant: Assistant, records: list[Record]) -> None:
    arabic = [q for q in load_questions() if q.language == "ar"]
    dense = summaries(run_config("dense", assistant, arabic))["dense/ar"]
    hybrid = summaries([r for r in records if r.language == "ar"])["hybrid/ar"]
    assert hybrid["mrr"] > dense["mrr"] and hybrid["recall@5"] >= dense["recall@5"]
