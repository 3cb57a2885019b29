"""The Gradio chat: conversation, sources panel, settings, and the corpus view.

`build_app(assistant)` makes the Blocks; `serve(...)` launches it. The chat
handler streams: the question appears at once, then the answer. The same
answering is exposed to programs as the `/chat` API endpoint.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant import Answer, Assistant, AssistantError
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


class ChatHandlers:
    """The UI's event handlers, bound to one `Assistant`."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._variants: dict[tuple[str, str, str], Assistant] = {}
        self._lock = threading.Lock()

    def variant(self, mode: str, url: str, model: str) -> Assistant:
        """The assistant for the settings chosen in the UI, sharing the one index.

        Kept per choice so that an endpoint's client (and its memory of being
        down) lives across questions.
        """
        s = self.assistant.settings
        choice = (mode, url.strip(), model.strip())
        if choice == (s.mode, s.llm_base_url or "", s.llm_model or ""):
            return self.assistant
        with self._lock:
            if choice not in self._variants:
                self._variants[choice] = self.assistant.derive(
                    answer_mode=mode, llm_base_url=choice[1], llm_model=choice[2]
                )
            return self._variants[choice]

    def respond(
        self,
        message: str,
        messages: Messages,
        questions: list[str],
        k: float,
        mode: str,
        url: str,
        model: str,
    ) -> Iterator[tuple[Messages, list[str], str, str]]:
        """Show the question, stream the answer, then its sources; errors become a message."""
        messages = [*messages, {"role": "user", "content": bubble(message or "")}]
        yield messages, questions, "", gr.skip()
        try:
            assistant = self.variant(mode, url, model)
            written = ""
            for event in assistant.ask_stream(message, history=questions, k=int(k)):
                if isinstance(event, Answer):
                    answer = event
                    break
                written += event
                reply = {"role": "assistant", "content": bubble(written)}
                yield [*messages, reply], questions, "", gr.skip()
        except Exception as exc:  # shown to the user as text, never as a traceback
            reply = {"role": "assistant", "content": bubble(_error_text(exc))}
            yield [*messages, reply], questions, "", EMPTY_SOURCES
            return
        reply = {"role": "assistant", "content": answer_bubble(answer)}
        yield [*messages, reply], [*questions, answer.question], "", sources_panel(answer)

    def api_chat(self, message: str, history: list[str] | None = None) -> dict[str, Any]:
        """Answer one question (with earlier questions as history) for API clients."""
        try:
            return _as_json(self.assistant.ask(message, history=history or None))
        except Exception as exc:
            return {"error": _error_text(exc)}

    def show_article(self, article_id: str | None) -> str:
        if not article_id:
            return ""
        for article in self.assistant.articles:
            if article.article_id == article_id:
                return article_page(article)
        return f"<p>No article {html.escape(article_id)}.</p>"


def _as_json(answer: Answer) -> dict[str, Any]:
    return {
        "text": answer.text,
        "answered": answer.answered,
        "language": answer.language,
        "mode": answer.mode,
        "notice": answer.notice,
        "citations": [
            {"marker": c.marker, "article_id": c.article_id, "title": c.title,
             "paragraph": c.paragraph, "text": c.text, "quotes": list(c.quotes)}
            for c in answer.citations
        ],
    }  # fmt: skip


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
                    ["extractive", "openai"], value=s.mode, label="Answer mode",
                    info="extractive quotes the articles verbatim and needs no model; openai "
                    "asks any OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, OpenAI).",
                    elem_id="mode",
                )  # fmt: skip
                with gr.Row():
                    url = gr.Textbox(
                        s.llm_base_url or "", label="Endpoint URL",
                        placeholder="http://127.0.0.1:11434/v1", elem_id="llm-url",
                    )  # fmt: skip
                    model = gr.Textbox(s.llm_model or "", label="Model", elem_id="llm-model")
                k = gr.Slider(1, 10, value=s.top_k, step=1, label="Passages per answer")
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
        inputs = [box, chatbot, questions, k, mode, url, model]
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
