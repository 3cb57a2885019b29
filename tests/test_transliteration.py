"""English names the dictionary lacks, matched to the archive's own Arabic spellings:
the sound classes on known pairs, the matcher over the five articles' real BM25
vocabulary, and the planner handing what it finds to BM25 alone."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.arabic import normalize, terms
from assistant.search.transliteration import (
    NameMatcher,
    arabic_sounds,
    english_sounds,
    skeleton,
)

# Names as the five articles write them, and as English news does.
PAIRS = [
    ("Putin", "بوتين"),
    ("Lavrov", "لافروف"),
    ("Antonov", "أنتونوف"),
    ("Krutskikh", "كروتسكيخ"),
    ("Biden", "بايدن"),
    ("Washington", "واشنطن"),
    ("Zakharova", "زاخاروفا"),
    ("Shoigu", "شويغو"),
]


@pytest.mark.parametrize(("english", "arabic"), PAIRS)
def test_a_name_and_its_arabic_spelling_share_a_skeleton(english: str, arabic: str) -> None:
    assert skeleton(english_sounds(english)) == skeleton(arabic_sounds(normalize(arabic)))


def test_the_sound_classes_fold_letters_arabic_writes_alike() -> None:
    assert english_sounds("Putin") == "butin"  # no p in Arabic: ب
    assert english_sounds("Kremlin") == english_sounds("Cremlin")  # hard c is k
    assert skeleton(english_sounds("Cyprus")).startswith("s")  # soft c is s
    assert arabic_sounds("قطر") == arabic_sounds("كتر")  # ق and ك, ط and ت


@pytest.fixture(scope="module")
def names(assistant: Assistant) -> NameMatcher:
    return NameMatcher(assistant.open().index.lexical.vocabulary())


@pytest.mark.parametrize(
    ("english", "found"),
    [
        ("Lavrov", ("لافروف",)),  # a whole term
        ("Antonov", ("انتونوف",)),
        ("Biden", ("بايدن",)),
        ("Putin", ("بوتين",)),  # stemmed بوت: the suffix put back, so it stems to the term
    ],
)
def test_names_are_found_in_the_archive_vocabulary(
    assistant: Assistant, names: NameMatcher, english: str, found: tuple[str, ...]
) -> None:
    assert names.terms(english) == found
    assert set(terms(found[0])) <= set(assistant.open().index.lexical.vocabulary())


@pytest.mark.parametrize("word", ["Kerry", "cybersecurity", "xyzzy"])
def test_short_or_foreign_words_find_nothing(names: NameMatcher, word: str) -> None:
    """Kerry has two consonants (كيري): too few to tell it from a hundred short words."""
    assert names.terms(word) == ()


def test_the_vowels_decide_between_terms_with_one_skeleton() -> None:
    """بطن (belly) has Putin's consonants but none of his vowels; بوت + ين has both."""
    assert NameMatcher(["بطن", "بوت"]).terms("Putin") == ("بوتين",)
    assert NameMatcher(["بطن"]).terms("Putin") == ()


def test_found_names_join_bm25_and_never_the_embedded_text(assistant: Assistant) -> None:
    question = "What did Lavrov tell TASS?"
    query = assistant.open().plan(question)
    assert "لافروف" in query.lexical_text.split()
    assert "لافروف" not in query.dense_text
    plain = assistant.derive(transliterate=False).open().plan(question)
    assert "لافروف" not in plain.lexical_text.split()
    assert query.lexical_text.startswith(plain.lexical_text)


def test_bm25_then_finds_the_paragraphs_that_name_him(assistant: Assistant) -> None:
    index = assistant.open().index
    query = assistant.open().plan("What did Lavrov tell TASS?")
    hits = index.lexical.search(terms(query.lexical_text), 3)
    assert hits and all("لافروف" in normalize(index.paragraphs[key].text) for key, _ in hits)
