"""The Python API: `Assistant().ask(question)` and `Assistant().search(question)`.

The index is opened lazily, on first use, so constructing an `Assistant` is
cheap and a first run builds the index without a separate step.
"""

from __future__ import annotations

import dataclasses
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.arabic import other_language
from assistant.conversation import History
from assistant.corpus import article_files, read_article
from assistant.embedding import Embedder, make_embedder
from assistant.errors import CorpusError
from assistant.extractive import ExtractiveAnswerer, ExtractiveConfig, SentenceVectors
from assistant.generation import (
    ExtractiveGenerator,
    Generator,
    Quoter,
    check_mode,
    make_generator,
)
from assistant.index import Index, Progress, SyncReport, open_index
from assistant.lexicon import load_lexicon
from assistant.llm import ChatClient
from assistant.prompts import load_prompt
from assistant.questions import clean_question
from assistant.retrieval import Fusion, HybridRetriever
from assistant.rewriting import QueryPlanner
from assistant.settings import Settings
from assistant.types import Answer, Article, Language, Passage, Query

# Settings that decide what the index holds; changing one means another index.
INDEX_SETTINGS = frozenset({"home", "corpus", "embedder", "embed_threads", "chroma_url"})


class Assistant:
    """Answers questions about the corpus, citing article and paragraph."""

    def __init__(
        self,
        settings: Settings | None = None,
        embedding_model: Embedder | None = None,
        **overrides: Any,
    ) -> None:
        """`embedding_model` replaces the embedder the settings name (a benchmark's own)."""
        base = settings or Settings.load()
        self.settings = base.replace(**overrides) if overrides else base
        check_mode(self.settings.mode)  # a wrong answer setting fails before any indexing
        self.settings.endpoint()
        self._lexicon = load_lexicon(self.settings.dictionary)
        self._lock = threading.Lock()
        self._embedder: Embedder | None = embedding_model
        self._index: Index | None = None
        self._retriever: HybridRetriever | None = None
        self._sentences: SentenceVectors | None = None
        self._generator: Generator | None = None
        self._planner: QueryPlanner | None = None

    # -- index -----------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def index(self) -> Index:
        with self._lock:
            if self._index is None:
                self._open()
            assert self._index is not None
            return self._index

    def _open(self, progress: Progress | None = None) -> None:
        self._index = open_index(self.settings, self.embedder, progress)
        self._sentences = SentenceVectors(self.embedder)
        self._assemble()

    def _assemble(self) -> None:
        """Build the retriever and answerer over the open index, from the settings."""
        s = self.settings
        assert self._index is not None and self._sentences is not None
        self._retriever = HybridRetriever(
            self._index.paragraphs,
            self._index.vectors,
            self._index.windows,
            self._index.lexical,
            self.embedder,
            s.candidates,
        )
        extractive = ExtractiveGenerator(
            ExtractiveAnswerer(
                self._sentences,
                ExtractiveConfig(
                    max_sentences=s.evidence_sentences,
                    lexical_bonus=s.lexical_bonus,
                    margin=s.evidence_margin,
                    thresholds={"ar": s.answer_threshold_ar, "en": s.answer_threshold_en},
                ),
            )
        )
        endpoint = s.endpoint()
        client = ChatClient(endpoint) if endpoint and s.mode != "extractive" else None
        quoter = Quoter(self._sentences, self.embedder)
        self._generator = make_generator(s.mode, extractive, client, quoter)
        self._planner = QueryPlanner(client, self._lexicon, s.gloss_in_query)

    def derive(self, **changes: Any) -> Assistant:
        """An assistant with other answering settings sharing this one's model and index.

        Used to compare configurations side by side without rebuilding anything;
        a change to where or how the index is built gets an index of its own.
        """
        twin = Assistant(self.settings.replace(**changes))
        if INDEX_SETTINGS.isdisjoint(changes):
            twin._embedder = self._embedder
            with self._lock:
                twin._index, twin._sentences = self._index, self._sentences
            if twin._index is not None:
                twin._assemble()
        return twin

    def ingest(
        self, paths: Iterable[Path | str] = (), progress: Progress | None = None
    ) -> SyncReport:
        """Copy new article files into the user corpus and bring the index up to date.

        Bad files are skipped and named in the report. A failure while copying or
        indexing leaves the index that was open in use, and says what happened;
        `progress(done, total)` is told as paragraphs are embedded.
        """
        skipped = []
        for path in article_files(Path(p) for p in paths):
            try:
                read_article(path)  # refuse a bad file before copying it
            except CorpusError as exc:
                skipped.append((str(path), exc.message))
                continue
            _copy_into(path, self.settings.user_corpus)
        with self._lock:
            self._open(progress)
            assert self._index is not None
            report = self._index.report
        return dataclasses.replace(report, skipped=(*report.skipped, *skipped))

    @property
    def articles(self) -> tuple[Article, ...]:
        return self.index.corpus.articles

    # -- questions -------------------------------------------------------------
    def fusion(self, language: Language) -> Fusion:
        return Fusion(self.settings.dense_weight, *self.settings.fusion_values(language))

    def plan(self, question: str | Query, history: History | None = None) -> Query:
        """The question cleaned, resolved against the conversation, ready to search.

        A `Query` passed in is used as it is: that is how a caller (the evaluation,
        say) chooses the lexical text itself.
        """
        self.index  # noqa: B018 - opens the index (and the LLM client) on first use
        assert self._planner is not None
        if isinstance(question, Query):
            return question
        cleaned = clean_question(question, self.settings.max_question_chars)
        return self._planner.plan(cleaned, history)

    def search(
        self,
        question: str | Query,
        k: int | None = None,
        fusion: Fusion | None = None,
        history: History | None = None,
    ) -> list[Passage]:
        """Ranked paragraphs for a question (hybrid by default)."""
        query = self.plan(question, history)
        return self._retrieve(
            query, self.embedder.query(query.dense_text), k or self.settings.top_k, fusion
        )

    def ask(
        self, question: str | Query, history: History | None = None, k: int | None = None
    ) -> Answer:
        """An answer with citations, or a plain statement that the articles do not hold it.

        `history` holds the earlier turns of the conversation, so that a follow-up
        like "and what did he say about the attacks?" can be answered; `k` is the
        number of passages to answer from (default: the `top_k` setting).
        """
        return _last(self.ask_stream(question, history, k))

    def ask_stream(
        self, question: str | Query, history: History | None = None, k: int | None = None
    ) -> Iterator[str | Answer]:
        """The answer's text as it is written (str deltas), then the final `Answer`.

        The final answer's text replaces what was streamed: markers are checked
        and renumbered, and a failed LLM answer is replaced by the extractive one.
        """
        top_k = k or self.settings.top_k
        return self.stream_with(question, lambda q, v: self._retrieve(q, v, top_k), history)

    def answer_with(
        self,
        question: str | Query,
        retrieve: Callable[[Query, np.ndarray], Sequence[Passage]],
        history: History | None = None,
    ) -> Answer:
        """Answer from the passages `retrieve(query, query_vector)` returns.

        `ask` uses the hybrid retriever; an evaluation baseline passes its own.
        """
        return _last(self.stream_with(question, retrieve, history))

    def stream_with(
        self,
        question: str | Query,
        retrieve: Callable[[Query, np.ndarray], Sequence[Passage]],
        history: History | None = None,
    ) -> Iterator[str | Answer]:
        started = time.perf_counter()
        query = self.plan(question, history)
        assert self._generator is not None
        vector = self.embedder.query(query.text)
        passages = retrieve(query, self._search_vector(query, vector))
        retrieved = time.perf_counter()
        for event in self._generator.stream(query, vector, passages):
            if isinstance(event, str):
                yield event
                continue
            answer = dataclasses.replace(
                event,
                question=query.question,
                search_query=query.text,
                notice=_with_language_notice(query.question, event.notice),
            )
            answer.timings.update(
                retrieval=retrieved - started,
                answer=time.perf_counter() - retrieved,
                total=time.perf_counter() - started,
            )
            yield answer

    def _search_vector(self, query: Query, own: np.ndarray) -> np.ndarray:
        """The vector retrieval searches with, given the question's `own`.

        They differ for a glossed English question, whose gloss anchors the
        search among Arabic paragraphs. The answer's evidence and its refusal
        threshold are judged on the question's own vector, so that they mean
        the same with or without the dictionary.
        """
        return own if query.dense_text == query.text else self.embedder.query(query.dense_text)

    def _retrieve(
        self, query: Query, vector: np.ndarray, k: int, fusion: Fusion | None = None
    ) -> list[Passage]:
        assert self._retriever is not None
        fusion = fusion or self.fusion(query.fusion_language)
        return self._retriever.search(
            query.dense_text, k, fusion, query_vector=vector, lexical_query=query.lexical_text
        )


def _copy_into(path: Path, folder: Path) -> None:
    """Copy whole or not at all: a half-written article must never be indexed."""
    partial = folder / f".{path.name}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, partial)
        partial.replace(folder / path.name)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CorpusError(
            f"Could not copy {path.name} into {folder}: {exc.strerror or exc}. "
            "Nothing was added; the index is unchanged."
        ) from exc


def _with_language_notice(question: str, notice: str | None) -> str | None:
    """Questions in a third language are answered in English, and the answer says so."""
    language = other_language(question)
    if language is None:
        return notice
    told = load_prompt("notices", "en")["other_language"].format(language=language)
    return f"{told} {notice}" if notice else told


def _last(events: Iterable[str | Answer]) -> Answer:
    answer = None
    for event in events:
        answer = event
    assert isinstance(answer, Answer), "a generator must end with an Answer"
    return answer
