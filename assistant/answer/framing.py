"""What an English reader is told about Arabic evidence when no LLM can write English.

No translation model ships in any package reachable here, so the quotes stay
Arabic and nothing is presented as a translation. What can be said in English
is said from the evidence itself: where it was found (paragraphs, articles,
outlets, dates), which of the question's words each quote matched and in what
Arabic form (through the same dictionary BM25 searched with), and the numbers
and dates the quote holds, written in English and marked as taken from the
Arabic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.arabic import terms
from assistant.models.lexicon import Lexicon
from assistant.types import Passage

MONTHS = {  # Arabic month names, Gregorian and Levantine, and the Maghreb's spellings
    "يناير": "January", "كانون الثاني": "January", "فبراير": "February", "شباط": "February",
    "مارس": "March", "آذار": "March", "أبريل": "April", "ابريل": "April", "نيسان": "April",
    "مايو": "May", "أيار": "May", "ماي": "May", "يونيو": "June", "حزيران": "June",
    "يونيه": "June", "يوليو": "July", "تموز": "July", "يوليوز": "July",
    "أغسطس": "August", "اغسطس": "August", "آب": "August", "غشت": "August",
    "سبتمبر": "September", "أيلول": "September", "شتنبر": "September",
    "أكتوبر": "October", "اكتوبر": "October", "تشرين الأول": "October",
    "نوفمبر": "November", "تشرين الثاني": "November", "نونبر": "November",
    "ديسمبر": "December", "كانون الأول": "December", "دجنبر": "December",
}  # fmt: skip
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_NUMBER = r"\d+(?:[.,٫]\d+)?"
_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTH})(?:\s+(?:عام\s+)?(\d{{4}}))?")
_VALUE = re.compile(rf"(?<![\d.,٫])({_NUMBER})(\s*(?:%|٪|في المائة|في المئة|بالمائة|بالمئة))?")
_EDGES = "«»\"'()[]{}.,،؛:!?؟-–—"


def english_digits(text: str) -> str:
    """Arabic-Indic digits as ASCII ones; the Arabic decimal separator as a point."""
    return "".join(
        str(unicodedata.digit(c)) if c.isdigit() else "." if c == "٫" else c for c in text
    )


def numbers_and_dates(sentence: str) -> list[str]:
    """The dates ("3 November 2020") and numbers ("55", "51%") `sentence` holds, in English."""
    found: list[str] = []
    rest = sentence
    for match in _DATE.finditer(sentence):
        day, month, year = match.groups()
        found.append(" ".join(english_digits(x) for x in (day, MONTHS[month], year or "") if x))
        rest = rest.replace(match.group(0), " ")
    for match in _VALUE.finditer(rest):
        number, percent = match.groups()
        found.append(english_digits(number) + ("%" if percent else ""))
    return list(dict.fromkeys(found))


def matched_words(question: str, sentence: str, lexicon: Lexicon | None) -> list[tuple[str, str]]:
    """(English word of the question, the Arabic word of `sentence` that is one of its
    dictionary glosses), in the question's order."""
    if lexicon is None:
        return []
    words = [w.strip(_EDGES) for w in sentence.split()]
    stems = [(w, set(terms(w))) for w in words if w]
    pairs = []
    for english, glosses in lexicon.glosses(question):
        wanted = {t for g in glosses for t in terms(g)}
        surface = next((w for w, s in stems if s & wanted), None)
        if surface is not None:
            pairs.append((english, surface))
    return pairs


def extent(passages: Sequence[Passage]) -> tuple[int, int, list[str], list[str]]:
    """How many paragraphs and articles, which outlets (in order of first use, with
    those that carried a copy) and the first and last dates (ISO) `passages` come from."""
    carried = [q for p in passages for q in (p.paragraph, *p.copies)]
    outlets = list(dict.fromkeys(q.source.outlet for q in carried if q.source.outlet))
    days = sorted(q.source.iso_date for q in carried if q.source.iso_date)
    span = list(dict.fromkeys([days[0], days[-1]])) if days else []
    keys = {p.key for p in passages}
    articles = {p.paragraph.article_id for p in passages}
    return len(keys), len(articles), outlets, span


class EnglishFraming:
    """The English lines around Arabic quotes: where they were found, then after each
    quote what it matched and the numbers and dates it holds. `wording` is the
    English extractive prompt file's table."""

    def __init__(self, lexicon: Lexicon | None, wording: Mapping[str, Any]) -> None:
        self._lexicon = lexicon
        self._wording = wording

    def intro(self, key: str, passages: Sequence[Passage]) -> str:
        """The prompt's `key` intro, told where the evidence is."""
        w = self._wording
        paragraphs, articles, outlets, span = extent(passages)
        where = w["where"].format(
            paragraphs=_count(paragraphs, w["paragraph"]), articles=_count(articles, w["article"])
        )
        if outlets:
            where += w["where_outlets"].format(
                outlets=_count(len(outlets), w["outlet"]), names=", ".join(outlets)
            )
        if span:
            where += w["where_dates"].format(dates=w["date_range"].join(span))
        return str(w[key]).format(where=where)

    def note(self, question: str, sentence: str) -> str:
        """What the quote matched, and its numbers and dates ("" when neither)."""
        w = self._wording
        parts = []
        pairs = matched_words(question, sentence, self._lexicon)
        if pairs:
            shown = "; ".join(w["pair"].format(english=e, arabic=a) for e, a in pairs)
            parts.append(w["matched"].format(pairs=shown))
        values = numbers_and_dates(sentence)
        if values:
            parts.append(w["numbers"].format(values=", ".join(values)))
        return w["note_separator"].join(parts)


def _count(n: int, forms: Sequence[str]) -> str:
    return f"{n} {forms[0] if n == 1 else forms[1]}"
