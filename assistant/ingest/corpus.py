"""Reading article files into cleaned, numbered `Article`s.

A file is read by the reader of its format (`formats.READERS`): an article
file's id is its file name without the extension, so citations stay
meaningful to someone looking at the folder; an archive's articles get ids
from their URLs (`records`). A bad file or record (not UTF-8, empty, nothing
left after cleaning, a malformed JSON line) is skipped with where and why;
the rest still loads.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import CorpusError
from assistant.ingest.cleaning import clean_page
from assistant.ingest.formats import READERS, Item, Skipped, read_file, unsupported
from assistant.ingest.paragraphs import paragraph_spans
from assistant.types import UNKNOWN_SOURCE, Article, Paragraph, Source

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Note:
    """Something read but not kept, the article itself ingested (an impossible date, say)."""

    where: str
    text: str


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[Note, ...] = ()

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.article_id == article_id:
                return article
        raise KeyError(article_id)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for a in self.articles for p in a.paragraphs]


def digest(raw: str, source: Source = UNKNOWN_SOURCE) -> str:
    """What identifies an article's content: its raw text and, when known, its source."""
    data = raw if source == UNKNOWN_SOURCE else raw + "\x00" + json.dumps(_source_fields(source))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _source_fields(source: Source) -> list[object]:
    return [
        source.outlet,
        source.iso_date,
        source.url,
        source.author,
        source.language,
        source.extra,
    ]


# Gives back an article already cleaned from this same item (with this digest), if any.
Reuse = Callable[[Item, str], Article | None]


def parse_article(item: Item) -> Article:
    """Clean and number one article's raw text."""
    raw = item.raw
    page = clean_page(raw)
    dropped = list(page.dropped)
    spans = paragraph_spans(page.blocks, dropped)
    if not spans:
        raise CorpusError(f"{item.article_id}: no paragraphs left after cleaning")
    paragraphs = tuple(
        Paragraph(item.article_id, page.title, number, raw[s.start : s.end], s, item.source)
        for number, s in enumerate(spans, start=1)
    )
    dropped.sort(key=lambda d: d.span.start)
    return Article(
        item.article_id, page.title, paragraphs, tuple(dropped), digest(raw, item.source),
        item.source,
    )  # fmt: skip


def read_items(path: Path) -> Iterator[Item | Skipped]:
    """What one file holds, by its format; a file that cannot be read is one `Skipped`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(str(path), exc.strerror or str(exc))
        return
    yield from read_file(str(path), data)


def article_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Readable files under the given files or folders, sorted so numbering is stable,
    and the files of other formats, skipped."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files = [path]
        else:
            raise CorpusError(f"{path}: no such file or folder")
        for file in files:
            suffix = file.suffix.lower()
            if suffix in READERS:
                found.append(file)
            else:
                skipped.append(Skipped(str(file), unsupported(suffix)))
    return found, skipped


def load_corpus(paths: Iterable[Path], reuse: Reuse | None = None) -> Corpus:
    """Every readable article under `paths`; unreadable ones are listed in `skipped`."""
    files, skipped = article_files(paths)
    articles: dict[str, Article] = {}
    notes: list[Note] = []
    for path in files:
        for item in read_items(path):
            _take(item, reuse, articles, skipped, notes)
    return Corpus(tuple(articles.values()), tuple(skipped), tuple(notes))


def _take(
    item: Item | Skipped,
    reuse: Reuse | None,
    articles: dict[str, Article],
    skipped: list[Skipped],
    notes: list[Note],
) -> None:
    """Add one item's article to `articles`, or say in `skipped` why not."""
    if isinstance(item, Skipped):
        log.info("skipped %s: %s", item.where, item.reason)
        skipped.append(item)
        return
    if item.article_id in articles:
        skipped.append(Skipped(item.where, f"duplicate article id {item.article_id}"))
        return
    try:
        known = reuse(item, digest(item.raw, item.source)) if reuse else None
        articles[item.article_id] = known or parse_article(item)
    except CorpusError as exc:
        skipped.append(Skipped(item.where, exc.message))
        return
    notes += [Note(item.where, text) for text in item.notes]
