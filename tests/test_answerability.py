"""Answerability's features, checked by hand against BM25's IDF, and its decision."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from assistant import Assistant
from assistant.answer.answerability import FEATURES, signals, verdict
from assistant.arabic import terms
from assistant.prompts import load_prompt
from assistant.settings import Answerability, Settings
from assistant.types import Paragraph, Passage, Query, Span
from store import LexicalIndex

TEXTS = {
    "a#1": "قال لافروف إن روسيا تريد الحوار",
    "b#1": "روسيا وأمريكا تتفاوضان",
    "c#1": "روسيا وأمريكا والانتخابات",
    "d#1": "كوبا جزيرة",
}


def idf(df: int, n: int = len(TEXTS)) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


@pytest.fixture
def lexical() -> LexicalIndex:
    return LexicalIndex.build(list(TEXTS), [terms(t) for t in TEXTS.values()])


def passage(key: str, dense: float) -> Passage:
    article, number = key.split("#")
    text = TEXTS[key]
    paragraph = Paragraph(article, "", int(number), text, Span(0, len(text)))
    return Passage(paragraph, 0.0, dense=dense)


def query(text: str) -> Query:
    return Query(text, text, "ar", text, "ar", text)


def test_features_are_shares_of_the_questions_idf_and_of_bm25s_best(
    lexical: LexicalIndex,
) -> None:
    # terms: قال (a), لافروف (a), روسيا (a b c), المريخ (none): Mars is unknown here
    q = query("ماذا قال لافروف عن روسيا والمريخ؟")
    passages = [passage("b#1", 0.9), passage("a#1", 0.8)]
    row = signals(q, [0.85, 0.5, 0.6], passages[0], passages, lexical)
    said, lavrov, russia = idf(1), idf(1), idf(3)
    hits = lexical.search(terms(q.lexical_text), 10)  # a#1 first, then b#1 and c#1
    expected = {
        "support": 0.85,
        "coverage": russia / (said + lavrov + russia),  # b#1, where the best sentence is
        "rarest": 0.0,  # b#1 lacks لافروف (قال ties with it, and comes first)
        "dense": 0.9,
        "standout": 0.85 - 0.6,  # over the median sentence
        "tail": hits[-1][1] / hits[0][1],
    }
    assert [key for key, _ in hits] == ["a#1", "b#1", "c#1"]
    assert dict(zip(FEATURES, row.tolist(), strict=True)) == pytest.approx(expected)
    assert 0 < expected["tail"] < 1


def test_a_question_of_words_the_archive_never_uses_has_no_coverage_and_a_flat_tail(
    lexical: LexicalIndex,
) -> None:
    passages = [passage("d#1", 0.7)]
    row = signals(query("المريخ والزهرة"), [0.7], passages[0], passages, lexical)
    values = dict(zip(FEATURES, row.tolist(), strict=True))
    assert values["coverage"] == values["rarest"] == values["standout"] == 0.0
    assert values["tail"] == 1.0


def test_the_model_declines_under_its_cut_and_doubts_under_its_doubt() -> None:
    model = Answerability((0.0, 0.0), (1.0, 1.0), (2.0, -1.0), bias=0.5, cut=-1.0, doubt=1.0)
    assert verdict(model, np.array([0.5, 0.5])) == "answer"  # log-odds 1.0 - 0.5 + 0.5 = 1.0
    assert verdict(model, np.array([0.4, 0.5])) == "doubt"  # 0.8
    assert verdict(model, np.array([-0.5, 0.5])) == "doubt"  # -1.0: at the cut
    assert verdict(model, np.array([-0.6, 0.5])) == "decline"


def everywhere(settings: Settings, **fields: float) -> Assistant:
    """The assistant over the five articles with the shipped Arabic model applied
    whatever the index's size (it applies from 5,000 paragraphs), `fields` changed."""
    shipped = settings.extractive.answerability("ar")
    assert shipped is not None, "the calibration ships an Arabic answerability model"
    model = dataclasses.replace(shipped, min_paragraphs=0, **fields)
    return Assistant(settings.replace(answerability_ar=dataclasses.asdict(model)))


def test_the_shipped_model_declines_what_the_articles_do_not_hold(
    assistant: Assistant, settings: Settings
) -> None:
    judged = everywhere(settings)
    absent = "كم عدد الجنود الأمريكيين في طاجاكستان؟"  # a near miss of the question set
    assert assistant.ask(absent).answered  # the threshold alone quotes something
    assert not judged.ask(absent).answered
    held = judged.ask("ما الذي سحبته روسيا من كوبا؟")
    assert held.answered and held.citations


def test_an_answer_in_the_doubt_band_says_the_articles_may_not_answer(
    settings: Settings,
) -> None:
    doubting = everywhere(settings, cut=-math.inf, doubt=math.inf)
    answer = doubting.ask("ما الذي سحبته روسيا من كوبا؟")
    doubtful = load_prompt("extractive", "ar")["doubtful_intro"]
    assert answer.answered and answer.text.splitlines()[0] == doubtful
    assert answer.citations
