"""Keeping the index in step with the corpus: what is searched is what is on disk.

Opening the index compares the corpus with the live version's manifest (article
id -> content hash, pipeline version, embedder). When they agree, the version
is loaded as it is: cleaned structures, a memory-mapped BM25 index, no
embedding. When they differ, a new version is built: only paragraphs (and
windows of two consecutive paragraphs) whose vectors are not stored yet are
embedded (vectors are addressed by key and text hash, so unchanged paragraphs,
and those a killed build already stored, are reused), and the version is
switched to only when complete.

An open `Index` is a frozen value: a process that notices (by `is_live`) that
another one published a newer version opens that one beside it, and switches
to it whole.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from assistant.arabic import terms
from assistant.errors import StoreUnavailable
from assistant.index import snapshot
from assistant.index.scopes import SourceColumns
from assistant.index.versions import Addresses, Manifest, Version, Versions, restore
from assistant.ingest.corpus import Corpus, Reuse, load_corpus
from assistant.ingest.formats import Item
from assistant.models.embedding import Embedder
from assistant.settings import IndexConfig
from assistant.types import Article, Paragraph, Window
from store import (
    LexicalIndex,
    Metadata,
    StoreError,
    VectorStore,
    Where,
    open_vector_store,
    reload_embedded,
)

log = logging.getLogger(__name__)

# Bump when cleaning, splitting or what is embedded changes, so existing indexes are rebuilt.
PIPELINE_VERSION = 4
EMBED_BATCH = 256  # vectors are stored batch by batch, so a killed build keeps its work

Entry = tuple[VectorStore, str, Paragraph | Window]  # where a vector goes, its id, its text
Progress = Callable[[int, int], None]  # (texts embedded so far, texts to embed)
Key = TypeVar("Key")


@dataclass(frozen=True)
class SyncReport:
    articles: int
    paragraphs: int
    embedded: int  # texts embedded by this opening: paragraphs and windows
    removed: int
    seconds: float
    skipped: tuple[tuple[str, str], ...]  # (where: file, member, line; why)
    version: str = ""
    notes: tuple[tuple[str, str], ...] = ()  # (where, what was not kept of an ingested article)


def vector_id(item: Paragraph | Window) -> str:
    """Where a vector lives: the same text at the same place, the same vector.

    The outlet and date it is filtered by are part of the address, so that a
    stored vector's metadata is never stale: a corrected date is a new vector.
    """
    source = _first(item).source
    addressed = f"{item.text}\x00{source.outlet_key}\x00{source.day}"
    text_hash = hashlib.sha256(addressed.encode("utf-8")).hexdigest()[:16]
    return f"{item.key}@{text_hash}"


def addresses(paragraphs: Sequence[Paragraph]) -> Addresses:
    """Every vector id of these paragraphs and their windows (`paragraphs` in article order)."""
    return Addresses(
        {vector_id(p): p.key for p in paragraphs},
        {vector_id(w): w.keys for w in windows(paragraphs)},
    )


def _first(item: Paragraph | Window) -> Paragraph:
    return item.first if isinstance(item, Window) else item


def windows(paragraphs: Sequence[Paragraph]) -> list[Window]:
    """Each paragraph with the next one of the same article (`paragraphs` in article order)."""
    return [
        Window(first, second)
        for first, second in itertools.pairwise(paragraphs)
        if first.article_id == second.article_id
    ]


class LiveVectors(Generic[Key]):
    """A shared vector collection seen through one version.

    The collection may also hold vectors of an older version or of a build in
    progress; those are asked for in excess and filtered out. A build running
    beside this version (an ingest while questions are answered) adds vectors
    after the excess was counted, so a search that kept fewer than `k` asks
    again for more: the live vectors among the store's best `n` are the best
    live ones, so the first `k` kept are the right ones.
    """

    def __init__(self, store: VectorStore, live: Mapping[str, Key]) -> None:
        self.store = store
        self._live = live  # vector id -> paragraph key (or a window's two keys)
        self._excess = max(0, store.count() - len(live))

    def search(
        self, vector: np.ndarray, k: int, where: Where | None = None
    ) -> list[tuple[Key, float]]:
        wanted = k + self._excess
        while True:
            hits = self.store.search(vector, wanted, where)
            kept = [(self._live[v], score) for v, score in hits if v in self._live]
            if len(kept) >= k or len(hits) < wanted:
                return kept[:k]
            wanted *= 2


@dataclass(frozen=True)
class Index:
    corpus: Corpus
    paragraphs: dict[str, Paragraph]
    vectors: LiveVectors[str]
    windows: LiveVectors[tuple[str, str]]
    lexical: LexicalIndex
    report: SyncReport
    versions: Versions
    columns: SourceColumns  # each BM25 document's outlet and date, for scoped searches

    @property
    def store(self) -> VectorStore:
        return self.vectors.store

    @functools.cached_property
    def outlets(self) -> tuple[str, ...]:
        """The outlets the articles come from, by name, sorted (computed once per version)."""
        return tuple(sorted({a.source.outlet for a in self.corpus.articles if a.source.outlet}))

    def paragraph_vectors(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these paragraphs (one store read)."""
        ids = {vector_id(self.paragraphs[key]): key for key in keys}
        return {ids[v]: vector for v, vector in self.store.vectors(list(ids)).items()}

    def is_live(self) -> bool:
        """Whether this is still the live version (one small file read: cheap per question)."""
        return self.versions.current_name() == self.report.version


