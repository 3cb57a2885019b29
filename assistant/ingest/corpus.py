"""Reading article files into cleaned, numbered `Article`s.

An article's id is its file name without the extension, so citations stay
meaningful to someone looking at the folder. A bad file (not UTF-8, empty,
nothing left after cleaning) is skipped with a reason; the rest still loads.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import CorpusError
from assistant.ingest.cleaning import clean_page
from assistant.ingest.paragraphs import paragraph_spans
from assistant.ingest.webpage import page_text
from assistant.types import Article, Paragraph

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
MAX_ARTICLE_BYTES = 2_000_000


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.article_id == article_id:
                return article
        raise KeyError(article_id)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for a in self.articles for p in a.paragraphs]


def decode(path: Path) -> str:
    """The file's text; a clear CorpusError when it is not an article we can read."""
    data = path.read_bytes()
    if len(data) > MAX_ARTICLE_BYTES:
        raise CorpusError(f"{path.name}: {len(data):,} bytes is larger than an article can be")
    if b"\x00" in data:
        raise CorpusError(f"{path.name}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    if path.suffix.lower() in HTML_SUFFIXES:
        text = page_text(text)
    if not text.strip():
        raise CorpusError(f"{path.name}: empty file")
    return text


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# Gives back an article already cleaned from this same text (id, raw, digest), if any.
Reuse = Callable[[str, str, str], Article | None]


def parse_article(article_id: str, raw: str) -> Article:
    """Clean and number one article's raw text."""
    page = clean_page(raw)
    dropped = list(page.dropped)
    spans = paragraph_spans(page.blocks, dropped)
    if not spans:
        raise CorpusError(f"{article_id}: no paragraphs left after cleaning")
    paragraphs = tuple(
        Paragraph(article_id, page.title, number, raw[s.start : s.end], s)
        for number, s in enumerate(spans, start=1)
    )
    dropped.sort(key=lambda d: d.span.start)
    return Article(article_id, page.title, paragraphs, tuple(dropped), digest(raw))


def read_article(path: Path, reuse: Reuse | None = None) -> Article:
    """The cleaned article; `reuse` skips cleaning when the text is unchanged."""
    raw = decode(path)
    known = reuse(path.stem, raw, digest(raw)) if reuse else None
    return known or parse_article(path.stem, raw)


def article_files(paths: Iterable[Path]) -> list[Path]:
    """Article files under the given files or folders, sorted so numbering is stable."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise CorpusError(f"{path}: no such file or folder")
    return found


def load_corpus(paths: Iterable[Path], reuse: Reuse | None = None) -> Corpus:
    """Every readable article under `paths`; unreadable ones are listed in `skipped`."""
    articles: dict[str, Article] = {}
    skipped: list[Skipped] = []
    for path in article_files(paths):
        try:
            article = read_article(path, reuse)
        except (CorpusError, OSError) as exc:
            reason = exc.message if isinstance(exc, CorpusError) else str(exc)
            log.warning("skipped %s: %s", path, reason)
            skipped.append(Skipped(path, reason))
            continue
        if article.article_id in articles:
            skipped.append(Skipped(path, f"duplicate article id {article.article_id}"))
            continue
        articles[article.article_id] = article
    return Corpus(tuple(articles.values()), tuple(skipped))
