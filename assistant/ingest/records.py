"""The archive schema: one JSON object per article, and what it becomes.

    {"title": "...", "content": "paragraph\\nparagraph", "url": "https://...",
     "outlet": "Okaz", "published": "2015-08-03", "author": "...", "language": "ar"}

`content` may instead be `paragraphs`, a list of strings. Only the text is
required. Other names are accepted for each field (`ALIASES`), among them
SaudiNewsNet's `source` and `date_extracted`; keys the schema does not name
are kept as the source's `extra` metadata. An optional `id` names the article;
without one its id comes from its URL (`okaz.com.sa-3f9a0c1b2d`), or from its
text when it has no URL, so ingesting the same dump again finds the same
articles and embeds nothing.

The same field names serve HTML pages' metadata and Markdown front matter.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assistant.ingest.dates import DateError, parse_date
from assistant.types import Source

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "guid"),
    "title": ("title", "headline", "name"),
    "content": ("content", "text", "body", "article", "article_body", "articleBody"),
    "paragraphs": ("paragraphs",),
    "url": ("url", "link", "canonical_url", "permalink"),
    "outlet": ("outlet", "source", "publisher", "site_name", "site", "newspaper"),
    "published": (
        "published", "date", "published_at", "date_published", "datePublished", "pubDate",
        "publication_date", "date_extracted",
    ),
    "author": ("author", "authors", "byline", "writer"),
    "language": ("language", "lang", "inLanguage"),
}  # fmt: skip
KNOWN_KEYS = frozenset(name for names in ALIASES.values() for name in names)
MAX_FIELD_CHARS = 2_000_000  # the longest article text accepted, as for article files
_MAX_EXTRA_CHARS = 500
# Outlet ids some archives use (SaudiNewsNet's `source`), with their display names.
OUTLET_NAMES: dict[str, str] = tomllib.loads(
    (Path(__file__).with_name("outlets.toml")).read_text(encoding="utf-8")
)["names"]


class RecordError(ValueError):
    """A record that cannot be an article; the message says why."""


@dataclass(frozen=True)
class Record:
    """One article of an archive, its fields checked, not yet cleaned."""

    article_id: str
    raw: str  # the title line, then the text: paragraphs' spans point into it
    source: Source
    notes: tuple[str, ...]  # what was read but not kept (an impossible date, say)


def record(data: Any) -> Record:
    """The article a JSON value describes; RecordError when it cannot be one."""
    if not isinstance(data, dict):
        raise RecordError(f"an article must be a JSON object, not {type(data).__name__}")
    fields = schema_fields(data)
    body = _body(fields["content"], fields["paragraphs"])
    title = _text(fields["title"], "title")
    source, notes = source_of(fields, _extra(data))
    raw = f"{title}\n{body}" if title and not body.startswith(title) else body
    return Record(_identity(fields["id"], source, body), raw, source, notes)


def schema_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Each schema field's value under the first of its names that has one (or None)."""
    return {name: _first(data, name) for name in ALIASES}


def source_of(
    fields: Mapping[str, Any], extra: tuple[tuple[str, str], ...] = ()
) -> tuple[Source, tuple[str, ...]]:
    """The `Source` named by schema fields, and notes on values that were not kept."""
    notes: list[str] = []
    published = None
    when = _text(fields.get("published"), "published")
    if when:
        try:
            published = parse_date(when)
        except DateError as exc:
            notes.append(f"date left empty: {exc}")
    source = Source(
        outlet=outlet_name(_text(fields.get("outlet"), "outlet")),
        published=published,
        url=_text(fields.get("url"), "url"),
        author=_text(fields.get("author"), "author"),
        language=_text(fields.get("language"), "language"),
        extra=extra,
    )
    return source, tuple(notes)


def outlet_name(value: str) -> str:
    """An outlet's display name: a known id (`okaz`) named (`Okaz`), else as written."""
    return OUTLET_NAMES.get(value.strip().casefold(), value.strip())


def text_id(text: str, prefix: str = "article") -> str:
    """An id from a text's content: the same text always gets the same id."""
    return f"{slug(prefix) or 'article'}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


def slug(text: str) -> str:
    """`text` as a readable id: letters, digits, dots and dashes."""
    return re.sub(r"[^\w.]+", "-", text.strip().casefold()).strip("-.")[:80]


def _identity(given: Any, source: Source, body: str) -> str:
    explicit = slug(str(given)) if isinstance(given, str | int) else ""
    if explicit:
        return explicit
    if source.url:
        host = (urlsplit(source.url).hostname or "").removeprefix("www.")
        return text_id(source.url, host or source.outlet)
    return text_id(body, source.outlet)


def _first(data: Mapping[str, Any], name: str) -> Any:
    """The value under the first of the field's names that has one."""
    for key in ALIASES[name]:
        value = data.get(key)
        if value not in (None, "", []):
            return value
    return None


def _checked_length(text: str, name: str) -> str:
    if len(text) > MAX_FIELD_CHARS:
        raise RecordError(
            f"field {name!r} holds {len(text):,} characters; "
            f"an article may hold at most {MAX_FIELD_CHARS:,}"
        )
    return text


def _text(value: Any, name: str) -> str:
    """A metadata field as one line of text: a string, a number, a name, a list of names."""
    if value is None:
        return ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return " ".join(_checked_length(str(value), name).split())
    if isinstance(value, dict) and "name" in value:
        return _text(value["name"], name)
    if isinstance(value, list) and all(isinstance(v, str | dict) for v in value):
        return ", ".join(t for t in (_text(v, name) for v in value) if t)
    raise RecordError(f"field {name!r} must be text, not {type(value).__name__}")


def _body(content: Any, paragraphs: Any) -> str:
    if isinstance(content, str):
        body = content
    elif isinstance(paragraphs, list) and all(isinstance(p, str) for p in paragraphs):
        body = "\n".join(paragraphs)
    elif content is not None or paragraphs is not None:
        raise RecordError("'content' must be text, or 'paragraphs' a list of texts")
    else:
        body = ""
    if not body.strip():
        raise RecordError("no content: the article has no text")
    return _checked_length(body, "content")


def _extra(data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Keys the schema does not name, kept as short text."""
    kept = []
    for key, value in data.items():
        if key in KNOWN_KEYS or value in (None, "", [], {}):
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        kept.append((str(key), text[:_MAX_EXTRA_CHARS]))
    return tuple(kept)
