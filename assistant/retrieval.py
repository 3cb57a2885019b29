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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.arabic import terms
from assistant.embedding import Embedder
from assistant.index import LiveVectors
from assistant.types import Paragraph, Passage
from store import LexicalIndex


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
class Fusion:
    """How the two rankings are fused.

    `lexical_floor` keeps only BM25 hits scoring at least that share of the best
    hit: RRF credits any paragraph that appears in a list, so without it a
    paragraph sharing one common word with the question can push a strong dense
    match out of the top five.

    `window_handicap` is taken off a window's cosine before it counts for its
    paragraphs (infinite: windows are not searched). Without it a window would
    outrank the paragraph that alone holds the answer, since the window holds it too.
    """

    dense: float
    lexical: float
    lexical_floor: float = 0.0
    rrf_k: int = 60
    window_handicap: float = math.inf


class HybridRetriever:
    def __init__(
        self,
        paragraphs: Mapping[str, Paragraph],
        vectors: LiveVectors[str],
        windows: LiveVectors[tuple[str, str]],
        lexical: LexicalIndex,
        embedder: Embedder,
        candidates: int,
    ) -> None:
        self.paragraphs = paragraphs
        self._vectors = vectors
        self._windows = windows
        self._lexical = lexical
        self._embedder = embedder
        self._candidates = candidates

    def search(
        self,
        query: str,
        k: int,
        fusion: Fusion,
        query_vector: np.ndarray | None = None,
        lexical_query: str | None = None,
    ) -> list[Passage]:
        """The `k` best paragraphs for `query`, with their fused, dense and BM25 scores.

        `query` is what the dense side embeds; `lexical_query` replaces it for
        BM25 (an Arabic translation or gloss of an English question).
        """
        n = max(self._candidates, k)
        dense: list[tuple[str, float]] = []
        if fusion.dense > 0:
            vector = self._embedder.query(query) if query_vector is None else query_vector
            dense = self._dense(vector, n, fusion.window_handicap)
        lexical: list[tuple[str, float]] = []
        if fusion.lexical > 0:
            hits = self._lexical.search(terms(lexical_query or query), n)
            lexical = [
                (key, score) for key, score in hits if score >= fusion.lexical_floor * hits[0][1]
            ]
        fused = weighted_rrf(
            [
                (fusion.dense, [key for key, _ in dense]),
                (fusion.lexical, [key for key, _ in lexical]),
            ],
            fusion.rrf_k,
        )
        dense_of, lexical_of = dict(dense), dict(lexical)
        best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [
            self._passage(key, score, dense_of.get(key), lexical_of.get(key)) for key, score in best
        ]

    def _dense(self, vector: np.ndarray, n: int, handicap: float) -> list[tuple[str, float]]:
        """The `n` best paragraphs by their own cosine or their best window's less `handicap`."""
        hits = self._vectors.search(vector, n)
        if math.isinf(handicap):
            return hits
        best = dict(hits)
        for keys, score in self._windows.search(vector, n):
            for key in keys:
                best[key] = max(best.get(key, -math.inf), score - handicap)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:n]

    def _passage(
        self, key: str, score: float, dense: float | None, lexical: float | None
    ) -> Passage:
        p = self.paragraphs[key]
        return Passage(p.article_id, p.title, p.number, p.text, score, dense, lexical, p.span)
