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
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, TypeVar

import numpy as np

from assistant.arabic import terms
from assistant.index.build import Index, LiveVectors
from assistant.index.scopes import where
from assistant.search.second_stage import Candidates, features, ranked
from assistant.search.syndication import one_per_report
from assistant.settings import FusionByLanguage, SecondStage
from assistant.types import Passage, Query, Scope

K = TypeVar("K")
A = TypeVar("A")
B = TypeVar("B")
UNFILTERED_LIMIT = 4000  # hits fetched unfiltered at most, before Chroma filters instead


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


def alongside(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """`first()` here while `second()` runs in a thread, for two store searches.

    Chroma's HNSW search releases the GIL, so the paragraphs' and the windows'
    searches overlap on two cores: over the whole SaudiNewsNet archive, at
    `ef_search` 1,000, the pair took 18 ms (p50; p95 23 ms) one after the
    other and 10-11 ms (p95 14-16 ms) side by side. Against a Chroma server
    the two requests are in flight together.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(second)
        return first(), later.result()


@dataclass(frozen=True)
class HybridRetriever:
    """Dense and BM25 rankings of one index version, fused per the question's language."""

    index: Index
    fusion: FusionByLanguage
    candidates: int
    recency_weight: float = 0.0
    copy_similarity: float = 0.75  # see `assistant.search.syndication`

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
        stage = fusion.second_stage
        if stage is not None and len(self.index.paragraphs) < stage.min_paragraphs:
            stage = None
        found = self.first_stage(query, vector, max(self.candidates, k), stage)
        if stage is None:
            rankings = [
                (fusion.dense, [key for key, _ in found.dense]),
                (fusion.lexical, [key for key, _ in found.lexical]),
            ]
        else:
            rows = features(found, self.index.lexical)
            rankings = [(1.0, [key for key, _ in ranked(stage, found, rows)])]
        if query.recent:
            rankings.append((self.recency_weight, self._newest_first(rankings)))
        fused = weighted_rrf(rankings, fusion.rrf_k)
        dense_of, lexical_of = dict(found.dense), dict(found.lexical)
        ordered = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        paragraphs = self.index.paragraphs
        texts = [(key, paragraphs[key].text) for key, _ in ordered]
        score = dict(ordered)
        return [
            Passage(
                paragraphs[key],
                score[key],
                dense_of.get(key),
                lexical_of.get(key),
                tuple(paragraphs[c] for c in copies),
            )
            for key, copies in one_per_report(texts, k, self.copy_similarity)
        ]

    def first_stage(
        self, query: Query, vector: np.ndarray, n: int, stage: SecondStage | None
    ) -> Candidates:
        """Each side's best `n` (the second stage's `pool`) among what the scope admits.

        For rank fusion, a side weighted 0 is not searched and BM25 keeps only
        hits above its floor; the second stage sees every side whole, and BM25
        counts each question term once, as its coverage feature does.
        """
        fusion = self.fusion.of(query.fusion_language)
        if stage is not None:
            n = max(n, stage.pool)
        admitted = self.index.columns.admitted(query.scope)
        own: list[tuple[str, float]] = []
        dense: list[tuple[str, float]] = []
        if fusion.dense > 0 or stage is not None:
            own, dense = self._dense(vector, n, fusion.window_handicap, query.scope, admitted)
        query_terms = terms(query.lexical_text)
        if stage is not None:
            query_terms = list(dict.fromkeys(query_terms))
        lexical: list[tuple[str, float]] = []
        if fusion.lexical > 0 or stage is not None:
            hits = self.index.lexical.search(query_terms, n, admitted)
            floor = fusion.lexical_floor if stage is None else 0.0
            lexical = [(key, score) for key, score in hits if score >= floor * hits[0][1]]
        return Candidates(own, dense, lexical, query_terms)

    def _newest_first(self, rankings: Sequence[tuple[float, Sequence[str]]]) -> list[str]:
        """The dated candidates of `rankings`, newest article first; an undated one
        gets nothing from this ranking, so an archive without dates ranks as before."""
        paragraphs = self.index.paragraphs
        keys = sorted({key for _, ranked in rankings for key in ranked})
        dated = [key for key in keys if paragraphs[key].source.day]
        return sorted(dated, key=lambda key: -paragraphs[key].source.day)

    def _dense(
        self,
        vector: np.ndarray,
        n: int,
        handicap: float,
        scope: Scope,
        admitted: np.ndarray | None,
    ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The `n` best paragraphs by their own cosine, and by that or their best
        window's less `handicap`, among those `scope` admits (`admitted`, its mask
        over the paragraphs: None for all)."""

        def own() -> list[tuple[str, float]]:
            return self._within(self.index.vectors, vector, n, scope, admitted, lambda key: key)

        if math.isinf(handicap):
            hits = own()
            return hits, hits
        hits, windows = alongside(
            own,
            lambda: self._within(self.index.windows, vector, n, scope, admitted, lambda k: k[0]),
        )
        best = dict(hits)
        for keys, score in windows:
            for key in keys:
                best[key] = max(best.get(key, -math.inf), score - handicap)
        return hits, sorted(best.items(), key=lambda item: (-item[1], item[0]))[:n]

    def _within(
        self,
        vectors: LiveVectors[K],
        vector: np.ndarray,
        n: int,
        scope: Scope,
        admitted: np.ndarray | None,
        paragraph_of: Callable[[K], str],
    ) -> list[tuple[K, float]]:
        """The `n` best of `vectors` that `scope` admits.

        Chroma's metadata filter is slow over a large archive: over the whole of
        SaudiNewsNet one search took 0.8 s within one outlet and 34 s within a
        period holding every article, against 11 to 54 ms unfiltered for 100 to
        4,000 hits. So the store is searched unfiltered for twice as many hits
        as `n` over the share of paragraphs the scope admits, and they are
        filtered here (the admitted among the best hits are the best admitted);
        only when too few survive, or that would take too many, does Chroma
        filter.
        """
        if admitted is None:
            return vectors.search(vector, n)
        share = float(admitted.mean())
        wanted = math.ceil(2 * n / share) if share > 0 else UNFILTERED_LIMIT + 1
        if wanted <= UNFILTERED_LIMIT:
            paragraphs = self.index.paragraphs
            hits = vectors.search(vector, wanted)
            kept = [h for h in hits if scope.admits(paragraphs[paragraph_of(h[0])].source)]
            if len(kept) >= n or len(hits) < wanted:
                return kept[:n]
        return vectors.search(vector, n, where(scope))
