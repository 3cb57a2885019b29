"""Metric functions on hand-made cases."""

from __future__ import annotations

import math

import pytest

from evals.metrics import (
    citation_precision,
    citation_recall,
    fact_accuracy,
    hit_at_k,
    mean,
    percentile,
    recall_at_k,
    reciprocal_rank,
    refusal_scores,
)


def test_recall_at_k() -> None:
    assert recall_at_k(["a", "b", "c"], ["b"], 1) == 0.0
    assert recall_at_k(["a", "b", "c"], ["b"], 2) == 1.0
    assert recall_at_k(["a", "b", "c"], ["a", "z"], 3) == 0.5
    assert recall_at_k(["a"], ["a", "a"], 1) == 1.0  # gold counted once
    with pytest.raises(ValueError):
        recall_at_k(["a"], [], 1)


def test_hit_and_reciprocal_rank() -> None:
    assert hit_at_k(["a", "b"], ["b", "z"], 1) == 0.0
    assert hit_at_k(["a", "b"], ["b", "z"], 2) == 1.0
    assert reciprocal_rank(["a", "b", "c"], ["c"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a", "b", "c"], ["b", "c"]) == 0.5
    assert reciprocal_rank(["a"], ["z"]) == 0.0


def test_citation_precision_and_recall() -> None:
    assert citation_precision(["a", "b"], ["a"]) == 0.5
    assert citation_precision([], ["a"]) is None
    assert citation_precision(["a", "a"], ["a", "b"]) == 1.0
    assert citation_recall(["a"], ["a", "b"]) == 0.5
    assert citation_recall([], ["a"]) == 0.0


def test_fact_accuracy() -> None:
    assert fact_accuracy([True, False, True, True]) == 0.75
    assert fact_accuracy([]) == 0.0


def test_refusal_scores() -> None:
    declined = [True, True, False, False, True]
    unanswerable = [True, False, True, False, True]
    scores = refusal_scores(declined, unanswerable)
    assert scores["refusal_precision"] == pytest.approx(2 / 3)
    assert scores["refusal_recall"] == pytest.approx(2 / 3)
    assert scores["false_refusals"] == pytest.approx(1 / 2)  # one of the two answerable declined
    assert refusal_scores([False], [False]) == {
        "refusal_precision": 1.0,
        "refusal_recall": 1.0,
        "false_refusals": 0.0,
    }


def test_percentile_matches_linear_interpolation() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def test_mean_skips_missing_values() -> None:
    assert mean([1.0, None, 3.0]) == 2.0
    assert math.isnan(mean([None]))
