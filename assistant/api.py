"""The Python API: `Assistant().ask(question)` and `Assistant().search(question)`.

The index is opened lazily, on first use, so constructing an `Assistant` is
cheap and a first run builds the index without a separate step.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.arabic import detect_language
from assistant.corpus import article_files, read_article
from assistant.embedding import Embedder, make_embedder
from assistant.extractive import ExtractiveAnswerer, ExtractiveConfig
from assistant.index import Index, SyncReport, open_index
from assistant.questions import clean_question
from assistant.retrieval import HybridRetriever, Weights
from assistant.settings import Settings
from assistant.types import Answer, Article, Language, Passage


class Assistant:
    """Answers questions about the corpus, citing article and paragraph."""

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        base = settings or Settings.load()
        self.settings = base.replace(**overrides) if overrides else base
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._index: Index | None = None
        self._retriever: HybridRetriever | None = None
        self._answerer: ExtractiveAnswerer | None = None

    # -- index -----------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings.embedder, self.settings.embed_threads)
        return self._embedder

    @property
    def index(self) -> Index:
        with self._lock:
            if self._index is None:
                self._open()
            assert self._index is not None
            return self._index

    def _open(self) -> None:
        s = self.settings
        self._index = open_index(s, self.embedder)
        self._retriever = HybridRetriever(
            self._index.paragraphs,
            self._index.vectors,
            self._index.lexical,
            self.embedder,
            s.candidates,
            s.rrf_k,
        )
        self._answerer = ExtractiveAnswerer(
            self.embedder,
            ExtractiveConfig(
                max_sentences=s.evidence_sentences,
                lexical_bonus=s.lexical_bonus,
                margin=s.evidence_margin,
                thresholds={"ar": s.answer_threshold_ar, "en": s.answer_threshold_en},
            ),
        )

    def ingest(self, paths: Iterable[Path | str] = ()) -> SyncReport:
        """Copy new article files into the user corpus and bring the index up to date."""
        files = article_files(Path(p) for p in paths)
        if files:
            self.settings.user_corpus.mkdir(parents=True, exist_ok=True)
        for path in files:
            read_article(path)  # refuse a bad file before copying it
            shutil.copy2(path, self.settings.user_corpus / path.name)
        with self._lock:
            self._open()
            assert self._index is not None
            return self._index.report

    @property
    def articles(self) -> tuple[Article, ...]:
        return self.index.corpus.articles

    # -- questions -------------------------------------------------------------
    def weights(self, language: Language) -> Weights:
        return Weights(self.settings.dense_weight, self.settings.lexical_weight(language))

    def search(self, question: str, k: int | None = None, weights: Weights | None = None) -> list[Passage]:
        """Ranked paragraphs for a question (hybrid by default)."""
        question = clean_question(question, self.settings.max_question_chars)
        index = self.index
        assert self._retriever is not None and index
        language = detect_language(question)
        return self._retriever.search(question, k or self.settings.top_k, weights or self.weights(language))

    def ask(self, question: str) -> Answer:
        """An answer with citations, or a plain statement that the articles do not hold it."""
        started = time.perf_counter()
        question = clean_question(question, self.settings.max_question_chars)
        self.index  # noqa: B018 - opens the index on first use
        assert self._retriever is not None and self._answerer is not None
        language = detect_language(question)
        vector = self.embedder.query(question)
        passages = self._retriever.search(
            question, self.settings.top_k, self.weights(language), query_vector=vector
        )
        retrieved = time.perf_counter()
        answer = self._answerer.answer(question, language, vector, passages)
        answer.timings.update(
            retrieval=retrieved - started, answer=time.perf_counter() - retrieved,
            total=time.perf_counter() - started,
        )
        return answer

