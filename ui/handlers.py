"""The web chat's event handlers: answering, feedback, history, export, the Articles view.

A visitor's input is data, never configuration: the endpoint, model and key
are the operator's (flags, environment, TOML). A visitor may only choose
between the answer modes the operator configured, each served by one
assistant made at start-up.
"""

from __future__ import annotations

import html
import json
import logging
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Assistant, AssistantError
from assistant.answer.generation import GENERATORS
from assistant.arabic import detect_language, normalize
from assistant.export import (
    answer_markdown,
    answer_record,
    conversation_json,
    conversation_markdown,
)
from assistant.feedback import FeedbackLog, now
from assistant.prompts import load_prompt
from assistant.search.scoping import make_scope
from assistant.serialize import answer_json
from assistant.types import Article, Scope
from ui.history import Conversation, History, choices, failed, find, saved, stored
from ui.render import answer_message, article_page, article_table, message

log = logging.getLogger(__name__)

ARTICLES_SHOWN = 1000
EXAMPLES = [
    "ما الذي سحبته روسيا من كوبا؟",
    "من هو السفير الروسي لدى الولايات المتحدة؟",
    "How many countries backed the joint US-Russian cybersecurity resolution?",
    "Who did Wendy Sherman meet in Geneva?",
]
STORAGE_KEY = "arabic-news-assistant-conversations"
Messages = list[dict[str, str]]


def _error_text(exc: Exception, language: str) -> str:
    if isinstance(exc, AssistantError):
        return exc.message
    log.exception("unexpected error while answering")
    return str(load_prompt("ui", language)["unexpected"])


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


def _language_of(text: Any) -> str:
    return detect_language(text) if isinstance(text, str) else "en"


