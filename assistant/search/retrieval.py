"""Hybrid retrieval: BM25 over normalised Arabic and dense e5 vectors, fused by weighted RRF.

Reciprocal-rank fusion needs no score calibration between the two sides (BM25
scores and cosines live on different scales); the weights let English
questions, which share almost no terms with Arabic text, lean on the dense side.

The dense side scores a paragraph by its own vector or, when that is higher, by
the vector of a window holding it and a neighbour, less a handicap: a paragraph
that goes on from the one before ("He went on: ...") is found through the
window that names who is speaking and about what.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.arabic import terms
from assistant.index.build import Index
from assistant.index.scopes import where
from assistant.settings import FusionByLanguage
from assistant.types import Passage, Query
from store import Where


class Retriever(Protocol):
    """Ranks paragraphs for a planned question; the seam a baseline plugs into."""

    def retrieve(self, query: Query, vector: np.ndarray, k: int) -> list[Passage]:
        """The `k` best passages among those `query.scope` admits; `vector` is the
        query's embedding of `query.dense_text`."""
        ...


def weighted_rrf(rankings: Sequence[tuple[float, Sequence[str]]], k: int) -> dict[str, float]:
    """score(d) = sum over rankings of weight / (k + rank(d)), ranks from 1."""
    fused: dict[str, float] = {}
    for weight, keys in rankings:
        if weight <= 0:
            continue
        for rank, key in enumerate(keys, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return fused


@dataclass(frozen=True)
class HybridRetriever:
    """Dense and BM25 rankings of one index version, fused per the question's language."""

    index: Index
    fusion: FusionByLanguage
    candidates: int
    recency_weight: float = 0.0

    def retrieve(self, query: Query, vector: np.ndarray, k: int) -> list[Passage]:
        """The `k` best paragraphs, with their fused, dense and BM25 scores.

        The dense side searches with `vector`; BM25 with `query.lexical_text`
        (an Arabic translation or gloss of an English question); both only
        among the paragraphs `query.scope` admits. A question asking for the
        latest news adds a third ranking to the fusion, the candidates newest
        first, weighted by `recency_weight`: among passages about as relevant,
        the newer comes first, while a much better match keeps its place.
        """
        fusion = self.fusion.of(query.fusion_language)
        n = max(self.candidates, k)
        dense: list[tuple[str, float]] = []
        if fusion.dense > 0:
            dense = self._dense(vector, n, fusion.window_handicap, where(query.scope))
        lexical: list[tuple[str, float]] = []
        if fusion.lexical > 0:
            admitted = self.index.columns.admitted(query.scope)
            hits = self.index.lexical.search(terms(query.lexical_text), n, admitted)
            lexical = [
                (key, score) for key, score in hits if score >= fusion.lexical_floor * hits[0][1]
            ]
        rankings = [
            (fusion.dense, [key for key, _ in dense]),
            (fusion.lexical, [key for key, _ in lexical]),
        ]
        if query.recent:
            rankings.append((self.recency_weight, self._newest_first(rankings)))
        fused = weighted_rrf(rankings, fusion.rrf_k)
        dense_of, lexical_of = dict(dense), dict(lexical)
        best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [
            Passage(self.index.paragraphs[key], score, dense_of.get(key), lexical_of.get(key))
            for key, score in best
        ]

    def _newest_first(self, rankings: Sequence[tuple[float, Sequence[str]]]) -> list[str]:
        """The dated candidates of `rankings`, newest article first; an undated one
        gets nothing from this ranking, so an archive without dates ranks as before."""
        paragraphs = self.index.paragraphs
        keys = sorted({key for _, ranked in rankings for key in ranked})
        dated = [key for key in keys if paragraphs[key].source.day]
        return sorted(dated, key=lambda key: -paragraphs[key].source.day)

    def _dense(
        self, vector: np.ndarray, n: int, handicap: float, limits: Where | None
    ) -> list[tuple[str, float]]:
        """The `n` best paragraphs by their own cosine or their best window's less `handicap`."""
        hits = self.index.vectors.search(vector, n, limits)
        if math.isinf(handicap):
            return hits
        best = dict(hits)
        for keys, score in self.index.windows.search(vector, n, limits):
            for key in keys:
                best[key] = max(best.get(key, -math.inf), score - handicap)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:n]
