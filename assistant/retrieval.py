"""Hybrid retrieval: BM25 over normalised Arabic and dense e5 vectors, fused by weighted RRF.

Reciprocal-rank fusion needs no score calibration between the two sides (BM25
scores and cosines live on different scales); the weights let English
questions, which share almost no terms with Arabic text, lean on the dense side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.arabic import terms
from assistant.embedding import Embedder
from assistant.types import Paragraph, Passage
from store import LexicalIndex, VectorStore


def weighted_rrf(
    rankings: Sequence[tuple[float, Sequence[str]]], k: int
) -> dict[str, float]:
    """score(d) = sum over rankings of weight / (k + rank(d)), ranks from 1."""
    fused: dict[str, float] = {}
    for weight, keys in rankings:
        if weight <= 0:
            continue
        for rank, key in enumerate(keys, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return fused


@dataclass(frozen=True)
class Weights:
    dense: float
    lexical: float


class HybridRetriever:
    def __init__(
        self,
        paragraphs: Mapping[str, Paragraph],
        vectors: VectorStore,
        lexical: LexicalIndex,
        embedder: Embedder,
        candidates: int,
        rrf_k: int,
    ) -> None:
        self.paragraphs = paragraphs
        self._vectors = vectors
        self._lexical = lexical
        self._embedder = embedder
        self._candidates = candidates
        self._rrf_k = rrf_k

    def search(
        self, query: str, k: int, weights: Weights, query_vector: np.ndarray | None = None
    ) -> list[Passage]:
        """The `k` best paragraphs for `query`, with their fused, dense and BM25 scores."""
        n = max(self._candidates, k)
        dense: list[tuple[str, float]] = []
        if weights.dense > 0:
            vector = self._embedder.query(query) if query_vector is None else query_vector
            dense = self._vectors.search(vector, n)
        lexical = self._lexical.search(terms(query), n) if weights.lexical > 0 else []
        fused = weighted_rrf(
            [(weights.dense, [key for key, _ in dense]), (weights.lexical, [key for key, _ in lexical])],
            self._rrf_k,
        )
        dense_of, lexical_of = dict(dense), dict(lexical)
        best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [self._passage(key, score, dense_of.get(key), lexical_of.get(key)) for key, score in best]

    def _passage(self, key: str, score: float, dense: float | None, lexical: float | None) -> Passage:
        p = self.paragraphs[key]
        return Passage(p.article_id, p.title, p.number, p.text, score, dense, lexical, p.span)
