"""The values that flow through the pipeline.

They are frozen so that a paragraph, once numbered, cannot drift away from the
span it was cut from, and so that answers can be shared between threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Language = Literal["ar", "en"]


@dataclass(frozen=True)
class Span:
    """Character offsets [start, end) into the raw article file (decoded text)."""

    start: int
    end: int


@dataclass(frozen=True)
class Dropped:
    """A piece of page furniture removed by cleaning, kept so cleaning can be audited."""

    rule: str
    text: str
    span: Span


@dataclass(frozen=True)
class Source:
    """Where an article was published: what a journalist must cite (any part may be unknown).

    `outlet` is the outlet's display name; `extra` keeps the fields of an
    archive record that the schema does not name, as (key, text) pairs.
    """

    outlet: str = ""
    published: date | None = None
    url: str = ""
    author: str = ""
    language: str = ""
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def outlet_key(self) -> str:
        """The outlet as filters match it: case and spacing do not matter."""
        return outlet_key(self.outlet)

    @property
    def iso_date(self) -> str:
        """The date as YYYY-MM-DD, as citations show it ("" when unknown)."""
        return self.published.isoformat() if self.published else ""

    @property
    def day(self) -> int:
        """The date as YYYYMMDD (0 when unknown): what the stores filter and sort on."""
        p = self.published
        return p.year * 10000 + p.month * 100 + p.day if p else 0


UNKNOWN_SOURCE = Source()


def outlet_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Paragraph:
    """One numbered paragraph of a cleaned article; `text == raw[span.start:span.end]`."""

    article_id: str
    title: str
    number: int
    text: str
    span: Span
    source: Source = UNKNOWN_SOURCE

    @property
    def key(self) -> str:
        return f"{self.article_id}#{self.number}"


@dataclass(frozen=True)
class Window:
    """Two consecutive paragraphs of one article, embedded together.

    A paragraph that goes on from the one before ("وتابع: ..." , "he went on:")
    often lacks the names that would make it findable alone; with its neighbour
    it has them. The retriever lets a window's match count for both paragraphs.
    """

    first: Paragraph
    second: Paragraph

    @property
    def key(self) -> str:
        return f"{self.first.key}+{self.second.number}"

    @property
    def keys(self) -> tuple[str, str]:
        return self.first.key, self.second.key

    @property
    def text(self) -> str:
        return f"{self.first.text}\n{self.second.text}"


@dataclass(frozen=True)
class Article:
    """A cleaned article: its numbered paragraphs and what cleaning dropped."""

    article_id: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    dropped: tuple[Dropped, ...]
    content_hash: str
    source: Source = UNKNOWN_SOURCE


@dataclass(frozen=True)
class Passage:
    """A retrieved paragraph with the scores that ranked it."""

    paragraph: Paragraph
    score: float
    dense: float | None = None
    lexical: float | None = None
    copies: tuple[Paragraph, ...] = ()  # other outlets' copies of it (syndication)

    @property
    def key(self) -> str:
        return self.paragraph.key

    @property
    def source(self) -> Source:
        return self.paragraph.source


@dataclass(frozen=True)
class Citation:
    """What a marker like [1] in an answer resolves to: a paragraph, and the
    sentences of it that the answer rests on; `speakers` names who speaks in each
    quote of reported speech ("" for a quote that reports no one), when known."""

    marker: int
    paragraph: Paragraph
    quotes: tuple[str, ...] = ()
    copies: tuple[Paragraph, ...] = ()  # the same report in other outlets
    speakers: tuple[str, ...] = ()

    @property
    def outlets(self) -> tuple[str, ...]:
        """Every outlet that carried the cited paragraph, its own first."""
        named = (p.source.outlet for p in (self.paragraph, *self.copies) if p.source.outlet)
        return tuple(dict.fromkeys(named))

    @property
    def source(self) -> Source:
        return self.paragraph.source


@dataclass(frozen=True)
class Scope:
    """Which articles a question may be answered from: some outlets, a period.

    Empty `outlets` means every outlet; `since` and `until` are inclusive. An
    article of unknown date is outside any period, since it cannot be shown
    to be inside one.
    """

    outlets: frozenset[str] = frozenset()  # outlet keys (see `outlet_key`)
    since: date | None = None
    until: date | None = None

    @property
    def everything(self) -> bool:
        return not self.outlets and self.since is None and self.until is None

    @property
    def days(self) -> tuple[int | None, int | None]:
        """`since` and `until` as YYYYMMDD, the stores' date field."""
        return _day(self.since), _day(self.until)

    def admits(self, source: Source) -> bool:
        if self.outlets and source.outlet_key not in self.outlets:
            return False
        low, high = self.days
        if (low is not None or high is not None) and not source.day:
            return False
        return (low is None or source.day >= low) and (high is None or source.day <= high)


def _day(value: date | None) -> int | None:
    return None if value is None else Source(published=value).day


@dataclass(frozen=True)
class Draft:
    """What a generator writes; the pipeline completes it into the `Answer`."""

    text: str
    answered: bool
    citations: tuple[Citation, ...]
    mode: str
    notice: str | None = None
    dropped_markers: int = 0
    confidence: float | None = None
    doubtful: bool = False  # answered, saying the articles may not hold the answer


@dataclass(frozen=True)
class Timings:
    """Seconds spent on one answer: planning and retrieval, writing, and in all."""

    retrieval: float
    answer: float
    total: float


@dataclass(frozen=True)
class Answer:
    """An answer with its evidence; `answered` is False when the articles do not hold it,
    `doubtful` True when it quotes the closest passages saying they may not.

    `mode` is the answer mode that wrote it ("extractive" or "llm"), the same
    vocabulary as the `answer_mode` setting.
    """

    question: str
    text: str
    answered: bool
    citations: tuple[Citation, ...]
    language: Language
    mode: str
    passages: tuple[Passage, ...] = ()
    notice: str | None = None
    dropped_markers: int = 0
    confidence: float | None = None
    doubtful: bool = False
    search_query: str | None = None
    timings: Timings | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Query:
    """What one question is searched and answered with.

    `text` is the standalone question (a follow-up resolved against the
    conversation); `lexical_text` is what BM25 matches, which for an English
    question is Arabic, since the articles are: an LLM's translation, or its
    words glossed through a dictionary. `fusion_language` names the calibrated
    fusion weights that suit it: a translation is weighted as an Arabic
    question, a word-by-word gloss keeps the English weights fitted on glosses.
    `dense_text` is what the embedder embeds: the question, followed for a
    glossed English one by its gloss in brackets, whose Arabic words pull the
    query vector towards the Arabic paragraphs that use them. `scope` limits
    the articles searched.
    """

    question: str
    text: str
    language: Language
    lexical_text: str
    fusion_language: Language
    dense_text: str
    scope: Scope = Scope()
    recent: bool = False  # the question asks for the latest news: newer articles rank first
