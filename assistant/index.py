"""Keeping the index in step with the corpus: what is embedded is what is on disk.

The manifest records, per article, the content hash that was embedded, with the
pipeline version and the embedder. Opening the index re-embeds only articles
that are new or changed and removes those that changed or went away, and
writes the manifest last, so an interrupted build is finished on the next open.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.arabic import terms
from assistant.corpus import Corpus, load_corpus
from assistant.embedding import Embedder
from assistant.errors import StoreUnavailable
from assistant.settings import Settings
from assistant.types import Paragraph
from store import LexicalIndex, VectorStore, open_vector_store

log = logging.getLogger(__name__)

# Bump when cleaning or splitting changes, so existing indexes are rebuilt.
PIPELINE_VERSION = 1


@dataclass(frozen=True)
class SyncReport:
    articles: int
    paragraphs: int
    embedded: int
    removed: int
    seconds: float
    skipped: tuple[tuple[str, str], ...]


@dataclass
class Index:
    corpus: Corpus
    paragraphs: dict[str, Paragraph]
    vectors: VectorStore
    lexical: LexicalIndex
    report: SyncReport


def _manifest_path(settings: Settings) -> Path:
    return settings.index_dir / "manifest.json"


def _read_manifest(path: Path, embedder: Embedder) -> dict[str, str]:
    """Article id -> embedded hash, or {} when the manifest belongs to another setup."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("pipeline") != PIPELINE_VERSION or data.get("embedder") != embedder.name:
        return {}
    return dict(data.get("articles", {}))


def _write_manifest(path: Path, embedder: Embedder, hashes: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    data = {"pipeline": PIPELINE_VERSION, "embedder": embedder.name, "articles": hashes}
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def open_index(settings: Settings, embedder: Embedder) -> Index:
    """Load the corpus and bring the vector store up to date with it."""
    started = time.perf_counter()
    corpus = load_corpus(settings.corpus_paths())
    vectors = open_vector_store(
        settings.index_dir / "chroma", settings.chroma_url, f"paragraphs-{embedder.name}"
    )
    manifest_path = _manifest_path(settings)
    embedded = _read_manifest(manifest_path, embedder)
    if not embedded and vectors.count():
        vectors.clear()  # vectors of unknown provenance (an interrupted or older build)
    current = {a.article_id: a.content_hash for a in corpus.articles}
    stale = [aid for aid, digest in embedded.items() if current.get(aid) != digest]
    fresh = [a for a in corpus.articles if embedded.get(a.article_id) != a.content_hash]
    new_paragraphs = [p for a in fresh for p in a.paragraphs]
    try:
        for article_id in stale:
            vectors.delete_article(article_id)
        if new_paragraphs:
            log.info("embedding %d paragraphs of %d articles", len(new_paragraphs), len(fresh))
            vectors.add(new_paragraphs, embedder.passages([p.text for p in new_paragraphs]))
        if stale or fresh or not manifest_path.exists():
            _write_manifest(manifest_path, embedder, current)
    except Exception as exc:  # OSError, or Chroma's own errors (a full disk under SQLite)
        raise StoreUnavailable(
            f"Could not update the index in {settings.index_dir}: {exc}. "
            "The index already open stays in use; free space or fix "
            "permissions, then run `assistant ingest` again."
        ) from exc
    paragraphs = {p.key: p for p in corpus.paragraphs}
    lexical = LexicalIndex(list(paragraphs), [terms(p.text) for p in paragraphs.values()])
    report = SyncReport(
        articles=len(corpus.articles),
        paragraphs=len(paragraphs),
        embedded=len(new_paragraphs),
        removed=len(stale),
        seconds=time.perf_counter() - started,
        skipped=tuple((str(s.path), s.reason) for s in corpus.skipped),
    )
    return Index(corpus, paragraphs, vectors, lexical, report)
