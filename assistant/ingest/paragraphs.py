"""Splitting cleaned blocks into numbered paragraphs and sentences, keeping spans.

Most pages put one paragraph per line. Some put a whole article on one line
with inline ` – heading – ` markers; such walls are cut at the markers and then
grouped into paragraphs of a few sentences, so a citation points at a readable
piece of text instead of the whole article.
"""

from __future__ import annotations

import re

from assistant.ingest.cleaning import Block
from assistant.types import Dropped, Span

WALL_CHARS = 1200
_MAX_SENTENCES = 4
_TARGET_CHARS = 350
# A sentence ends at . ! ? ؟ (possibly doubled), then any closing quotes, then space or the end.
_SENTENCE_END = re.compile(r"[.!؟?…]+[\"”»’')\]]*(?=\s|$)")
# ` – heading – ` between two sentences inside a wall of text.
_INLINE_HEADING = re.compile(r"(?<=[.!؟?\"”»])\s+[–—]\s+([^–—.!؟?\n]{1,60}?)\s+[–—]\s+")


def sentence_spans(text: str, offset: int = 0) -> list[Span]:
    """Spans of the sentences of `text`, shifted by `offset`, whitespace excluded."""
    spans = []
    start = 0
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    for end in [*ends, len(text)]:
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            spans.append(Span(offset + start + lead, offset + end - trail))
        start = end
    return spans


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]


def _group(spans: list[Span]) -> list[Span]:
    """Gather consecutive sentences into paragraphs of 2-4 sentences."""
    groups: list[list[Span]] = []
    current: list[Span] = []
    for span in spans:
        current.append(span)
        chars = current[-1].end - current[0].start
        if len(current) >= _MAX_SENTENCES or (len(current) >= 2 and chars >= _TARGET_CHARS):
            groups.append(current)
            current = []
    if current:
        if len(current) == 1 and groups:
            groups[-1].extend(current)
        else:
            groups.append(current)
    return [Span(g[0].start, g[-1].end) for g in groups]


def _split_wall(block: Block, dropped: list[Dropped]) -> list[Span]:
    """Cut a wall of text at inline headings, then into groups of sentences."""
    spans: list[Span] = []
    start = 0
    for match in _INLINE_HEADING.finditer(block.text):
        heading = Span(block.span.start + match.start(), block.span.start + match.end())
        dropped.append(Dropped("inline-heading", match.group().strip(), heading))
        spans += _group(sentence_spans(block.text[start : match.start()], block.span.start + start))
        start = match.end()
    spans += _group(sentence_spans(block.text[start:], block.span.start + start))
    return spans


def paragraph_spans(blocks: tuple[Block, ...], dropped: list[Dropped]) -> list[Span]:
    """One span per paragraph, in reading order; walls of text are split."""
    spans: list[Span] = []
    for block in blocks:
        if len(block.text) > WALL_CHARS:
            spans += _split_wall(block, dropped)
        else:
            spans.append(block.span)
    return spans
