"""HTML for the chat: messages, each answer with its own source cards, article pages.

Everything that comes from an article, a model or a user is escaped here and
nowhere else, so a paragraph containing `<script>` shows as text. Direction
is set per block, not per message: an English answer stays left-to-right
while the Arabic quote inside it is a right-to-left block, and the reverse.
Gradio's `rtl` switch would flip the whole chat.

Each answer carries its sources below it, with ids numbered by the answer's
turn (`a2-source-1`), so [1] in the first answer can only ever lead to the
first answer's source 1, and clearing the chat clears its sources. Gradio
strips `data-*` attributes from chat messages; the text a copy button copies
sits in a hidden `<pre>` beside it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from assistant.arabic import detect_language
from assistant.prompts import load_prompt
from assistant.types import Answer, Article, Citation, Paragraph

_MARKER = re.compile(r"\[(\d+)\]")


def direction(text: str) -> str:
    return "rtl" if detect_language(text) == "ar" else "ltr"


def _language(text: str) -> str:
    return "ar" if direction(text) == "rtl" else "en"


def blocks(text: str, known: Sequence[int] = (), turn: int = 0) -> str:
    """One block per line, each in its own direction; markers of known citations link
    to this turn's source cards."""

    def link_marker(m: re.Match[str]) -> str:
        if int(m[1]) not in known:
            return m[0]
        return f'<a class="marker" href="#a{turn}-source-{m[1]}">[{m[1]}]</a>'

    return "".join(
        f'<p dir="{direction(line)}" lang="{_language(line)}">'
        f"{_MARKER.sub(link_marker, html.escape(line))}</p>"
        for line in text.split("\n")
        if line.strip()
    )


def message(text: str, language: str | None = None) -> str:
    """A question, a reply still streaming, or an error: lines in their own direction
    inside a message laid out in its language's direction."""
    language = language or _language(text)
    outer = "rtl" if language == "ar" else "ltr"
    return f'<div class="msg" dir="{outer}" lang="{language}">{blocks(text)}</div>'


def answer_message(answer: Answer, turn: int, markdown: str) -> str:
    """An answer, its sources below it, and a button that copies both as Markdown."""
    words = load_prompt("ui", answer.language)
    text = answer.text + (f"\n\n({answer.notice})" if answer.notice else "")
    outer = "rtl" if answer.language == "ar" else "ltr"
    return (
        f'<div class="msg answer" id="answer-{turn}" dir="{outer}" lang="{answer.language}">'
        f"{blocks(text, [c.marker for c in answer.citations], turn)}"
        f"{_sources(answer.citations, turn, words['sources'])}"
        f'<div class="answer-tools"><button type="button" class="copy-answer">'
        f"⧉ {html.escape(words['copy'])}</button>"
        f'<pre class="copy-text">{_one_line(markdown)}</pre></div></div>'
    )


def _one_line(text: str) -> str:
    """Escaped, newlines as character references: Gradio reads a chat message as
    Markdown, where a blank line would end the HTML block and the rest would be
    parsed as Markdown; the browser still turns `&#10;` back into a newline."""
    return html.escape(text).replace("\n", "&#10;")


def _sources(citations: Sequence[Citation], turn: int, heading: str) -> str:
    if not citations:
        return ""
    cards = "".join(source_card(c, turn) for c in citations)
    return (
        f'<details class="answer-sources" open><summary>{html.escape(heading)} '
        f'({len(citations)})</summary><div class="sources">{cards}</div></details>'
    )


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


