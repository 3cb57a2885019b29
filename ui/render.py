"""HTML for the chat: message bubbles, source cards, article pages.

Everything that comes from an article or a user is escaped here and nowhere
else, so a paragraph containing `<script>` shows as text. Direction is set per
message (`dir="rtl"` for Arabic), since Gradio's `rtl` switch flips the whole chat.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from assistant.arabic import detect_language
from assistant.types import Answer, Article, Citation, Paragraph

_MARKER = re.compile(r"\[(\d+)\]")


def direction(text: str) -> str:
    return "rtl" if detect_language(text) == "ar" else "ltr"


def bubble(text: str, known: Sequence[int] = ()) -> str:
    """A chat message in its own direction; markers of known citations link to their card."""
    body = html.escape(text).replace("\n", "<br>")
    body = _MARKER.sub(
        lambda m: (
            f'<a class="marker" href="#source-{m[1]}">[{m[1]}]</a>' if int(m[1]) in known else m[0]
        ),
        body,
    )
    lang = "ar" if direction(text) == "rtl" else "en"
    return f'<div class="msg" dir="{direction(text)}" lang="{lang}">{body}</div>'


def answer_bubble(answer: Answer) -> str:
    text = answer.text + (f"\n\n({answer.notice})" if answer.notice else "")
    return bubble(text, [c.marker for c in answer.citations])


def _highlight(text: str, quotes: Sequence[str]) -> str:
    """The paragraph escaped, with the cited sentences inside <mark>."""
    spans = sorted((start, start + len(q)) for q in quotes if (start := text.find(q)) >= 0)
    out, last = [], 0
    for start, end in spans:
        if start < last:
            continue
        out += [html.escape(text[last:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def link(url: str, text: str) -> str:
    """A link to the original article, in a new tab that cannot reach back to this one.

    Only http(s) URLs become links: an archive is data, and a `javascript:`
    URL in it must not run in a reader's browser.
    """
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return ""
    return (
        f'<a class="original" href="{html.escape(url, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{html.escape(text)}</a>'
    )


def place(paragraph: Paragraph) -> str:
    """Outlet · date · ¶n · link; an article without an outlet is named by its id."""
    source = paragraph.source
    parts = [
        f'<span class="outlet">{html.escape(source.outlet)}</span>' if source.outlet else "",
        f'<time datetime="{source.published}">{source.published}</time>'
        if source.published
        else "",
        f"{'' if source.outlet else html.escape(paragraph.article_id) + ' · '}¶{paragraph.number}",
        link(source.url, "original ↗"),
    ]
    return " · ".join(part for part in parts if part)


def source_card(c: Citation) -> str:
    p = c.paragraph
    return (
        f'<div class="card" id="source-{c.marker}" data-article="{html.escape(p.article_id)}" '
        f'data-paragraph="{p.number}">'
        f'<div class="card-head"><span class="badge">[{c.marker}]</span> '
        f'<span class="title" dir="auto">{html.escape(p.title)}</span></div>'
        f'<div class="card-meta" dir="ltr">{place(p)}</div>'
        f"{_copies(c)}"
        f'<p class="card-text" dir="rtl" lang="ar">{_highlight(p.text, c.quotes)}</p></div>'
    )


def _copies(c: Citation) -> str:
    """The other outlets that carried the same report, each with its date and link."""
    if not c.copies:
        return ""
    places = "; ".join(place(copy) for copy in c.copies)
    return f'<div class="card-copies" dir="ltr">Also published: {places}</div>'


EMPTY_SOURCES = '<div class="sources-empty">Sources of the latest answer appear here.</div>'


def sources_panel(answer: Answer | None) -> str:
    if answer is None or not answer.citations:
        return EMPTY_SOURCES
    return '<div class="sources">' + "".join(source_card(c) for c in answer.citations) + "</div>"


def article_page(article: Article) -> str:
    """A cleaned article, paragraph by paragraph with its numbers, to check a citation."""
    items = "".join(
        f'<li value="{p.number}" id="para-{p.number}">{html.escape(p.text)}</li>'
        for p in article.paragraphs
    )
    source = article.source
    meta = [
        html.escape(source.outlet),
        str(source.published or ""),
        html.escape(source.author),
        html.escape(article.article_id),
        f"{len(article.paragraphs)} paragraphs",
        link(source.url, "original ↗"),
    ]
    return (
        f'<div class="article" dir="rtl" lang="ar"><h3>{html.escape(article.title)}</h3>'
        f'<div class="card-meta" dir="ltr">{" · ".join(m for m in meta if m)}</div>'
        f"<ol>{items}</ol></div>"
    )


CSS = """
.msg { unicode-bidi: plaintext; text-align: start; }
.msg[dir=rtl], .card-text, .article { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", serif; }
.sources { display: flex; flex-direction: column; gap: 0.6rem; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: 0.6rem 0.8rem; }
.card-head { font-weight: 600; }
.card-meta, .card-copies { color: #57606a; font-size: 0.85em; margin: 0.2rem 0; text-align: left; }
.card-meta .outlet { font-weight: 600; color: #24292f; }
a.original { color: #0969da; }
.card-text { line-height: 1.8; margin: 0.3rem 0 0; }
.card-text mark { background: #fff3b0; padding: 0 2px; }
.badge, a.marker { color: #0969da; font-weight: 600; text-decoration: none; }
.article ol li { margin-bottom: 0.7rem; line-height: 1.8; }
"""