def open_index(
    config: IndexConfig,
    embedder: Embedder,
    progress: Progress | None = None,
    written_elsewhere: bool = False,
) -> Index:
    """Load the live version, building a new one first if the corpus has changed.

    `written_elsewhere`: another process published the version, so the vectors
    are read from disk afresh rather than from this process's embedded store.
    """
    started = time.perf_counter()
    versions = Versions(config.index_dir / embedder.name)  # one live version per embedder
    live = _compatible(versions.current(), embedder)
    stores = _open_stores(config, embedder, written_elsewhere)
    key = snapshot.corpus_key(config.corpus_paths())  # before reading: an edit made meanwhile shows
    saved = snapshot.load(live.folder, key) if live else None
    corpus = saved or load_corpus(config.corpus_paths(), _reuse(live))
    hashes = {a.article_id: a.content_hash for a in corpus.articles}
    embedded, removed = 0, 0
    if live is not None and dict(live.manifest.articles) == hashes:
        if saved is None:  # the files were touched, not changed: read them once more only
            snapshot.save(live.folder, key, corpus)
        lexical, where = live.lexical(), live.addresses() or addresses(corpus.paragraphs)
    else:
        before = live.manifest.articles if live else {}
        removed = sum(1 for aid, h in before.items() if hashes.get(aid) != h)
        manifest = Manifest(PIPELINE_VERSION, embedder.name, hashes)
        live, lexical, where, embedded = _build(
            versions, manifest, corpus, key, stores, embedder, progress
        )
    paragraphs = {p.key: p for p in corpus.paragraphs}
    vectors = LiveVectors(stores[0], where.paragraphs)
    pairs = LiveVectors(stores[1], where.windows)
    report = SyncReport(
        articles=len(corpus.articles),
        paragraphs=len(paragraphs),
        embedded=embedded,
        removed=removed,
        seconds=time.perf_counter() - started,
        skipped=tuple((s.where, s.reason) for s in corpus.skipped),
        notes=tuple((n.where, n.text) for n in corpus.notes),
        version=live.name,
    )
    columns = SourceColumns.of([paragraphs[key] for key in lexical.keys])
    return Index(corpus, paragraphs, vectors, pairs, lexical, report, versions, columns)


def _open_stores(
    config: IndexConfig, embedder: Embedder, written_elsewhere: bool
) -> tuple[VectorStore, VectorStore]:
    """The paragraphs' and the windows' vector collections of this embedder."""
    where = (config.index_dir / "chroma", config.chroma_url)
    if written_elsewhere and not config.chroma_url:
        reload_embedded(where[0])
    try:
        store, window_store = (
            open_vector_store(*where, f"{kind}-{embedder.name}", config.ef_search)
            for kind in ("paragraphs", "windows")
        )
    except StoreError as exc:
        raise StoreUnavailable(exc.message) from exc
    return store, window_store


def _compatible(version: Version | None, embedder: Embedder) -> Version | None:
    """The live version, unless it was built by another pipeline or embedder."""
    if version is None:
        return None
    manifest = version.manifest
    if manifest.pipeline != PIPELINE_VERSION or manifest.embedder != embedder.name:
        return None
    return version


def _reuse(version: Version | None) -> Reuse:
    """Articles cleaned by `version` already; its structures are read on the first ask."""
    structures = functools.cache(version.structures if version else dict)

    def known(item: Item, digest: str) -> Article | None:
        saved = structures().get(item.article_id)
        if saved is None or saved["hash"] != digest:
            return None
        return restore(item, digest, saved)

    return known