def source_card(c: Citation, turn: int) -> str:
    """Source `c.marker` of answer `turn`; its title names the article and paragraph."""
    p = c.paragraph
    return (
        f'<div class="card" id="a{turn}-source-{c.marker}" '
        f'title="{html.escape(p.article_id, quote=True)} ¶{p.number}">'
        f'<div class="card-head"><span class="badge">[{c.marker}]</span> '
        f'<span class="title" dir="{direction(p.title)}">{html.escape(p.title)}</span></div>'
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


def article_table(articles: Sequence[Article]) -> str:
    """The Articles tab's list: Arabic titles right-aligned in the Arabic font, columns
    that fit the page (a Gradio Dataframe sets titles in monospace, left-aligned)."""
    rows = "".join(
        f"<tr><td>{html.escape(a.source.outlet)}</td><td>{a.source.iso_date}</td>"
        f'<td class="title-cell" dir="{direction(a.title)}">{html.escape(a.title)}</td>'
        f"<td>{len(a.paragraphs)}</td>"
        f'<td class="id-cell">{html.escape(a.article_id)}</td></tr>'
        for a in articles
    )
    return (
        '<table class="articles-table"><colgroup><col class="c-outlet"><col class="c-date">'
        '<col class="c-title"><col class="c-count"><col class="c-id"></colgroup>'
        "<thead><tr><th>outlet</th><th>date</th><th>title</th><th>¶</th><th>article id</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


FONTS = '"Noto Sans", "Noto Sans Arabic", system-ui, sans-serif'
CSS = f"""
.msg, .card, .article, .articles-table {{ font-family: {FONTS}; }}
.msg p {{ margin: 0.3em 0; text-align: start; }}
.msg p[lang=ar], .card-text, .article {{ line-height: 1.8; }}
.answer-sources {{ margin-top: 0.6rem; }}
.answer-sources summary {{ cursor: pointer; font-weight: 600; }}
.sources {{ display: flex; flex-direction: column; gap: 0.6rem; margin-top: 0.4rem; }}
.card {{ border: 1px solid #d0d7de; border-radius: 8px; padding: 0.6rem 0.8rem;
  transition: box-shadow 0.3s, border-color 0.3s; }}
.card.highlight {{ border-color: #0969da; box-shadow: 0 0 0 3px rgba(9, 105, 218, 0.35); }}
.card-head {{ font-weight: 600; }}
.card-meta, .card-copies {{ color: #57606a; font-size: 0.85em; margin: 0.2rem 0;
  text-align: left; }}
.card-meta .outlet {{ font-weight: 600; color: #24292f; }}
a.original {{ color: #0969da; }}
.card-text {{ margin: 0.3rem 0 0; text-align: right; }}
.card-text mark {{ background: #fff3b0; padding: 0 2px; }}
.badge, a.marker {{ color: #0969da; font-weight: 600; text-decoration: none; }}
.answer-tools {{ margin-top: 0.4rem; }}
button.copy-answer {{ font-size: 0.85em; color: #57606a; border: 1px solid #d0d7de;
  border-radius: 6px; padding: 0.1rem 0.5rem; background: transparent; cursor: pointer; }}
button.copy-answer.copied {{ color: #1a7f37; border-color: #1a7f37; }}
pre.copy-text {{ display: none; }}
.article ol li {{ margin-bottom: 0.7rem; }}
.articles-table {{ width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 0.9em; }}
.articles-table th, .articles-table td {{ border-bottom: 1px solid #d0d7de; padding: 0.3rem;
  vertical-align: top; overflow-wrap: anywhere; }}
.articles-table .title-cell[dir=rtl] {{ text-align: right; }}
.articles-table .c-outlet {{ width: 16%; }} .articles-table .c-date {{ width: 11%; }}
.articles-table .c-title {{ width: 50%; }} .articles-table .c-count {{ width: 5%; }}
.articles-table .c-id {{ width: 18%; }}
.articles-table .id-cell {{ font-size: 0.8em; color: #57606a; }}
#article-list {{ max-height: 420px; overflow-y: auto; }}
"""

# Runs once when the page loads: a marker shows its own answer's card, highlighted and
# scrolled into view; a copy button copies the Markdown kept beside it.
JS = """
() => {
  const show = (id) => {
    const card = document.getElementById(id);
    if (!card) return;
    const details = card.closest("details");
    if (details) details.open = true;
    document.querySelectorAll(".card.highlight").forEach((c) => c.classList.remove("highlight"));
    card.classList.add("highlight");
    card.scrollIntoView({ block: "center" });
  };
  document.addEventListener("click", (event) => {
    const marker = event.target.closest("a.marker");
    if (marker) {
      event.preventDefault();
      show(marker.getAttribute("href").slice(1));
      return;
    }
    const copy = event.target.closest("button.copy-answer");
    if (copy) {
      const text = copy.parentElement.querySelector("pre.copy-text").textContent;
      navigator.clipboard.writeText(text).then(() => copy.classList.add("copied"));
    }
  });
}
"""
