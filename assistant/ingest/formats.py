"""Reading article files of every accepted format into `Item`s (raw text and source).

One reader per format, chosen by the file's suffix from `READERS`: a `.txt`
file or saved page is one article named after the file; a `.json` file holds
one article or an array of them, a `.jsonl` file one per line (the schema is
in `records`); a `.zip` holds any of these. A reader never stops at a bad
article: it yields a `Skipped` saying where (file, line) and why, and goes
on. Nothing is extracted to disk, so a zip member's path cannot escape.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from assistant.ingest.records import RecordError, record, schema_fields, source_of
from assistant.ingest.webpage import read_page
from assistant.types import UNKNOWN_SOURCE, Source

MAX_ARTICLE_BYTES = 2_000_000  # one article's file (.txt, .html, .md)
MAX_DUMP_BYTES = 512_000_000  # one archive file (.json, .jsonl, a zip's member)


@dataclass(frozen=True)
class Item:
    """One article as read from a file, before cleaning; paragraphs' spans point into `raw`."""

    article_id: str
    raw: str
    source: Source
    where: str  # "dump.jsonl line 12", shown in messages
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """Something not ingested, and why: a file, an archive member, one line of a dump."""

    where: str
    reason: str


Found = Item | Skipped
# (name shown in messages, the file's bytes) -> what the file holds
Reader = Callable[[str, bytes], Iterator[Found]]


def read_file(name: str, data: bytes) -> Iterator[Found]:
    """The articles in a file, by its suffix; an unsupported one is one `Skipped`."""
    suffix = PurePosixPath(name).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        yield Skipped(name, unsupported(suffix))
        return
    yield from reader(name, data)


def unsupported(suffix: str) -> str:
    kind = f"{suffix} files" if suffix else "files without a suffix"
    return f"{kind} are not read (accepted: {', '.join(READERS)}); not copied"


def decode(name: str, data: bytes, limit: int = MAX_ARTICLE_BYTES) -> str:
    """The file's text; RecordError when it is too large, binary or not UTF-8."""
    if len(data) > limit:
        raise RecordError(f"{len(data):,} bytes is more than the {limit:,} this format allows")
    if b"\x00" in data:
        raise RecordError("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
        ) from exc


# An article file's text -> (raw text, source, notes)
Parsed = tuple[str, Source, tuple[str, ...]]


def _one_article(name: str, data: bytes, parse: Callable[[str], Parsed]) -> Found:
    """A file holding one article, named after the file."""
    try:
        raw, source, notes = parse(decode(name, data))
    except RecordError as exc:
        return Skipped(name, str(exc))
    if not raw.strip():
        return Skipped(name, "empty file")
    return Item(PurePosixPath(name).stem, raw, source, name, notes)


def read_text(name: str, data: bytes) -> Iterator[Found]:
    yield _one_article(name, data, lambda text: (text, UNKNOWN_SOURCE, ()))


def _page(html: str) -> Parsed:
    page = read_page(html)
    return (page.text, *source_of(page.fields))


def read_html(name: str, data: bytes) -> Iterator[Found]:
    yield _one_article(name, data, _page)


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_MARKUP = (
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE), ""),  # heading marks
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # emphasis, code
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),  # quotes
)


def _markdown(text: str) -> Parsed:
    """Plain text of a Markdown article; `key: value` front matter gives its source."""
    front: dict[str, Any] = {}
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match[1].splitlines():
            key, _, value = line.partition(":")
            front[key.strip()] = value.strip().strip("\"'")
        text = text[match.end() :]
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    fields = schema_fields(front)
    title = str(fields["title"] or "").strip()
    return (f"{title}\n{text}" if title else text, *source_of(fields))


def read_markdown(name: str, data: bytes) -> Iterator[Found]:
    yield _one_article(name, data, _markdown)


def _item(name: str, line: int, value: Any) -> Found:
    where = f"{name} line {line}"
    try:
        found = record(value)
    except RecordError as exc:
        return Skipped(where, str(exc))
    return Item(found.article_id, found.raw, found.source, where, found.notes)


def read_json(name: str, data: bytes) -> Iterator[Found]:
    """One article (an object) or many (an array); invalid JSON skips the whole file."""
    try:
        values = list(_json_values(decode(name, data, MAX_DUMP_BYTES)))
    except RecordError as exc:
        yield Skipped(name, str(exc))
        return
    except json.JSONDecodeError as exc:
        yield Skipped(
            f"{name} line {exc.lineno}",
            f"not valid JSON ({exc.msg}, column {exc.colno}); nothing in this file was read",
        )
        return
    for line, value in values:
        yield _item(name, line, value)


def _json_values(text: str) -> Iterator[tuple[int, Any]]:
    """(line, value) of each element of a top-level array, or of the one top-level value."""
    decoder = json.JSONDecoder()
    at = _skip_space(text, 0)
    if not text.startswith("[", at):
        value, end = decoder.raw_decode(text, at)
        if text[_skip_space(text, end) :]:
            raise json.JSONDecodeError("extra data after the article", text, end)
        yield text.count("\n", 0, at) + 1, value
        return
    line, counted = 1, 0
    at = _skip_space(text, at + 1)
    while not text.startswith("]", at):
        line += text.count("\n", counted, at)
        counted = at
        value, end = decoder.raw_decode(text, at)
        yield line, value
        at = _skip_space(text, end)
        if text.startswith(",", at):
            at = _skip_space(text, at + 1)
        elif not text.startswith("]", at):
            raise json.JSONDecodeError("expected ',' or ']'", text, at)


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def read_jsonl(name: str, data: bytes) -> Iterator[Found]:
    """One article per line; a line that is not JSON is skipped alone."""
    try:
        text = decode(name, data, MAX_DUMP_BYTES)
    except RecordError as exc:
        yield Skipped(name, str(exc))
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = f"not valid JSON ({exc.msg}, column {exc.colno})"
            yield Skipped(f"{name} line {number}", reason)
            continue
        yield _item(name, number, value)


def read_zip(name: str, data: bytes) -> Iterator[Found]:
    """Every accepted file in the archive, in name order, folders included."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        yield Skipped(name, f"not a valid zip file ({exc})")
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if not info.is_dir():
                yield from _member(archive, info, f"{name}:{info.filename}")


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> Iterator[Found]:
    path = PurePosixPath(info.filename.replace("\\", "/"))
    suffix = path.suffix.lower()
    if path.is_absolute() or ".." in path.parts:
        yield Skipped(where, "the path leaves the archive's folder; not read")
    elif suffix == ".zip":
        yield Skipped(where, "a zip inside a zip is not read; unpack it first")
    elif suffix not in READERS:
        yield Skipped(where, unsupported(suffix))
    elif info.file_size > MAX_DUMP_BYTES:
        yield Skipped(where, f"{info.file_size:,} bytes unpacked is more than {MAX_DUMP_BYTES:,}")
    else:
        try:
            with archive.open(info) as member:
                data = member.read(MAX_DUMP_BYTES + 1)
        except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:
            yield Skipped(where, f"cannot be unpacked ({exc})")
            return
        yield from READERS[suffix](where, data)


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".md": read_markdown,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".zip": read_zip,
}
