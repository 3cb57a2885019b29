"""The English framing of Arabic quotes: numbers and dates read off the Arabic,
the question's words each quote matched, and where the evidence was found."""

from __future__ import annotations

from datetime import date

from assistant.answer.framing import (
    EnglishFraming,
    english_digits,
    extent,
    matched_words,
    numbers_and_dates,
)
from assistant.models.lexicon import Lexicon
from assistant.prompts import load_prompt
from assistant.types import Paragraph, Passage, Source, Span

LEXICON = Lexicon(
    {"guarantees": ("ضمانات",), "election": ("انتخاب", "الانتخابات"), "cuba": ("كوبا",)}
)


def passage(article: str, number: int, outlet: str = "", day: date | None = None) -> Passage:
    source = Source(outlet=outlet, published=day)
    return Passage(Paragraph(article, "", number, "نص", Span(0, 3), source), 0.0)


def test_dates_and_numbers_are_written_in_english_and_percent_is_kept() -> None:
    sentence = "الانتخابات المرتقبة في 3 نونبر 2020 بمشاركة ٥٥ دولة، وتراجع الربح 51 في المائة"
    assert numbers_and_dates(sentence) == ["3 November 2020", "55", "51%"]
    assert numbers_and_dates("في 14 حزيران الماضي بلغت 48.7 مليون") == ["14 June", "48.7"]
    assert numbers_and_dates("لا أرقام هنا") == []
    assert english_digits("٢٠٢٢٫٥") == "2022.5"


def test_matched_words_pair_the_questions_words_with_the_quotes_own_forms() -> None:
    sentence = "عرض بوتين «ضمانات» بعدم التدخل في الانتخابات."
    question = "What guarantees did Putin offer before the election on Cuba?"
    assert matched_words(question, sentence, LEXICON) == [
        ("guarantees", "ضمانات"),
        ("election", "الانتخابات"),
    ]
    assert matched_words(question, sentence, None) == []


def test_the_intro_counts_paragraphs_articles_and_outlets_and_gives_the_dates() -> None:
    passages = [
        passage("a", 1, "Okaz", date(2015, 8, 4)),
        passage("a", 3, "Okaz", date(2015, 8, 4)),
        passage("b", 2, "Al-Riyadh", date(2015, 8, 2)),
    ]
    assert extent(passages) == (3, 2, ["Okaz", "Al-Riyadh"], ["2015-08-02", "2015-08-04"])
    framing = EnglishFraming(LEXICON, load_prompt("extractive", "en"))
    intro = framing.intro("intro", passages)
    assert intro.startswith(
        "Found in 3 paragraphs of 2 articles from 2 outlets (Okaz, Al-Riyadh), "
        "2015-08-02 to 2015-08-04."
    )
    assert "not translations" in intro
    undated = framing.intro("intro", [passage("a", 1)])
    assert undated.startswith("Found in 1 paragraph of 1 article. ")


def test_a_quote_note_says_what_it_matched_and_its_numbers() -> None:
    framing = EnglishFraming(LEXICON, load_prompt("extractive", "en"))
    note = framing.note("How many guarantees?", "قدم 3 ضمانات")
    assert note == "matched: guarantees ↔ ضمانات · numbers and dates, from the Arabic: 3"
    assert framing.note("What about Cuba?", "لا شيء هنا") == ""
