"""Answers and passages as plain JSON, the one shape the CLI (`--json`) and the web API share.

Flat on purpose: a citation names its article and paragraph number directly,
as a script consuming it wants, rather than nesting the `Paragraph` value.
"""

from __future__ import annotations

from typing import Any

from assistant.types import Answer, Citation, Paragraph, Passage


def _place(paragraph: Paragraph) -> dict[str, Any]:
    """Where the paragraph is, and the source a citation names (empty when unknown)."""
    source = paragraph.source
    return {
        "article_id": paragraph.article_id,
        "title": paragraph.title,
        "paragraph": paragraph.number,
        "text": paragraph.text,
        "span": [paragraph.span.start, paragraph.span.end],
        "outlet": source.outlet or None,
        "published": source.iso_date or None,
        "url": source.url or None,
        "author": source.author or None,
    }


def citation_json(citation: Citation) -> dict[str, Any]:
    return {
        "marker": citation.marker,
        **_place(citation.paragraph),
        "quotes": list(citation.quotes),
        "speakers": list(citation.speakers),
        "also_published": [_place(copy) for copy in citation.copies],
    }


def passage_json(passage: Passage) -> dict[str, Any]:
    scores = {"score": passage.score, "dense": passage.dense, "lexical": passage.lexical}
    return {**_place(passage.paragraph), **scores}


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "text": answer.text,
        "answered": answer.answered,
        "language": answer.language,
        "mode": answer.mode,
        "notice": answer.notice,
        "confidence": answer.confidence,
        "dropped_markers": answer.dropped_markers,
        "search_query": answer.search_query,
        "citations": [citation_json(c) for c in answer.citations],
        "passages": [passage_json(p) for p in answer.passages],
    }
