"""Writing the answer from the retrieved passages: extractive (default) or by an LLM.

A generator streams: it yields text as it is written, then its `Draft`, which
the pipeline completes into the `Answer`.
The LLM generator never has the last word on faithfulness: its markers are
checked against the passages it was shown, and when the endpoint fails or its
answer cites nothing, the user gets the extractive answer with a one-line notice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np

from assistant.answer.citations import check_markers, fence, source_note
from assistant.answer.extractive import (
    ExtractiveAnswerer,
    SentenceVectors,
    decline,
    decline_wording,
)
from assistant.arabic import normalize
from assistant.errors import ConfigError
from assistant.models.embedding import Embedder
from assistant.models.llm import ChatClient, LLMError
from assistant.prompts import load_prompt
from assistant.types import Citation, Draft, Passage, Query

Event = str | Draft


class Generator(Protocol):
    def stream(
        self, query: Query, vector: np.ndarray, passages: Sequence[Passage]
    ) -> Iterator[Event]:
        """Text deltas, then the `Draft` as the last item."""
        ...


class ExtractiveGenerator:
    """Verbatim evidence sentences; arrives in one piece."""

    def __init__(self, answerer: ExtractiveAnswerer) -> None:
        self.answerer = answerer

    def answer(self, query: Query, vector: np.ndarray, passages: Sequence[Passage]) -> Draft:
        return self.answerer.answer(query, vector, passages)

    def stream(
        self, query: Query, vector: np.ndarray, passages: Sequence[Passage]
    ) -> Iterator[Event]:
        draft = self.answer(query, vector, passages)
        yield draft.text
        yield draft


class Quoter:
    """Finds, for each claim the model cited, the passage sentence that best supports it."""

    def __init__(self, sentences: SentenceVectors, embedder: Embedder) -> None:
        self._sentences = sentences
        self._embedder = embedder

    def quotes(self, passage: Passage, claims: Sequence[str]) -> tuple[str, ...]:
        """The sentences of `passage` closest to each claim, in their order in the paragraph."""
        ((sentences, matrix),) = self._sentences.get([passage])
        best = [int(np.argmax(matrix @ self._embedder.query(claim))) for claim in claims]
        return tuple(sentences[i] for i in sorted(set(best)))


def _dated(passage: Passage) -> str:
    """A passage's text, led by its outlet and date when the archive gives them."""
    note = source_note(passage.source)
    return f"({note})\n{passage.paragraph.text}" if note else passage.paragraph.text


def answer_messages(query: Query, passages: Sequence[Passage]) -> list[dict[str, str]]:
    prompt = load_prompt("answer", query.language)
    decline = decline_wording(query.language)
    return [
        {"role": "system", "content": prompt["system"].format(decline=decline)},
        {
            "role": "user",
            "content": prompt["user"].format(
                passages=fence([_dated(p) for p in passages]), question=query.question
            ),
        },
    ]


def is_decline(text: str, language: str) -> bool:
    phrase = normalize(decline_wording(language)).rstrip(".")
    return phrase in normalize(text)


class LLMGenerator:
    """Answers written by an OpenAI-compatible endpoint, with checked citations."""

    def __init__(self, client: ChatClient, fallback: ExtractiveGenerator, quoter: Quoter) -> None:
        self.client = client
        self.fallback = fallback
        self.quoter = quoter

    def stream(
        self, query: Query, vector: np.ndarray, passages: Sequence[Passage]
    ) -> Iterator[Event]:
        if not passages:
            yield from self.fallback.stream(query, vector, passages)
            return
        parts: list[str] = []
        try:
            for delta in self.client.stream(answer_messages(query, passages)):
                parts.append(delta)
                yield delta
        except LLMError as exc:
            yield self._fall_back(query, vector, passages, exc.message, 0)
            return
        yield self._checked(query, vector, passages, "".join(parts))

    def _checked(
        self, query: Query, vector: np.ndarray, passages: Sequence[Passage], text: str
    ) -> Draft:
        checked = check_markers(text, len(passages))
        if not checked.cited:
            if is_decline(text, query.language):
                return replace(decline(query.language, "llm"), dropped_markers=checked.dropped)
            reason = "The model's answer cited none of the passages, so it is not shown."
            return self._fall_back(query, vector, passages, reason, checked.dropped)
        citations = tuple(
            Citation(marker, passages[index].paragraph, self.quoter.quotes(passages[index], claims))
            for marker, (index, claims) in enumerate(
                zip(checked.cited, checked.claims, strict=True), start=1
            )
        )
        return Draft(checked.text, True, citations, "llm", dropped_markers=checked.dropped)

    def _fall_back(
        self,
        query: Query,
        vector: np.ndarray,
        passages: Sequence[Passage],
        reason: str,
        dropped: int,
    ) -> Draft:
        """The extractive answer, saying why the model's is not shown."""
        draft = self.fallback.answer(query, vector, passages)
        notice = f"{reason} Showing the extractive answer instead."
        return replace(draft, notice=notice, dropped_markers=dropped)


GeneratorFactory = Callable[[ExtractiveGenerator, ChatClient | None, Quoter], Generator]


def _llm(extractive: ExtractiveGenerator, client: ChatClient | None, quoter: Quoter) -> Generator:
    if client is None:
        raise ConfigError(
            "The 'llm' answer mode needs an endpoint: set ASSISTANT_LLM_BASE_URL "
            "(e.g. http://127.0.0.1:11434/v1) and ASSISTANT_LLM_MODEL."
        )
    return LLMGenerator(client, extractive, quoter)


# The one registry of answer modes: its names are the `answer_mode` setting's
# values and the `Answer.mode` an answer reports.
GENERATORS: dict[str, GeneratorFactory] = {
    "extractive": lambda extractive, client, quoter: extractive,
    "llm": _llm,
}


def check_mode(mode: str) -> None:
    if mode not in GENERATORS:
        raise ConfigError(
            f"Unknown answer mode {mode!r}. Available: {', '.join(sorted(GENERATORS))}."
        )


def make_generator(
    mode: str, extractive: ExtractiveGenerator, client: ChatClient | None, quoter: Quoter
) -> Generator:
    check_mode(mode)
    return GENERATORS[mode](extractive, client, quoter)
