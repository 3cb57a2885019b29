"""The question-time pipeline: plan -> retrieve -> answer, over one open index.

A `Pipeline` is a frozen value made by `build_pipeline` from the settings, an
open index and the models. The `Assistant` holds one and replaces it whole
when the index changes, so a question runs start to finish on the parts it
began with: never an old retriever with a new index.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from assistant.answer.extractive import ExtractiveAnswerer, SentenceVectors
from assistant.answer.generation import ExtractiveGenerator, Generator, Quoter, make_generator
from assistant.arabic import other_language
from assistant.index.build import Index
from assistant.models.embedding import Embedder
from assistant.models.lexicon import load_lexicon
from assistant.models.llm import ChatClient
from assistant.prompts import load_prompt
from assistant.search.conversation import History
from assistant.search.planning import QueryPlanner
from assistant.search.questions import clean_question
from assistant.search.retrieval import HybridRetriever, Retriever
from assistant.search.smalltalk import small_talk_reply
from assistant.search.transliteration import NameMatcher
from assistant.settings import SearchConfig, Settings
from assistant.types import Answer, Draft, Passage, Query, Scope, Timings

Event = str | Answer


@dataclass(frozen=True)
class Models:
    """What every pipeline of one assistant shares, across index versions and the
    configurations derived from it: the embedder and its cache of sentence vectors."""

    embedder: Embedder
    sentences: SentenceVectors

    @classmethod
    def of(cls, embedder: Embedder) -> Models:
        return cls(embedder, SentenceVectors(embedder))


@dataclass(frozen=True)
class Pipeline:
    index: Index
    models: Models
    planner: QueryPlanner
    retriever: Retriever
    generator: Generator
    config: SearchConfig

    def plan(
        self, question: str | Query, history: History | None = None, scope: Scope | None = None
    ) -> Query:
        """The question cleaned, resolved against the conversation, ready to search
        within `scope` (every article when None).

        A `Query` passed in is used as it is: that is how a caller (the evaluation,
        say) chooses the lexical text itself.
        """
        if isinstance(question, Query):
            return question
        cleaned = clean_question(question, self.config.max_question_chars)
        return self.planner.plan(cleaned, history, scope)

    def search(self, query: Query, k: int) -> list[Passage]:
        """Ranked paragraphs for a planned question."""
        return self._retrieve(query, self.models.embedder.query(query.dense_text), k)

    def _retrieve(self, query: Query, vector: np.ndarray, k: int) -> list[Passage]:
        """The retriever's passages, held to the query's scope whatever retriever it is."""
        passages = self.retriever.retrieve(query, vector, k)
        return [p for p in passages if query.scope.admits(p.source)]

    def answer(self, query: Query, k: int) -> Iterator[Event]:
        """The answer's text as it is written, then the `Answer`, assembled once here.

        A greeting, thanks or goodbye gets its short reply, with nothing searched.
        """
        started = time.perf_counter()
        reply = small_talk_reply(query.question, query.language)
        if reply is not None:
            yield reply
            draft = Draft(reply, answered=False, citations=(), mode="extractive")  # no model
            done = time.perf_counter()
            yield _assemble(query, (), draft, Timings(0.0, done - started, done - started))
            return
        vector = self.models.embedder.query(query.text)
        passages = self._retrieve(query, self._search_vector(query, vector), k)
        retrieved = time.perf_counter()
        for event in self.generator.stream(query, vector, passages):
            if isinstance(event, str):
                yield event
                continue
            done = time.perf_counter()
            timings = Timings(retrieved - started, done - retrieved, done - started)
            yield _assemble(query, tuple(passages), event, timings)

    def _search_vector(self, query: Query, own: np.ndarray) -> np.ndarray:
        """The vector retrieval searches with, given the question's `own`.

        They differ for a glossed English question, whose gloss anchors the
        search among Arabic paragraphs. The answer's evidence and its refusal
        threshold are judged on the question's own vector, so that they mean
        the same with or without the dictionary.
        """
        if query.dense_text == query.text:
            return own
        return self.models.embedder.query(query.dense_text)


def build_pipeline(
    settings: Settings,
    index: Index,
    models: Models,
    client: ChatClient | None,
    retriever: Retriever | None = None,
) -> Pipeline:
    """The one place the question-time stages are wired, each given its own config.

    `retriever` replaces the hybrid one (an evaluation baseline, say).
    """
    search = settings.search
    hybrid = HybridRetriever(
        index, settings.fusion, search.candidates, search.recency_weight, search.copy_similarity
    )
    lexicon = load_lexicon(settings.search.dictionary)
    answerer = ExtractiveAnswerer(
        models.sentences, settings.extractive, index.paragraph_vectors, index.lexical, lexicon
    )
    extractive = ExtractiveGenerator(answerer)
    quoter = Quoter(models.sentences, models.embedder)
    return Pipeline(
        index=index,
        models=models,
        planner=QueryPlanner(client, lexicon, search.gloss_in_query, _names(index, search)),
        retriever=retriever or hybrid,
        generator=make_generator(settings.mode, extractive, client, quoter),
        config=settings.search,
    )


def _names(index: Index, search: SearchConfig) -> NameMatcher | None:
    return NameMatcher(index.lexical.vocabulary()) if search.transliterate else None


def _assemble(
    query: Query, passages: tuple[Passage, ...], draft: Draft, timings: Timings
) -> Answer:
    return Answer(
        question=query.question,
        text=draft.text,
        answered=draft.answered,
        citations=draft.citations,
        language=query.language,
        mode=draft.mode,
        passages=passages,
        notice=_with_language_notice(query.question, draft.notice),
        dropped_markers=draft.dropped_markers,
        confidence=draft.confidence,
        doubtful=draft.doubtful,
        search_query=query.text,
        timings=timings,
    )


def _with_language_notice(question: str, notice: str | None) -> str | None:
    """Questions in a third language are answered in English, and the answer says so."""
    language = other_language(question)
    if language is None:
        return notice
    told = load_prompt("notices", "en")["other_language"].format(language=language)
    return f"{told} {notice}" if notice else told


class AnswerStream:
    """An answer being written: iterate for its text deltas, then read `answer()`.

    In the manner of simonw/llm's `Response`: `answer()` before or midway
    through the iteration reads the rest first. The final answer's text
    replaces what was streamed: markers are checked and renumbered, and a
    failed LLM answer is replaced by the extractive one.
    """

    def __init__(self, events: Iterator[Event]) -> None:
        self._events = events
        self._answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        for event in self._events:
            if isinstance(event, Answer):
                self._answer = event
                return
            yield event

    def answer(self) -> Answer:
        for _ in self:
            pass
        if self._answer is None:
            raise RuntimeError("the answer stream ended without an answer")
        return self._answer
