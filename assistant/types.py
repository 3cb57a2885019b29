"""The values that flow through the pipeline.

They are frozen so that a paragraph, once numbered, cannot drift away from the
span it was cut from, and so that answers can be shared between threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
class Paragraph:
    """One numbered paragraph of a cleaned article; `text == raw[span.start:span.end]`."""

    article_id: str
    title: str
    number: int
    text: str
    span: Span

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


@dataclass(frozen=True)
class Passage:
    """A retrieved paragraph with the scores that ranked it."""

    paragraph: Paragraph
    score: float
    dense: float | None = None
    lexical: float | None = None

    @property
    def key(self) -> str:
        return self.paragraph.key


@dataclass(frozen=True)
class Citation:
    """What a marker like [1] in an answer resolves to: a paragraph, and the
    sentences of it that the answer rests on."""

    marker: int
    paragraph: Paragraph
    quotes: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class Timings:
    """Seconds spent on one answer: planning and retrieval, writing, and in all."""

    retrieval: float
    answer: float
    total: float


@dataclass(frozen=True)
class Answer:
    """An answer with its evidence; `answered` is False when the articles do not hold it.

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
    query vector towards the Arabic paragraphs that use them.
    """

    question: str
    text: str
    language: Language
    lexical_text: str
    fusion_language: Language
    dense_text: str
