"""The Python API: `Assistant().ask(question)`, `.search(question)`, `.stream(question)`.

An `Assistant` holds one reference to a frozen `Pipeline` over one index
version. Nothing is opened until first needed (or `open()`), so constructing
one is cheap and a first run builds the index without a separate step. An
ingest builds the next pipeline beside the current one and swaps it in with
one assignment: questions never wait for it, and one that started on the old
index finishes on it. Each question also checks, by one small file read,
whether another process (`assistant ingest` beside `assistant serve`) has
published a newer index version, and switches to it first.
"""

from __future__ import annotations

import dataclasses
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypedDict, Unpack

from assistant.answer.generation import check_mode
from assistant.arabic import detect_language
from assistant.errors import CorpusError
from assistant.index.build import Index, Progress, SyncReport, open_index
from assistant.ingest.corpus import article_files, load_corpus
from assistant.models.embedding import make_embedder
from assistant.models.lexicon import load_lexicon
from assistant.models.llm import ChatClient
from assistant.pipeline import AnswerStream, Models, Pipeline, build_pipeline
from assistant.search.conversation import History
from assistant.search.retrieval import Retriever
from assistant.search.scoping import DateLike, make_scope
from assistant.settings import NAMES, Settings
from assistant.types import Answer, Article, Passage, Query, Scope


class Filters(TypedDict, total=False):
    """What `search`, `ask` and `stream` may be limited to: `outlets` (names or
    archive ids), and a period from `since` to `until` (dates or YYYY-MM-DD
    text, inclusive). Absent, a filter admits every article."""

    outlets: Iterable[str]
    since: DateLike
    until: DateLike


# Settings that decide what the index holds; changing one means another index.
INDEX_SETTINGS = frozenset(
    {"home", "corpus", "embedder", "chroma_url", "ef_search", "models"}
    | {n for n in NAMES if n.startswith("embed_")}  # threads and embedding servers
)


