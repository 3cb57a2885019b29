"""Paragraph windows: a paragraph that goes on from the one before is found through both.

"وتابع: «...»" ("he went on: ...") names neither the speaker nor the subject;
the window holding it and the paragraph before does. These questions are not in
the evaluation set: each asks what was said next, on the real index and model.
"""

from __future__ import annotations

import math
import threading

import pytest

from assistant import Assistant
from assistant.index.build import windows
from assistant.ingest.corpus import Corpus
from assistant.search.retrieval import alongside

D = "002_5ea31fea1596766f"  # Putin before the Geneva summit


def test_windows_pair_each_paragraph_with_the_next_of_its_article(corpus: Corpus) -> None:
    pairs = windows(corpus.paragraphs)
    assert len(pairs) == len(corpus.paragraphs) - len(corpus.articles)  # 63 - 5
    for window in pairs:
        assert window.first.article_id == window.second.article_id
        assert window.second.number == window.first.number + 1
        assert window.keys == (window.first.key, window.second.key)


def test_the_index_holds_one_vector_per_window(assistant: Assistant) -> None:
    index = assistant.open().index
    assert index.windows.store.count() == len(windows(index.corpus.paragraphs)) == 58


@pytest.mark.parametrize(
    ("question", "said_next", "said_before"),
    [
        ("ماذا قال بوتين بعد أن ذكر أن روسيا سحبت قاعدتها العسكرية من كوبا؟", 12, 11),
        ("ماذا أضاف بوتين بعد حديثه عن تسليم مرتكبي الجرائم السيبرانية بشروط؟", 16, 15),
        ("ماذا تابع بوتين بعد أن وافق المسؤولين الأميركيين على وجود قضايا ذات اهتمام مشترك؟", 7, 6),
    ],
)
def test_what_was_said_next_is_found_through_the_window(
    assistant: Assistant, question: str, said_next: int, said_before: int
) -> None:
    without = assistant.derive(window_handicap_ar=math.inf)
    found = [p.key for p in assistant.search(question, k=5)]
    assert f"{D}#{said_next}" in found
    assert found[0] == f"{D}#{said_before}"  # the paragraph that names the subject stays first
    assert f"{D}#{said_next}" not in [p.key for p in without.search(question, k=5)]


def test_a_paragraph_asked_for_word_for_word_outranks_its_windows(assistant: Assistant) -> None:
    """Its own vector matches those words best: a window holds other words too."""
    paragraph = assistant.open().index.paragraphs[f"{D}#12"]
    ((key, own),) = assistant.open().index.vectors.search(
        assistant.open().models.embedder.query(paragraph.text), 1
    )
    dense_only = assistant.derive(lexical_weight_ar=0.0, window_handicap_ar=0.0)
    first = dense_only.search(paragraph.text, k=1)
    assert key == first[0].key == paragraph.key
    assert first[0].dense == pytest.approx(own)  # its own cosine, not a window's


def test_an_infinite_handicap_searches_paragraph_vectors_alone(assistant: Assistant) -> None:
    question = "ماذا قال بوتين بعد أن ذكر أن روسيا سحبت قاعدتها العسكرية من كوبا؟"
    vector = assistant.open().models.embedder.query(question)
    alone = assistant.open().index.vectors.search(vector, 30)
    alone_setting = assistant.derive(lexical_weight_ar=0.0, window_handicap_ar=math.inf)
    found = alone_setting.search(question, k=30)
    assert [(p.key, p.dense) for p in found] == [
        (key, pytest.approx(score)) for key, score in alone
    ]


def test_the_window_search_runs_alongside_the_paragraph_search() -> None:
    here = threading.get_ident()
    first, second = alongside(threading.get_ident, threading.get_ident)
    assert first == here != second
    with pytest.raises(ZeroDivisionError):  # the thread's error reaches the caller
        alongside(lambda: 1, lambda: 1 / 0)
