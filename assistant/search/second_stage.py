"""The second stage: one score per candidate from what the first stage measured.

Weighted rank fusion keeps only ranks, and in a crowded archive that loses
what matters: a paragraph holding the question's rarest name at BM25 rank 1
fell behind paragraphs ranked middling on both sides for sharing its topic
(Russia, the United States). The combiner sees both ranks and the scores
behind them, and how much of the question's IDF a paragraph holds, and
weighs them as a logistic model fitted on archive-scale questions
(`python -m evals.second_stage`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.settings import SecondStage
from store import LexicalIndex

FEATURES = ("own", "dense", "bm25", "dense_rank", "bm25_rank", "coverage", "rarest")
MISSING_RANK = 200  # a candidate one side did not return ranks as if far below its list
RANK_K = 10  # rank r counts as K / (K + r)


@dataclass(frozen=True)
class Candidates:
    """What the first stage found: each side's (key, score) list, best first, and
    the terms BM25 searched with."""

    own: Sequence[tuple[str, float]]  # paragraphs by their own cosine
    dense: Sequence[tuple[str, float]]  # by own or window cosine (the fused dense side)
    lexical: Sequence[tuple[str, float]]  # by BM25
    terms: Sequence[str] = ()

    @property
    def keys(self) -> list[str]:
        return sorted({key for side in (self.dense, self.lexical) for key, _ in side})


def features(found: Candidates, lexical: LexicalIndex) -> np.ndarray:
    """One row of FEATURES per key of `found.keys`.

    Cosines count above the lowest one on their list (a candidate missing
    from it gets that lowest), BM25 as a share of the best score; coverage
    is the share of the question's IDF the paragraph holds, and `rarest`
    whether it holds the question's rarest term.
    """
    keys = found.keys
    own, dense, bm25 = (dict(side) for side in (found.own, found.dense, found.lexical))
    own_floor = min(own.values(), default=0.0)
    dense_floor = min(dense.values(), default=0.0)
    best = max(bm25.values(), default=0.0) or 1.0
    idf = {term: lexical.idf(term) for term in dict.fromkeys(found.terms)}
    total = sum(idf.values()) or 1.0
    held = {term: lexical.holding(term, keys) for term, weight in idf.items() if weight > 0}
    coverage = sum((idf[t] * h for t, h in held.items()), np.zeros(len(keys))) / total
    rarest = max(held, key=lambda t: idf[t]) if held else None
    return np.column_stack(
        [
            [own.get(k, own_floor) - own_floor for k in keys],
            [dense.get(k, dense_floor) - dense_floor for k in keys],
            [bm25.get(k, 0.0) / best for k in keys],
            _rank_credit(found.dense, keys),
            _rank_credit(found.lexical, keys),
            coverage,
            held[rarest].astype(float) if rarest else np.zeros(len(keys)),
        ]
    )


def _rank_credit(side: Sequence[tuple[str, float]], keys: Sequence[str]) -> list[float]:
    rank = {key: r for r, (key, _) in enumerate(side, start=1)}
    return [RANK_K / (RANK_K + rank.get(k, MISSING_RANK)) for k in keys]


def ranked(stage: SecondStage, found: Candidates, rows: np.ndarray) -> list[tuple[str, float]]:
    """The candidates best first by the combiner's score (ties: by key)."""
    scores = stage.log_odds(rows)
    return sorted(zip(found.keys, scores.tolist(), strict=True), key=lambda kv: (-kv[1], kv[0]))
