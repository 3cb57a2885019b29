"""Cleaning scraped news pages into a title and body blocks.

The rules are about the *shape* of page furniture common to Arabic news sites
(widget labels, reading-time badges, "read also" teasers, related-headline
lists, pull quotes, bylines and datelines, share-button and tag lines), never
about a particular file. Every removal is recorded
as a `Dropped` so that a test, or a curious reader, can audit what went.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.arabic import match_key
from assistant.ingest.dates import mentions_date
from assistant.types import Dropped, Span

# Whole lines that are widget labels rather than text.
_FURNITURE = re.compile(
    r"(?:no\s*script|تصغير|تكبير|يومي|اسبوعي|أسبوعي|شهري|طباعة|مشاركة|شارك|"
    r"share|print|advertisement|إعلان|اعلان|"
    r"مدة القراءة\s*[:：]?\s*[0-9٠-٩]+\s*(?:د|دقيقة|دقائق)?\.?)",
    re.IGNORECASE,
)
# "Read also: <headline>" teasers linking to other stories, and "more by this writer" lists.
_READ_ALSO = re.compile(
    r"^(?:(?:إ|ا|أ)قرأ\s+(?:أيضا|أيضاً|ايضا|ايضاً)\s*[:：\-–]|"
    r"(?:مقالات|المزيد من مقالات)\s+(?:أخرى\s+)?(?:ل|لل)?(?:الكاتب|الكاتبة|للكاتب|للكاتبة))"
)
# Headers that open a block of links to other stories.
_RELATED_HEADER = re.compile(
    r"(?:مواضيع|موضوعات|أخبار|اخبار|مقالات|قصص)\s+(?:ذات صلة|متعلقة|مرتبطة)|"
    r"(?:إقرأ|اقرأ|أقرأ)\s+(?:المزيد|أيضا|أيضاً)|الأكثر\s+(?:قراءة|مشاهدة|تداولا|تداولاً)"
)
# A line inside a related block: a bullet, a truncated teaser, or a bare headline.
_LIST_ITEM = re.compile(r"^\s*[-–•*·]\s+")
_TEASER_END = re.compile(r"(?:…|\.\.\.)\s*$")
_SENTENCE_END = re.compile(r"[.!؟?][\"”»’')]*\s*$|[\"”»][.!؟?]\s*$")
_PARAGRAPH_MIN_CHARS = 80  # headlines, even with ? or !, are shorter
# Agency bylines glued to the first sentence ("وكالاتأكد ...", "رويترز - ...").
_BYLINE = re.compile(
    r"^\(?(?:وكالات|رويترز|الأناضول|أ\s?ف\s?ب|د\s?ب\s?أ)\)?(?:\s*[-–:|]\s*|(?=[أإا]))"
)
_TITLE_MAX_CHARS = 200
# "كتبت: سارة أحمد 14 مارس 2024 وقت القراءة: 3 دقائق", "By Jane Doe | March 14, 2024".
_BYLINE_LINE = re.compile(
    r"^(?:(?:كتب|كتبت|بقلم|by|written by|reporting by)\s*[:：\-–]?|"
    r"(?:إعداد|اعداد|تحرير|تقرير|حوار|متابعة|ترجمة|تصوير)\s*[:：\-–])\s*\S",
    re.IGNORECASE,
)
_READING_TIME = re.compile(
    r"(?:وقت|مدة|زمن)\s+القراءة\s*[:：]?\s*[0-9٠-٩]+\s*(?:د|دقيقة|دقائق)?|"
    r"[0-9٠-٩]+\s*(?:دقيقة|دقائق)\s+(?:للقراءة|قراءة)|[0-9]+\s*min(?:ute)?s?\s+read",
    re.IGNORECASE,
)
_BYLINE_MAX_CHARS = 160
_BYLINE_MAX_WORDS = 8
# A line of share buttons: only the names of networks and the words around them.
_NETWORKS = frozenset(
    "فيسبوك فيس بوك تويتر إكس واتساب واتس تلغرام تليجرام تيليجرام لينكدإن لينكد إن "
    "انستغرام انستجرام إنستغرام يوتيوب سناب شات ماسنجر بنترست facebook twitter x "
    "whatsapp telegram linkedin instagram youtube snapchat messenger pinterest reddit".split()
)
_SHARE_WORDS = _NETWORKS | frozenset(
    "اب آب شارك شاركها مشاركة المقال الخبر عبر على عبر البريد بريد الإلكتروني الالكتروني "
    "ايميل إيميل نسخ الرابط رابط طباعة share on via email e-mail mail print copy link "
    "tweet this article".split()
)
# "الوسوم: روسيا، كوبا", "Tags: Russia, Cuba".
_TAGS = re.compile(
    r"^(?:ال)?(?:وسوم|كلمات\s+(?:مفتاحية|دلالية)|الكلمات\s+(?:المفتاحية|الدلالية)|"
    r"tags|keywords|topics|filed under)\s*[:：]",
    re.IGNORECASE,
)
_TAGS_MAX_CHARS = 300
# "عين اليوم – جدة", "الرياض - واس": a place and an outlet (or a writer) opening the text.
_DATELINE = re.compile(
    r"^[^\s.!؟?:،,]+(?:\s[^\s.!؟?:،,]+){0,3}\s+[-–—|/]\s+[^\s.!؟?:،,]+(?:\s[^\s.!؟?:،,]+){0,3}$"
)
_DATELINE_MAX_CHARS = 50
_DATELINE_LINES = 2  # only the first lines after the title are datelines
_PULL_QUOTE_MIN_KEY = 30


@dataclass(frozen=True)
class Block:
    """A kept line of body text and where it sits in the raw file."""

    text: str
    span: Span


@dataclass(frozen=True)
class CleanPage:
    title: str
    blocks: tuple[Block, ...]
    dropped: tuple[Dropped, ...]


def raw_lines(raw: str) -> Iterator[Block]:
    """Non-empty lines with surrounding spaces trimmed, spans pointing into `raw`."""
    for match in re.finditer(r"[^\r\n]+", raw):
        line = match.group()
        stripped = line.strip()
        if stripped:
            start = match.start() + (len(line) - len(line.lstrip()))
            yield Block(stripped, Span(start, start + len(stripped)))


def _looks_like_paragraph(text: str) -> bool:
    """Real article text ends a sentence and is longer than a headline."""
    return (
        len(text) >= _PARAGRAPH_MIN_CHARS
        and _SENTENCE_END.search(text) is not None
        and not _TEASER_END.search(text)
    )


def _is_byline(text: str) -> bool:
    """A writer's name, a date, a reading time: a line that is not a sentence of the story."""
    if len(text) > _BYLINE_MAX_CHARS:
        return False
    if _READING_TIME.search(text):
        return True
    if _SENTENCE_END.search(text):
        return False  # bylines do not end in a full stop; short story sentences do
    short = len(text.split()) <= _BYLINE_MAX_WORDS  # a name, not a headline ("تقرير: ...")
    return short and (bool(_BYLINE_LINE.match(text)) or mentions_date(text))