def _build(
    versions: Versions,
    manifest: Manifest,
    corpus: Corpus,
    corpus_key: str,
    stores: tuple[VectorStore, VectorStore],
    embedder: Embedder,
    progress: Progress | None,
) -> tuple[Version, LexicalIndex, Addresses, int]:
    """Embed what is missing, write the version, switch to it, drop unused vectors.

    `corpus_key` is the key of the files `corpus` was read from; `stores`
    hold the paragraphs' vectors and the windows'.
    """
    paragraphs = corpus.paragraphs
    pairs = windows(paragraphs)
    texts: tuple[Sequence[Paragraph | Window], ...] = (paragraphs, pairs)
    batches = [
        (store, [vector_id(item) for item in items], items)
        for store, items in zip(stores, texts, strict=True)
    ]
    try:
        with versions.building():
            embedded = _embed_missing(batches, embedder, progress)
            keys = [p.key for p in paragraphs]
            lexical = LexicalIndex.build(keys, (terms(p.text) for p in paragraphs))
            where = Addresses(
                dict(zip(batches[0][1], keys, strict=True)),
                {i: w.keys for i, w in zip(batches[1][1], pairs, strict=True)},
            )
            version = versions.publish(manifest, corpus, corpus_key, lexical, where)
            for store, ids, _ in batches:
                _drop_unused(store, set(ids))
    except StoreUnavailable:
        raise
    except Exception as exc:  # OSError, or Chroma's own errors (a full disk under SQLite)
        raise StoreUnavailable(
            f"Could not update the index in {versions.root}: {exc}. "
            "The index already open stays in use; free space or fix "
            "permissions, then run `assistant ingest` again."
        ) from exc
    return version, lexical, where, embedded


def _embed_missing(
    batches: Sequence[tuple[VectorStore, Sequence[str], Sequence[Paragraph | Window]]],
    embedder: Embedder,
    progress: Progress | None,
) -> int:
    """Embed the items whose vectors their store lacks; one progress count over all stores.

    `batches` holds (store, vector ids, items) triples. A text is embedded once however
    often it recurs (syndicated copies: SaudiNewsNet repeats 12,405 paragraphs), and
    texts go to the model shortest first, so each padded batch holds similar lengths.
    """
    todo: dict[str, list[Entry]] = {}
    for store, ids, items in batches:
        stored = store.existing(ids)
        for i, item in zip(ids, items, strict=True):
            if i not in stored:
                todo.setdefault(item.text, []).append((store, i, item))
    total = sum(len(entries) for entries in todo.values())
    if todo:
        log.info("embedding %d distinct texts for %d vectors", len(todo), total)
        if progress:
            progress(0, total)
    texts, done = sorted(todo, key=len), 0
    for start in range(0, len(texts), EMBED_BATCH):
        chunk = texts[start : start + EMBED_BATCH]
        vectors = embedder.passages(chunk)
        entries = [(e, row) for row, text in enumerate(chunk) for e in todo[text]]
        for store, _, _ in batches:
            _store(store, [(e, vectors[row]) for e, row in entries if e[0] is store])
        done += len(entries)
        log.info("stored %d of %d vectors", done, total)
        if progress:
            progress(done, total)
    return total


def _store(store: VectorStore, entries: Sequence[tuple[Entry, np.ndarray]]) -> None:
    """One `add` of (entry, vector) pairs, all bound for `store`."""
    if entries:
        items = [item for (_, _, item), _ in entries]
        store.add(
            [address for (_, address, _), _ in entries],
            [item.text for item in items],
            [_metadata(item) for item in items],
            np.stack([vector for _, vector in entries]),
        )


def _metadata(item: Paragraph | Window) -> Metadata:
    """What the store keeps beside a vector: where its text is (a window: both
    paragraphs), and the outlet key and day (YYYYMMDD, 0 unknown) searches filter on."""
    first, last = (item.first, item.second) if isinstance(item, Window) else (item, item)
    metadata: dict[str, str | int | float] = {
        "article_id": first.article_id,
        "title": first.title,
        "paragraph": first.number,
        "start": first.span.start,
        "end": last.span.end,
        "outlet": first.source.outlet_key,
        "day": first.source.day,
    }
    if last is not first:
        metadata["last_paragraph"] = last.number
    return metadata


def _drop_unused(store: VectorStore, live: set[str]) -> None:
    """Delete vectors no version points to (changed or deleted articles, killed builds)."""
    if store.count() > len(live):
        store.delete([i for i in store.ids() if i not in live])
