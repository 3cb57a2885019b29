"""The Gradio chat: conversation, sources panel, settings, and the corpus view.

`build_app(assistant)` makes the Blocks; `serve(...)` launches it. The chat
handler streams: the question appears at once, then the answer. The same
answering is exposed to programs as the `/chat` API endpoint.

A visitor's input is data, never configuration: the endpoint, model and key
are the operator's (flags, environment, TOML). A visitor may only choose
between the answer modes the operator configured, each served by one
assistant made at start-up.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import gradio as gr

from assistant import Assistant, AssistantError
from assistant.answer.generation import GENERATORS
from assistant.arabic import detect_language
from assistant.prompts import load_prompt
from assistant.search.scoping import make_scope
from assistant.serialize import answer_json
from assistant.types import Article, Scope
from ui.render import (
    EMPTY_SOURCES,
    answer_bubble,
    article_page,
    bubble,
    sources_panel,
)

log = logging.getLogger(__name__)

ARTICLES_SHOWN = 1000
EXAMPLES = [
    "ما الذي سحبته روسيا من كوبا؟",
    "من هو السفير الروسي لدى الولايات المتحدة؟",
    "How many countries backed the joint US-Russian cybersecurity resolution?",
    "Who did Wendy Sherman meet in Geneva?",
]
Messages = list[dict[str, str]]


def _error_text(exc: Exception) -> str:
    if isinstance(exc, AssistantError):
        return exc.message
    log.exception("unexpected error while answering")
    return (
        "Something went wrong while answering. Please try again; the details are in the server log."
    )


def configured_modes(assistant: Assistant) -> list[str]:
    """The answer modes the operator's settings allow, the configured one first:
    every registered mode with an endpoint configured, else extractive alone."""
    if not assistant.settings.llm.base_url:
        return ["extractive"]
    return list(dict.fromkeys([assistant.settings.mode, *GENERATORS]))


def mode_note(assistant: Assistant) -> str:
    """What the modes mean, or why there is no LLM, in Arabic and English."""
    key = "mode_info" if "llm" in configured_modes(assistant) else "no_llm"
    ar, en = (load_prompt("ui", lang)[key] for lang in ("ar", "en"))
    return (
        f'<p dir="rtl" lang="ar">{html.escape(ar)}</p><p dir="ltr" lang="en">{html.escape(en)}</p>'
    )


class ChatHandlers:
    """The UI's event handlers, with one assistant per configured answer mode (at most
    one per registered mode, all made here: nothing a visitor sends makes another)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.modes = {
            mode: assistant
            if mode == assistant.settings.mode
            else assistant.derive(answer_mode=mode)
            for mode in configured_modes(assistant)
        }

    def respond(
        self,
        message: str,
        messages: Messages,
        questions: list[str],
        k: float,
        mode: str,
        outlets: list[str] | None = None,
        since: str = "",
        until: str = "",
    ) -> Iterator[tuple[Messages, list[str], str, str]]:
        """Show the question, stream the answer, then its sources; errors become a message.

        `outlets`, `since` and `until` are the visitor's filters: data, checked
        against the archive's own outlets, never a path or an address.
        """
        messages = [*messages, {"role": "user", "content": bubble(message or "")}]
        yield messages, questions, "", gr.skip()
        try:
            assistant = self._for_mode(mode, message)
            stream = assistant.stream(
                message, history=questions, k=int(k),
                outlets=outlets or (), since=since or None, until=until or None,
            )  # fmt: skip
            written = ""
            for delta in stream:
                written += delta
                reply = {"role": "assistant", "content": bubble(written)}
                yield [*messages, reply], questions, "", gr.skip()
            answer = stream.answer()
        except Exception as exc:  # shown to the user as text, never as a traceback
            reply = {"role": "assistant", "content": bubble(_error_text(exc))}
            yield [*messages, reply], questions, "", EMPTY_SOURCES
            return
        reply = {"role": "assistant", "content": answer_bubble(answer)}
        yield [*messages, reply], [*questions, answer.question], "", sources_panel(answer)

    def _for_mode(self, mode: str, message: str) -> Assistant:
        if mode not in self.modes:
            language = detect_language(message) if isinstance(message, str) else "en"
            raise AssistantError(load_prompt("ui", language)["unknown_mode"])
        return self.modes[mode]

    def api_chat(
        self,
        message: str,
        history: list[str] | None = None,
        outlets: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> dict[str, Any]:
        """Answer one question (with earlier questions as history) for API clients,
        from the given outlets and period (default: the whole archive)."""
        try:
            answer = self.assistant.ask(
                message, history=history or None, outlets=outlets or (), since=since, until=until
            )
            return answer_json(answer)
        except Exception as exc:
            return {"error": _error_text(exc)}

    def on_load(self) -> tuple[str, Any, Any, list[list[Any]], Any, str]:
        """A page (re)loaded sees the archive as it is now: articles another process
        ingested since start-up appear, with their outlets among the choices."""
        outlets = list(self.assistant.outlets)
        picker = gr.update(choices=outlets, visible=bool(outlets))
        articles = self.assistant.articles
        rows, choices, count = article_listing(articles, Scope())
        listing = gr.update(choices=choices, value=None)
        return archive_heading(articles), picker, picker, rows, listing, count

    def list_articles(
        self, outlets: list[str] | None, since: str, until: str
    ) -> tuple[list[list[Any]], Any, str]:
        """The Articles table and picker for the filters, and a line saying how many."""
        try:
            scope = make_scope(outlets or (), since or None, until or None, self.assistant.outlets)
        except AssistantError as exc:
            return gr.skip(), gr.skip(), exc.message
        rows, choices, count = article_listing(self.assistant.articles, scope)
        return rows, gr.update(choices=choices, value=None), count

    def show_article(self, article_id: str | None) -> str:
        if not article_id:
            return ""
        for article in self.assistant.articles:
            if article.article_id == article_id:
                return article_page(article)
        return f"<p>No article {html.escape(article_id)}.</p>"


def archive_heading(articles: Sequence[Article]) -> str:
    """What the archive holds, in one line: articles, outlets, the period covered."""
    outlets = {a.source.outlet for a in articles if a.source.outlet}
    dates = sorted(a.source.published for a in articles if a.source.published)
    parts = [f"{len(articles):,} articles"]
    if outlets:
        parts.append(f"{len(outlets)} outlets")
    if dates:
        parts.append(f"{dates[0].isoformat()} to {dates[-1].isoformat()}")
    return f"## Arabic news assistant\n{' · '.join(parts)}"


def article_listing(
    articles: Sequence[Article], scope: Scope
) -> tuple[list[list[Any]], list[tuple[str, str]], str]:
    """The Articles tab for a scope: table rows, picker choices, and how many there are.

    A big archive shows its first `ARTICLES_SHOWN` only: a browser table of
    thirty thousand rows helps nobody, and the filters narrow it down.
    """
    chosen = [a for a in articles if scope.admits(a.source)]
    shown = chosen[:ARTICLES_SHOWN]
    rows = [
        [a.article_id, a.source.outlet, str(a.source.published or ""), a.title, len(a.paragraphs)]
        for a in shown
    ]
    choices = [(f"{a.article_id} — {a.title[:60]}", a.article_id) for a in shown]
    count = f"{len(chosen):,} articles"
    if len(chosen) > ARTICLES_SHOWN:
        count += f" (the first {ARTICLES_SHOWN:,} shown; filter to see others)"
    return rows, choices, count


def filter_controls(outlets: Sequence[str], prefix: str) -> tuple[Any, Any, Any]:
    """An outlet picker (when the archive names outlets) and a period, inclusive."""
    with gr.Row():
        chosen = gr.Dropdown(
            list(outlets), multiselect=True, label="Outlets (all when empty)",
            elem_id=f"{prefix}-outlets", visible=bool(outlets), scale=2,
        )  # fmt: skip
        since = gr.Textbox(label="Since (YYYY-MM-DD)", elem_id=f"{prefix}-since", scale=1)
        until = gr.Textbox(label="Until (YYYY-MM-DD)", elem_id=f"{prefix}-until", scale=1)
    return chosen, since, until


def build_app(assistant: Assistant) -> gr.Blocks:
    handlers = ChatHandlers(assistant)
    articles = assistant.articles
    outlets = assistant.outlets
    with gr.Blocks(title="Arabic news assistant") as app:
        heading = gr.Markdown(archive_heading(articles), elem_id="heading")
        questions = gr.State([])
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="Conversation", height=520, elem_id="chat")
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="اطرح سؤالك عن المقالات — or ask in English",
                            show_label=False, scale=5, elem_id="question", autofocus=True,
                        )  # fmt: skip
                        send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
                    new = gr.Button("New conversation", elem_id="new-conversation")
                    with gr.Accordion("Filters: outlets and dates", open=False):
                        chat_filters = filter_controls(outlets, "chat")
                    examples = gr.Examples(EXAMPLES, inputs=box, label="Examples")
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.HTML(EMPTY_SOURCES, elem_id="sources")
            with gr.Accordion("Settings", open=False):
                s = assistant.settings
                mode = gr.Radio(
                    list(handlers.modes), value=s.mode, label="Answer mode", elem_id="mode"
                )
                gr.HTML(mode_note(assistant), elem_id="mode-note")
                k = gr.Slider(1, 10, value=s.search.top_k, step=1, label="Passages per answer")
        with gr.Tab("Articles"):
            list_filters = filter_controls(outlets, "articles")
            table_rows, picks, status = article_listing(articles, Scope())
            count = gr.Markdown(status, elem_id="article-count")
            table = gr.Dataframe(
                table_rows, headers=["article id", "outlet", "date", "title", "paragraphs"],
                interactive=False, elem_id="article-table",
            )  # fmt: skip
            pick = gr.Dropdown(picks, label="Read an article", elem_id="article-pick")
            page = gr.HTML(elem_id="article-page")
            pick.change(handlers.show_article, pick, page, api_visibility="private")
            chosen, since, until = list_filters
            for trigger in (chosen.change, since.submit, since.blur, until.submit, until.blur):
                trigger(
                    handlers.list_articles, list(list_filters), [table, pick, count],
                    api_visibility="private",
                )  # fmt: skip

        outputs = [chatbot, questions, box, sources]
        inputs = [box, chatbot, questions, k, mode, *chat_filters]
        for trigger in (send.click, box.submit, examples.load_input_event.then):
            trigger(handlers.respond, inputs, outputs, api_visibility="private")
        new.click(lambda: ([], [], "", EMPTY_SOURCES), None, outputs, api_visibility="private")
        pickers = [chat_filters[0], list_filters[0]]
        app.load(
            handlers.on_load, None, [heading, *pickers, table, pick, count],
            api_visibility="private",
        )  # fmt: skip
        gr.api(handlers.api_chat, api_name="chat")
    return app


def theme() -> gr.themes.Base:
    """System and locally installed fonts only: the default theme fetches Google Fonts."""
    return gr.themes.Soft(
        font=["Noto Sans", "Noto Sans Arabic", "system-ui", "sans-serif"],
        font_mono=["Noto Sans Mono", "monospace"],
    )
