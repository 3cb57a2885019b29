"""Saved news pages (.html) turned into the same line-per-block text as the scraped .txt files.

Only the text a reader sees is kept: the headline first (the page's first <h1>,
else its <title>), then the blocks of the main content (<article>, else <main>,
else <body>), one per line. Navigation, headers, footers, sidebars, forms,
scripts and styles are skipped. The result then goes through the ordinary
cleaning rules, so a page and its scraped text give the same paragraphs; a
paragraph's span refers to this extracted text.

What the page says about itself is collected too, under the archive schema's
field names (see `records`): the outlet (`og:site_name`, JSON-LD `publisher`),
the published date (`article:published_time`, JSON-LD `datePublished`, the
first `<time datetime>`), the author and the canonical URL. The first source
that names a field wins, in the order listed in `_META`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table td th title tr ul".split()
)
SKIPPED = frozenset("aside button footer form head header iframe nav noscript script select "
                    "style svg template".split())  # fmt: skip
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
CONTAINERS = ("article", "main", "body")
# <meta property|name|itemprop=...> -> schema field, most trusted first.
_META = {
    "og:site_name": "outlet",
    "application-name": "outlet",
    "article:published_time": "published",
    "datepublished": "published",
    "pubdate": "published",
    "publish-date": "published",
    "date": "published",
    "dc.date.issued": "published",
    "author": "author",
    "article:author": "author",
    "og:url": "url",
    "og:title": "title",
}
_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "WebPage"}


@dataclass(frozen=True)
class WebPage:
    """A page's readable text and the schema fields its markup declares."""

    text: str
    fields: dict[str, str]


class _Collector(HTMLParser):
    """Collects the text of each block, remembering which containers it sits in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.lines: list[tuple[frozenset[str], str]] = []
        self.title = ""
        self.h1 = ""
        self._buffer: list[str] = []
        self._h1: list[str] = []
        self.meta: dict[str, str] = {}  # schema field -> value, from <meta>, <link>, <time>
        self.linked_data: list[str] = []  # the JSON of each JSON-LD <script>
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._flush()
        self._declared(tag, {name: value or "" for name, value in attrs})
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._flush()
        self._declared(tag, {name: value or "" for name, value in attrs})

    def _declared(self, tag: str, attrs: dict[str, str]) -> None:
        """Remember what a <meta>, <link rel=canonical>, <time> or JSON-LD tag declares."""
        if tag == "meta":
            name = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
            field = _META.get(name.lower())
            if field and attrs.get("content", "").strip():
                self.meta.setdefault(f"{field}:{name.lower()}", attrs["content"].strip())
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            self.meta.setdefault("url:canonical", attrs.get("href", "").strip())
        elif tag == "time" and attrs.get("datetime", "").strip():
            self.meta.setdefault("published:time", attrs["datetime"].strip())
        self._in_json_ld = tag == "script" and attrs.get("type", "") == "application/ld+json"
        if self._in_json_ld:
            self.linked_data.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_json_ld = False
        if tag in BLOCKS:
            self._flush()
        if tag == "h1" and not self.h1:
            self.h1 = " ".join("".join(self._h1).split())
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.linked_data[-1] += data
            return
        if "h1" in self.stack and not self.h1:
            self._h1.append(data)  # the headline counts even inside a skipped <header>
        if "title" in self.stack and not self.title:
            self.title = " ".join(data.split())
        elif not SKIPPED.intersection(self.stack):
            self._buffer.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text:
            self.lines.append((frozenset(self.stack), text))

    def close(self) -> None:
        super().close()
        self._flush()


def read_page(html: str) -> WebPage:
    """The page's headline and main-content blocks, one per line, and its metadata."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return WebPage(_text(collector), _fields(collector))


def page_text(html: str) -> str:
    return read_page(html).text


def _text(collector: _Collector) -> str:
    container = next(
        (c for c in CONTAINERS if any(c in inside for inside, _ in collector.lines)), None
    )
    blocks = [text for inside, text in collector.lines if container is None or container in inside]
    headline = collector.h1 or collector.title
    if headline and (not blocks or blocks[0] != headline):
        blocks.insert(0, headline)
    return "\n".join(blocks) + "\n"


def _fields(collector: _Collector) -> dict[str, str]:
    """Schema fields from <meta> first (in `_META` order), then JSON-LD, then <time>."""
    linked = _linked_article(collector.linked_data)
    ranked = [*(f"{field}:{name}" for name, field in _META.items()), "url:canonical"]
    found: dict[str, str] = {}
    for key in ranked:
        field = key.split(":", 1)[0]
        if key in collector.meta:
            found.setdefault(field, collector.meta[key])
    for field, value in linked.items():
        found.setdefault(field, value)
    if "published:time" in collector.meta:
        found.setdefault("published", collector.meta["published:time"])
    return found


def _linked_article(scripts: list[str]) -> dict[str, str]:
    """Outlet, date, author and URL of the first JSON-LD object describing an article."""
    for script in scripts:
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for node in _nodes(data):
            kinds = node.get("@type")
            kinds = set(kinds) if isinstance(kinds, list) else {kinds}
            if kinds & _ARTICLE_TYPES or "datePublished" in node:
                fields = {
                    "outlet": _name(node.get("publisher")),
                    "published": _name(node.get("datePublished")),
                    "author": _name(node.get("author")),
                    "url": _name(node.get("url") or node.get("mainEntityOfPage")),
                }
                return {field: value for field, value in fields.items() if value}
    return {}


def _nodes(data: Any) -> list[dict[str, Any]]:
    """The objects of a JSON-LD document: itself, a list of them, or its @graph."""
    items = data if isinstance(data, list) else [data]
    found = []
    for item in items:
        if isinstance(item, dict):
            found.append(item)
            found += [n for n in item.get("@graph", []) if isinstance(n, dict)]
    return found


def _name(value: Any) -> str:
    """A JSON-LD value as text: a string, an object's name (or @id), a list's names."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return _name(value.get("name") or value.get("@id"))
    if isinstance(value, list):
        return ", ".join(n for n in map(_name, value) if n)
    return ""
