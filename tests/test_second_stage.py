"""The second stage's features, checked by hand, and its ranking by the combiner's score."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.search.second_stage import (
    FEATURES,
    MISSING_RANK,
    RANK_K,
    Candidates,
    features,
    ranked,
)
from assistant.settings import SecondStage
from store import LexicalIndex

DOCS = {
    "a#1": ["لافروف", "روسيا", "كيري"],
    "b#1": ["روسيا", "امريكا"],
    "c#1": ["روسيا", "امريكا", "انتخاب"],
    "d#1": ["كوبا"],
}


@pytest.fixture
def lexical() -> LexicalIndex:
    return LexicalIndex.build(list(DOCS), list(DOCS.values()))


def found(*terms: str) -> Candidates:
    return Candidates(
        own=[("b#1", 0.90), ("a#1", 0.80)],
        dense=[("b#1", 0.91), ("c#1", 0.85), ("a#1", 0.80)],
        lexical=[("a#1", 6.0), ("c#1", 1.5)],
        terms=terms,
    )


def test_features_by_hand(lexical: LexicalIndex) -> None:
    rows = features(found("لافروف", "روسيا", "روسيا"), lexical)
    assert found().keys == ["a#1", "b#1", "c#1"] and rows.shape == (3, len(FEATURES))
    column = dict(zip(FEATURES, rows.T, strict=True))
    assert np.allclose(column["own"], [0.0, 0.10, 0.0])  # c#1 has no own cosine: the floor
    assert np.allclose(column["dense"], [0.0, 0.11, 0.05])
    assert np.allclose(column["bm25"], [1.0, 0.0, 0.25])
    credit = [RANK_K / (RANK_K + r) for r in (3, 1, 2)]
    assert np.allclose(column["dense_rank"], credit)
    assert np.allclose(
        column["bm25_rank"],
        [RANK_K / (RANK_K + 1), RANK_K / (RANK_K + MISSING_RANK), RANK_K / (RANK_K + 2)],
    )
    lavrov, russia = lexical.idf("لافروف"), lexical.idf("روسيا")
    assert np.allclose(
        column["coverage"], [1.0, russia / (lavrov + russia), russia / (lavrov + russia)]
    )
    assert column["rarest"].tolist() == [1.0, 0.0, 0.0]  # only a#1 names Lavrov


def test_ranked_orders_by_the_combiners_score(lexical: LexicalIndex) -> None:
    rows = features(found("لافروف"), lexical)
    by_rarest = SecondStage((0.0,) * 7, (1.0,) * 7, (0, 0, 0, 0, 0, 0, 1))
    assert [k for k, _ in ranked(by_rarest, found(), rows)] == ["a#1", "b#1", "c#1"]
    by_dense = SecondStage((0.0,) * 7, (1.0,) * 7, (0, 1, 0, 0, 0, 0, 0), bias=-1.0)
    order = ranked(by_dense, found(), rows)
    assert [k for k, _ in order] == ["b#1", "c#1", "a#1"]
    assert math.isclose(order[0][1], 0.11 - 1.0, abs_tol=1e-9)
