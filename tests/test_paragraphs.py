from __future__ import annotations

from assistant.arabic import match_key
from assistant.ingest.cleaning import Block
from assistant.ingest.corpus import Corpus
from assistant.ingest.paragraphs import WALL_CHARS, paragraph_spans, sentence_spans, sentences
from assistant.settings import DEFAULT_CORPUS
from assistant.types import Span

COUNTS = {
    "000_d440c91d97b0736f": 7,
    "001_147bfefe11b9fe1d": 11,
    "002_5ea31fea1596766f": 21,
    "003_6ccabab89841b932": 17,
    "004_ce289c37d510c88d": 7,
}


def test_paragraph_counts(corpus: Corpus) -> None:
    assert {a.article_id: len(a.paragraphs) for a in corpus.articles} == COUNTS


def test_numbers_run_from_one(corpus: Corpus) -> None:
    for article in corpus.articles:
        assert [p.number for p in article.paragraphs] == list(range(1, len(article.paragraphs) + 1))


def test_every_span_holds_its_paragraph_in_the_raw_file(corpus: Corpus) -> None:
    for article in corpus.articles:
        raw = (DEFAULT_CORPUS / f"{article.article_id}.txt").read_text(encoding="utf-8")
        for p in article.paragraphs:
            assert raw[p.span.start : p.span.end] == p.text
        starts = [p.span.start for p in article.paragraphs]
        assert starts == sorted(starts)


def test_no_paragraph_is_repeated(corpus: Corpus) -> None:
    for article in corpus.articles:
        keys = [match_key(p.text) for p in article.paragraphs]
        assert len(keys) == len(set(keys))


def test_the_wall_of_text_is_split_into_short_paragraphs(corpus: Corpus) -> None:
    wall = corpus.article("000_d440c91d97b0736f")
    for p in wall.paragraphs:
        assert 2 <= len(sentences(p.text)) <= 5
        assert len(p.text) < WALL_CHARS
    assert not any("أسرى" in p.text and "–" in p.text for p in wall.paragraphs)


def test_sentence_ends_include_closing_quotes_and_arabic_question_mark() -> None:
    text = 'قال "لا نريد ذلك". هل يحدث؟ نعم! وقال «انتهى».'
    assert sentences(text) == ['قال "لا نريد ذلك".', "هل يحدث؟", "نعم!", "وقال «انتهى»."]


def test_numbers_with_points_are_not_sentence_ends() -> None:
    assert len(sentences("شارك 1.5 ألف عسكري في التدريبات. وانتهت.")) == 2


def test_sentence_spans_are_offsets() -> None:
    text = "  جملة أولى.  جملة ثانية؟ "
    spans = sentence_spans(text, offset=10)
    assert [text[s.start - 10 : s.end - 10] for s in spans] == ["جملة أولى.", "جملة ثانية؟"]
    assert spans[0] == Span(12, 22)


def test_splitting_is_deterministic() -> None:
    text = " ".join(f"الجملة رقم {i} في هذا النص الطويل جدا جدا جدا." for i in range(60))
    block = (Block(text, Span(0, len(text))),)
    assert paragraph_spans(block, []) == paragraph_spans(block, [])
