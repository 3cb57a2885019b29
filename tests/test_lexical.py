"""BM25 against a reference written from the formula (Lucene variant, k1=1.5, b=0.75)."""

from __future__ import annotations

import math

import bm25s
import numpy as np

from assistant.search.retrieval import weighted_rrf
from store import LexicalIndex

DOCS = [
    ["روسيا", "كوبا", "قاعد", "عسكري"],
    ["روسيا", "امن", "سيبران", "امن"],
    ["واشنطن", "موسكو", "قمه"],
    ["كوبا", "كوبا", "جزير"],
]


def reference_bm25(
    query: list[str], docs: list[list[str]], k1: float = 1.5, b: float = 0.75
) -> list[float]:
    n = len(docs)
    avgdl = sum(len(d) for d in docs) / n
    scores = []
    for doc in docs:
        score = 0.0
        for term in set(query):
            df = sum(1 for d in docs if term in d)
            if df == 0:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = doc.count(term)
            score += idf * tf / (tf + k1 * (1 - b + b * len(doc) / avgdl))
        scores.append(score)
    return scores


def test_scores_match_the_formula() -> None:
    index = LexicalIndex.build([f"d{i}" for i in range(len(DOCS))], DOCS)
    for query in (["كوبا"], ["روسيا", "امن"], ["قمه", "كوبا", "سيبران"]):
        np.testing.assert_allclose(index.scores(query), reference_bm25(query, DOCS), rtol=1e-5)


def test_unknown_terms_score_nothing() -> None:
    index = LexicalIndex.build(["a", "b"], DOCS[:2])
    assert index.search(["غير_موجود"], 5) == []
    assert index.scores([]).tolist() == [0.0, 0.0]


def test_search_ranks_by_score_and_drops_zeros() -> None:
    index = LexicalIndex.build([f"d{i}" for i in range(len(DOCS))], DOCS)
    hits = index.search(["كوبا"], 10)
    assert [key for key, _ in hits] == ["d3", "d0"]
    assert hits[0][1] > hits[1][1] > 0


def test_empty_index() -> None:
    assert LexicalIndex.build([], []).search(["كوبا"], 3) == []


def test_weighted_rrf_by_hand() -> None:
    fused = weighted_rrf([(1.0, ["a", "b", "c"]), (0.5, ["c", "a"])], k=10)
    assert math.isclose(fused["a"], 1 / 11 + 0.5 / 12)
    assert math.isclose(fused["b"], 1 / 12)
    assert math.isclose(fused["c"], 1 / 13 + 0.5 / 11)


def test_weighted_rrf_ignores_zero_weight_lists() -> None:
    assert weighted_rrf([(1.0, ["a"]), (0.0, ["b"])], k=60) == {"a": 1 / 61}


def test_idf_and_holding_match_the_documents() -> None:
    keys = [f"d{i}" for i in range(len(DOCS))]
    index = LexicalIndex.build(keys, DOCS)
    n = len(DOCS)
    for term in ("روسيا", "كوبا", "قمه"):
        df = sum(1 for d in DOCS if term in d)
        assert math.isclose(index.idf(term), math.log(1 + (n - df + 0.5) / (df + 0.5)))
        held = index.holding(term, ["d3", "d0", "missing", "d2"])
        assert held.tolist() == [term in DOCS[3], term in DOCS[0], False, term in DOCS[2]]
    assert index.idf("unknown") == 0.0 and not index.holding("unknown", keys).any()


def test_term_ids_read_one_document_at_a_time_score_as_bm25s_strings() -> None:
    """The id path gives the scores of bm25s's own string path, empty documents included."""
    docs = [*DOCS, [], ["روسيا"]]
    reference = bm25s.BM25()
    reference.index([list(d) for d in docs], show_progress=False)
    index = LexicalIndex.build([f"d{i}" for i in range(len(docs))], iter(docs))
    for query in (["كوبا"], ["روسيا", "امن"], ["قمه", "كوبا", "سيبران"]):
        np.testing.assert_allclose(index.scores(query), reference.get_scores(query), rtol=1e-6)
