"""Metric functions: small, pure, and tested on hand-made cases.

Retrieval: recall@k and reciprocal rank of the gold paragraphs. Citations, the
ALCE way but by paragraph id: precision is the share of cited paragraphs that
are gold, recall the share of gold paragraphs cited. Answers: the share of key
facts present. Refusals: precision and recall of "not answered".
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def recall_at_k(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """Share of gold items found in the first k ranked items."""
    if not gold:
        raise ValueError("recall is undefined without gold items")
    top = set(ranked[:k])
    return sum(1 for g in set(gold) if g in top) / len(set(gold))


def hit_at_k(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """1.0 when any gold item is in the first k (the usual 'top-k accuracy')."""
    return 1.0 if set(ranked[:k]) & set(gold) else 0.0


def reciprocal_rank(ranked: Sequence[str], gold: Sequence[str]) -> float:
    """1 / rank of the first gold item, 0 when none is ranked."""
    for rank, item in enumerate(ranked, start=1):
        if item in gold:
            return 1.0 / rank
    return 0.0


def citation_precision(cited: Sequence[str], gold: Sequence[str]) -> float | None:
    """Share of cited paragraphs that are gold; None when nothing was cited."""
    cited_set = set(cited)
    if not cited_set:
        return None
    return len(cited_set & set(gold)) / len(cited_set)


def citation_recall(cited: Sequence[str], gold: Sequence[str]) -> float:
    """Share of gold paragraphs that were cited."""
    if not gold:
        raise ValueError("citation recall is undefined without gold paragraphs")
    return len(set(cited) & set(gold)) / len(set(gold))


def fact_accuracy(found: Sequence[bool]) -> float:
    """Share of key facts present in the answer."""
    return sum(found) / len(found) if found else 0.0


def refusal_scores(declined: Sequence[bool], unanswerable: Sequence[bool]) -> dict[str, float]:
    """Precision and recall of declining, treating unanswerable questions as positives,
    and the false refusals: the share of answerable questions declined."""
    pairs = list(zip(declined, unanswerable, strict=True))
    true_pos = sum(1 for d, u in pairs if d and u)
    predicted = sum(1 for d, _ in pairs if d)
    actual = sum(1 for _, u in pairs if u)
    answerable = len(pairs) - actual
    return {
        "refusal_precision": true_pos / predicted if predicted else 1.0,
        "refusal_recall": true_pos / actual if actual else 1.0,
        "false_refusals": (predicted - true_pos) / answerable if answerable else 0.0,
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation, as numpy's default."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float | None]) -> float:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else math.nan
