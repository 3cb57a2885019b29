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
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant import Assistant, AssistantError
from assistant.answer.generation import GENERATORS
from assistant.arabic import detect_language
from assistant.prompts import load_prompt
from assistant.serialize import answer_json
from ui.render import (
    EMPTY_SOURCES,
    answer_bubble,
    article_page,
    bubble,
    sources_panel,
)

log = logging.getLogger(__name__)

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
        self, message: str, messages: Messages, questions: list[str], k: float, mode: str
    ) -> Iterator[tuple[Messages, list[str], str, str]]:
        """Show the question, stream the answer, then its sources; errors become a message."""
        messages = [*messages, {"role": "user", "content": bubble(message or "")}]
        yield messages, questions, "", gr.skip()
        try:
            assistant = self._for_mode(mode, message)
            stream = assistant.stream(message, history=questions, k=int(k))
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

    def api_chat(self, message: str, history: list[str] | None = None) -> dict[str, Any]:
        """Answer one question (with earlier questions as history) for API clients."""
        try:
            return answer_json(self.assistant.ask(message, history=history or None))
        except Exception as exc:
            return {"error": _error_text(exc)}

    def show_article(self, article_id: str | None) -> str:
        if not article_id:
            return ""
        for article in self.assistant.articles:
            if article.article_id == article_id:
                return article_page(article)
        return f"<p>No article {html.escape(article_id)}.</p>"


def build_app(assistant: Assistant) -> gr.Blocks:
    handlers = ChatHandlers(assistant)
    articles = assistant.articles
    with gr.Blocks(title="Arabic news assistant") as app:
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
                    gr.Examples(EXAMPLES, inputs=box, label="Examples")
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
            gr.Dataframe(
                [[a.article_id, a.title, len(a.paragraphs)] for a in articles],
                headers=["article id", "title", "paragraphs"], interactive=False,
            )  # fmt: skip
            pick = gr.Dropdown(
                [(f"{a.article_id} — {a.title[:60]}", a.article_id) for a in articles],
                label="Read an article", elem_id="article-pick",
            )  # fmt: skip
            page = gr.HTML(elem_id="article-page")
            pick.change(handlers.show_article, pick, page, api_visibility="private")

        outputs = [chatbot, questions, box, sources]
        inputs = [box, chatbot, questions, k, mode]
        for trigger in (send.click, box.submit):
            trigger(handlers.respond, inputs, outputs, api_visibility="private")
        new.click(lambda: ([], [], "", EMPTY_SOURCES), None, outputs, api_visibility="private")
        gr.api(handlers.api_chat, api_name="chat")
    return app


def theme() -> gr.themes.Base:
    """System and locally installed fonts only: the default theme fetches Google Fonts."""
    return gr.themes.Soft(
        font=["Noto Sans", "Noto Sans Arabic", "system-ui", "sans-serif"],
        font_mono=["Noto Sans Mono", "monospace"],
    )