def _is_share_line(text: str) -> bool:
    words = re.findall(r"[\w\-]+", text.casefold())
    return 2 <= len(words) <= 20 and set(words) <= _SHARE_WORDS and bool(_NETWORKS & set(words))


def _line_rule(text: str, in_related: bool) -> str | None:
    """The furniture rule that drops this line, or None to keep it."""
    if _FURNITURE.fullmatch(text):
        return "furniture"
    if _is_share_line(text):
        return "share"
    if _TAGS.match(text) and len(text) <= _TAGS_MAX_CHARS:
        return "tags"
    if _is_byline(text):
        return "byline"
    if _READ_ALSO.match(text):
        return "read-also"
    if len(text) < 60 and _RELATED_HEADER.fullmatch(text.strip(" :：")):
        return "related-header"
    if in_related and not _looks_like_paragraph(text):
        return "related"
    if _LIST_ITEM.match(text) and _TEASER_END.search(text):
        return "related"
    return None


def _drop_furniture(lines: list[Block], dropped: list[Dropped]) -> list[Block]:
    kept: list[Block] = []
    seen: set[str] = set()
    in_related = False
    for line in lines:
        rule = _line_rule(line.text, in_related)
        if rule == "related-header":
            in_related = True
        elif rule is None:
            in_related = False
            key = match_key(line.text)
            if key in seen:
                rule = "repeat"
            seen.add(key)
        if rule:
            dropped.append(Dropped(rule, line.text, line.span))
        else:
            kept.append(line)
    return kept


def _title_of(kept: list[Block]) -> tuple[str, list[Block]]:
    """The first meaningful line is the title; a wall of text lends its first sentence."""
    if not kept:
        return "", kept
    first = kept[0]
    if len(first.text) <= _TITLE_MAX_CHARS:
        return first.text, kept[1:]
    sentence = re.split(r"(?<=[.!؟?])\s", first.text, maxsplit=1)[0]
    if len(sentence) > _TITLE_MAX_CHARS:
        sentence = sentence[:_TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence, kept


def _drop_datelines(blocks: list[Block], dropped: list[Dropped]) -> list[Block]:
    """Drop a short "place – outlet" line among the first lines of the text."""
    kept = []
    for i, block in enumerate(blocks):
        text = block.text
        if i < _DATELINE_LINES and len(text) <= _DATELINE_MAX_CHARS and _DATELINE.match(text):
            dropped.append(Dropped("dateline", text, block.span))
        else:
            kept.append(block)
    return kept


def _strip_byline(blocks: list[Block], dropped: list[Dropped]) -> list[Block]:
    if not blocks:
        return blocks
    first = blocks[0]
    match = _BYLINE.match(first.text)
    if not match or match.end() >= len(first.text):
        return blocks
    cut = first.span.start + match.end()
    dropped.append(Dropped("byline", match.group(), Span(first.span.start, cut)))
    return [Block(first.text[match.end() :], Span(cut, first.span.end)), *blocks[1:]]


def _drop_pull_quotes(blocks: list[Block], title: str, dropped: list[Dropped]) -> list[Block]:
    """Drop a block whose text stands whole inside a longer block or the title."""
    keys = [match_key(b.text) for b in blocks]
    title_key = match_key(title)
    kept = []
    for i, block in enumerate(blocks):
        key = keys[i]
        inside_other = len(key) >= _PULL_QUOTE_MIN_KEY and any(
            j != i and len(other) > len(key) and key in other for j, other in enumerate(keys)
        )
        if inside_other or key == title_key:
            dropped.append(
                Dropped("pull-quote" if inside_other else "repeat", block.text, block.span)
            )
        else:
            kept.append(block)
    return kept


def clean_page(raw: str) -> CleanPage:
    """Split a scraped page into its title, its body blocks and the furniture dropped."""
    dropped: list[Dropped] = []
    kept = _drop_furniture(list(raw_lines(raw)), dropped)
    title, body = _title_of(kept)
    body = _drop_datelines(body, dropped)
    body = _drop_pull_quotes(_strip_byline(body, dropped), title, dropped)
    return CleanPage(title, tuple(body), tuple(sorted(dropped, key=lambda d: d.span.start)))