class Assistant:
    """Answers questions about the corpus, citing article and paragraph."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        models: Models | None = None,
        index: Index | None = None,
        retriever: Retriever | None = None,
        **overrides: Any,
    ) -> None:
        """Settings (or `Settings.load()`) with `overrides` by their flat names.

        `models` and `index` share ones already loaded (a benchmark's own
        embedder, or the assistant a configuration is derived from);
        `retriever` replaces the hybrid retriever, as httpx takes `transport=`.
        """
        base = settings or Settings.load()
        self.settings = base.replace(**overrides) if overrides else base
        check_mode(self.settings.mode)  # a wrong setting fails before any indexing
        load_lexicon(self.settings.search.dictionary)  # read once per process, then shared
        llm = self.settings.llm
        self._client = (
            ChatClient(llm) if llm.base_url and self.settings.mode != "extractive" else None
        )
        self._models = models
        self._start_index = index
        self._retriever = retriever
        self._pipeline: Pipeline | None = None
        self._switch = threading.Lock()  # held to open, to switch versions, and by ingest

    # -- the index ---------------------------------------------------------------
    def open(self, progress: Progress | None = None) -> Pipeline:
        """The current pipeline, opening the index first (building it if the corpus changed)."""
        with self._switch:
            if self._pipeline is None:
                index = self._start_index or self._open_index(progress)
                self._pipeline = self._build(index)
            return self._pipeline

    def ingest(
        self, paths: Iterable[Path | str] = (), progress: Progress | None = None
    ) -> SyncReport:
        """Copy new article files into the user corpus and bring the index up to date.

        A file of another format, or one holding no readable article, is named
        in the report's `skipped` and not copied; so is each bad record of an
        archive file (file, line, reason), whose good records are ingested. A
        failure while copying or indexing leaves the index that was open in
        use, and says what happened; `progress(done, total)` is told as
        paragraphs are embedded. Questions are answered from the open index
        meanwhile.
        """
        files, refused = article_files(Path(p) for p in paths)
        copies: dict[str, str] = {}  # a copy's path -> the path the user gave
        for path in files:
            found = load_corpus([path])  # refuse a file of bad records before copying it
            if found.articles:
                copies[str(_copy_into(path, self.settings.index.user_corpus))] = str(path)
            else:
                refused += found.skipped
        with self._switch:
            pipeline = self._build(self._open_index(progress))
            self._pipeline = pipeline
        report = pipeline.index.report
        skipped = [*report.skipped, *((s.where, s.reason) for s in refused)]
        return dataclasses.replace(
            report,
            skipped=tuple((_named_as_given(w, copies), why) for w, why in skipped),
            notes=tuple((_named_as_given(w, copies), text) for w, text in report.notes),
        )

    @property
    def articles(self) -> tuple[Article, ...]:
        return self._current().index.corpus.articles

    def derive(self, retriever: Retriever | None = None, **changes: Any) -> Assistant:
        """An assistant with other answering settings, sharing this one's models and index.

        Used to compare configurations side by side without rebuilding anything;
        a change to where or how the index is built gets an index of its own.
        """
        settings = self.settings.replace(**changes)
        if not INDEX_SETTINGS.isdisjoint(changes):
            return Assistant(settings, retriever=retriever)
        pipeline = self.open()
        return Assistant(
            settings, models=pipeline.models, index=pipeline.index, retriever=retriever
        )

    # -- questions -------------------------------------------------------------
    def search(
        self,
        question: str | Query,
        k: int | None = None,
        history: History | None = None,
        **filters: Unpack[Filters],
    ) -> list[Passage]:
        """Ranked paragraphs for a question (hybrid by default); filters as for `ask`."""
        pipeline = self._current()
        query = pipeline.plan(question, history, self._scope(pipeline, question, filters))
        return pipeline.search(query, k or self.settings.search.top_k)

    def ask(
        self,
        question: str | Query,
        history: History | None = None,
        k: int | None = None,
        **filters: Unpack[Filters],
    ) -> Answer:
        """An answer with citations, or a plain statement that the articles do not hold it.

        `history` holds the earlier turns of the conversation, so that a follow-up
        like "and what did he say about the attacks?" can be answered; `k` is the
        number of passages to answer from (default: the `top_k` setting).
        `outlets` (names or archive ids), `since` and `until` (dates or
        YYYY-MM-DD text, inclusive) limit the articles answered from.
        """
        return self.stream(question, history, k, **filters).answer()

    def stream(
        self,
        question: str | Query,
        history: History | None = None,
        k: int | None = None,
        **filters: Unpack[Filters],
    ) -> AnswerStream:
        """The answer as it is written: iterate for text deltas, then call `answer()`.

        The question is checked and planned now (a bad one raises here), on the
        pipeline current now, which the whole answer then uses.
        """
        pipeline = self._current()
        query = pipeline.plan(question, history, self._scope(pipeline, question, filters))
        return AnswerStream(pipeline.answer(query, k or self.settings.search.top_k))

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets the archive's articles come from (what `outlets=` accepts)."""
        return self._current().index.outlets

    # -- internals ---------------------------------------------------------------
    def _current(self) -> Pipeline:
        """The pipeline to answer with, switching first to a newer live version.

        Only one thread switches; the others (and all questions while this
        process ingests) go on with the pipeline they have.
        """
        pipeline = self._pipeline
        if pipeline is None:
            return self.open()
        if pipeline.index.is_live() or not self._switch.acquire(blocking=False):
            return pipeline
        try:
            current = self._pipeline
            if current is pipeline or current is None:  # nobody switched meanwhile
                current = self._build(self._open_index(None, written_elsewhere=True))
                self._pipeline = current
            return current
        finally:
            self._switch.release()

    @staticmethod
    def _scope(pipeline: Pipeline, question: str | Query, filters: Filters) -> Scope:
        """The filters as a scope; messages in the question's language."""
        text = question.question if isinstance(question, Query) else question
        language = detect_language(text) if isinstance(text, str) else "en"
        outlets = filters.get("outlets", ())
        names = [outlets] if isinstance(outlets, str) else list(outlets)
        since, until = filters.get("since"), filters.get("until")
        known = pipeline.index.outlets if names else ()
        return make_scope(names, since, until, known, language)

    def _open_index(self, progress: Progress | None, written_elsewhere: bool = False) -> Index:
        embedder = self._shared_models().embedder
        return open_index(self.settings.index, embedder, progress, written_elsewhere)

    def _shared_models(self) -> Models:
        """Loaded once, on first need (the embedder takes a moment to load)."""
        if self._models is None:
            self._models = Models.of(make_embedder(self.settings.index))
        return self._models

    def _build(self, index: Index) -> Pipeline:
        return build_pipeline(
            self.settings, index, self._shared_models(), self._client, self._retriever
        )


def _named_as_given(where: str, copies: dict[str, str]) -> str:
    """`where` (file, member, line) naming the file the user gave rather than its copy."""
    for copy, given in copies.items():
        if where == copy or where.startswith((f"{copy}:", f"{copy} ")):
            return given + where[len(copy) :]
    return where


def _copy_into(path: Path, folder: Path) -> Path:
    """Copy whole or not at all: a half-written article must never be indexed."""
    partial = folder / f".{path.name}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, partial)
        return partial.replace(folder / path.name)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CorpusError(
            f"Could not copy {path.name} into {folder}: {exc.strerror or exc}. "
            "Nothing was added; the index is unchanged."
        ) from exc