def _verdict(liked: bool | str) -> str:
    """Gradio's like value: True, False, a reason the reader picked, or "" when withdrawn."""
    if isinstance(liked, bool):
        return "up" if liked else "down"
    return liked or "withdrawn"


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
        self.feedback = FeedbackLog.at_home(assistant.settings.index.home)

    def respond(
        self,
        question: str,
        conversation: Conversation,
        history: History,
        k: float,
        mode: str,
        outlets: list[str] | None = None,
        since: str = "",
        until: str = "",
    ) -> Iterator[tuple[Messages, Conversation, Any, str, Any]]:
        """Show the question, stream the answer, then the answer with its sources, and
        keep the conversation in the browser; errors become a message.

        `outlets`, `since` and `until` are the visitor's filters: data, checked
        against the archive's own outlets, never a path or an address.
        """
        question = question if isinstance(question, str) else ""
        language = _language_of(question)
        shown = [*conversation.messages, {"role": "user", "content": message(question)}]
        yield shown, conversation, gr.skip(), "", gr.skip()
        try:
            assistant = self._for_mode(mode, language)
            stream = assistant.stream(
                question, history=conversation.questions, k=int(k),
                outlets=outlets or (), since=since or None, until=until or None,
            )  # fmt: skip
            written = ""
            for delta in stream:
                written += delta
                reply = {"role": "assistant", "content": message(written, language)}
                yield [*shown, reply], conversation, gr.skip(), "", gr.skip()
            answer = stream.answer()
            record = answer_record(answer)
            turn = len(conversation.records) + 1
            content = answer_message(answer, turn, answer_markdown(record))
        except Exception as exc:  # shown to the user as text, never as a traceback
            text = _error_text(exc, language)
            record, content = failed(question, language, text), message(text, language)
        done = conversation.with_reply([*shown, {"role": "assistant", "content": content}], record)
        kept = saved(history, done)
        yield list(done.messages), done, kept, "", gr.update(choices=choices(kept))

    def _for_mode(self, mode: str, language: str) -> Assistant:
        if mode not in self.modes:
            raise AssistantError(load_prompt("ui", language)["unknown_mode"])
        return self.modes[mode]

    def judge(
        self,
        data: gr.LikeData,
        conversation: Conversation,
        k: float,
        mode: str,
        outlets: list[str] | None,
        since: str,
        until: str,
    ) -> tuple[str, Any, str]:
        """A 👍 or 👎 on a reply, written to the feedback log with what produced it;
        the note box opens for an optional note on this verdict."""
        index = data.index if isinstance(data.index, int) else data.index[0]
        record = conversation.record_at(index)
        if record is None:
            return gr.skip(), gr.skip(), gr.skip()
        verdict = _verdict(data.liked)
        settings = {
            "mode": mode, "passages": int(k), "outlets": outlets or [],
            "since": since or None, "until": until or None,
            "embedder": self.assistant.settings.index.embedder,
            "llm_model": self.assistant.settings.llm.model if mode == "llm" else None,
        }  # fmt: skip
        try:
            item = self.feedback.record(verdict, record, settings)
        except AssistantError as exc:
            return "", gr.update(visible=False), exc.message
        words = load_prompt("ui", record["language"])
        return item.id, gr.update(visible=True), words["feedback_saved"]

    def add_note(self, feedback_id: str, note: str, conversation: Conversation) -> tuple[str, str]:
        """The reader's note on their latest verdict, kept beside it in the log."""
        words = load_prompt("ui", _language_of(note) if note.strip() else conversation.language)
        if not feedback_id:
            return note, words["no_feedback"]
        if not note.strip():
            return "", ""
        try:
            self.feedback.add_note(feedback_id, note.strip())
        except AssistantError as exc:
            return note, exc.message  # the note stays in the box, not lost
        return "", words["note_saved"]

    def export(self, conversation: Conversation) -> Any:
        """The conversation as a Markdown file and a JSON file, every citation in both."""
        if not conversation.records:
            return gr.update(value=None, visible=False)
        folder = Path(tempfile.mkdtemp(prefix="conversation-"))
        time = now()
        stem = f"conversation-{conversation.started[:10]}"
        md, js = folder / f"{stem}.md", folder / f"{stem}.json"
        records = conversation.records
        md.write_text(conversation_markdown(records, conversation.language, time), "utf-8")
        data = conversation_json(records, time)
        js.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
        return gr.update(value=[str(md), str(js)], visible=True)

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
            return {"error": _error_text(exc, _language_of(message))}

    def on_load(self, history: History) -> tuple[Any, ...]:
        """A page (re)loaded sees the archive as it is now (articles another process
        ingested since start-up, their outlets among the choices) and reopens the
        reader's latest conversation from the browser."""
        outlets = list(self.assistant.outlets)
        picker = gr.update(choices=outlets, visible=bool(outlets))
        listing = self.list_articles([], "", "", "")
        latest = next(iter(stored(history)), Conversation.new())
        earlier = gr.update(choices=choices(history), value=None)
        heading = archive_heading(self.assistant.articles)
        return heading, picker, picker, *listing, list(latest.messages), latest, earlier

    def reopen(self, conversation_id: str | None, history: History) -> tuple[Any, Any]:
        chosen = find(history, conversation_id)
        if chosen is None:
            return gr.skip(), gr.skip()
        return list(chosen.messages), chosen

    def list_articles(
        self, outlets: list[str] | None, since: str, until: str, title: str
    ) -> tuple[Any, Any, str, str]:
        """The Articles list, picker and first article for the filters, and how many."""
        try:
            scope = make_scope(outlets or (), since or None, until or None, self.assistant.outlets)
        except AssistantError as exc:
            return gr.skip(), gr.skip(), gr.skip(), exc.message
        shown, count = article_listing(self.assistant.articles, scope, title)
        picks = [(f"{a.article_id} — {a.title[:60]}", a.article_id) for a in shown]
        first = shown[0] if shown else None
        pick = gr.update(choices=picks, value=first.article_id if first else None)
        return article_table(shown), pick, article_page(first) if first else "", count

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
    articles: Sequence[Article], scope: Scope, title: str = ""
) -> tuple[list[Article], str]:
    """The articles a scope and a title search admit (at most `ARTICLES_SHOWN`), and a
    line saying how many. Titles match with Arabic spelling variants folded.

    A big archive shows its first `ARTICLES_SHOWN` only: a browser table of
    thirty thousand rows helps nobody, and the filters narrow it down.
    """
    wanted = normalize(title.strip())
    chosen = [
        a for a in articles if scope.admits(a.source) and wanted in normalize(a.title)
    ]  # fmt: skip
    count = f"{len(chosen):,} articles"
    if len(chosen) > ARTICLES_SHOWN:
        count += f" (the first {ARTICLES_SHOWN:,} shown; filter to see others)"
    return chosen[:ARTICLES_SHOWN], count


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
