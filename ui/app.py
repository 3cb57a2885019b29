"""The Gradio page: the chat (each answer with its own sources), its tools, and the
Articles tab. `build_app(assistant)` lays it out and wires the handlers.

The chat streams: the question appears at once, then the answer, then the
answer with its sources below it. The same answering is exposed to programs
as the `/chat` API endpoint. Conversations are kept in the reader's browser,
encrypted with `secret` (the operator's, so they survive a restart).
"""

from __future__ import annotations

import gradio as gr

from assistant import Assistant
from ui.handlers import (
    EXAMPLES,
    STORAGE_KEY,
    ChatHandlers,
    archive_heading,
    filter_controls,
    mode_note,
)
from ui.history import Conversation


def build_app(assistant: Assistant, secret: str | None = None) -> gr.Blocks:
    handlers = ChatHandlers(assistant)
    outlets = assistant.outlets
    with gr.Blocks(title="Arabic news assistant") as app:
        heading = gr.Markdown(archive_heading(assistant.articles), elem_id="heading")
        conversation = gr.State(Conversation.new())
        history = gr.BrowserState({"conversations": []}, storage_key=STORAGE_KEY, secret=secret)
        with gr.Tab("Chat"):
            chat_outlets, restored = _chat(handlers, conversation, history)
        with gr.Tab("Articles"):
            articles = _articles(handlers, outlets)
        app.load(
            handlers.on_load, history, [heading, chat_outlets, *articles, *restored],
            api_visibility="private",
        )  # fmt: skip
        gr.api(handlers.api_chat, api_name="chat")
    return app


def _chat(
    handlers: ChatHandlers, conversation: gr.State, history: gr.BrowserState
) -> tuple[gr.components.Component, list[gr.components.Component]]:
    """The conversation, the question box, and the tools around them."""
    settings = handlers.assistant.settings
    chatbot = gr.Chatbot(label="Conversation", height=620, elem_id="chat", buttons=[])
    with gr.Row():
        box = gr.Textbox(
            placeholder="اطرح سؤالك عن المقالات — or ask in English",
            show_label=False, scale=5, elem_id="question", autofocus=True,
        )  # fmt: skip
        send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
    with gr.Row(visible=False, elem_id="feedback-row") as note_row:
        note = gr.Textbox(label="A note on your 👍/👎 (optional)", scale=5, elem_id="feedback-note")
        save_note = gr.Button("Save note", scale=1, elem_id="save-note")
    said = gr.Markdown(elem_id="feedback-status")
    with gr.Row():
        new = gr.Button("New conversation", elem_id="new-conversation", scale=1)
        export = gr.Button("Export conversation (Markdown, JSON)", elem_id="export", scale=1)
        earlier = gr.Dropdown(
            [], label="Earlier conversations", elem_id="history", scale=2, interactive=True
        )
    files = gr.File(label="Exported", visible=False, file_count="multiple", elem_id="exported")
    with gr.Accordion("Filters: outlets and dates", open=False):
        filters = filter_controls(handlers.assistant.outlets, "chat")
    examples = gr.Examples(EXAMPLES, inputs=box, label="Examples")
    with gr.Accordion("Settings", open=False):
        mode = gr.Radio(
            list(handlers.modes), value=settings.mode, label="Answer mode", elem_id="mode"
        )
        gr.HTML(mode_note(handlers.assistant), elem_id="mode-note")
        k = gr.Slider(1, 10, value=settings.search.top_k, step=1, label="Passages per answer")

    shown = [chatbot, conversation, history, box, earlier]
    asked = [box, conversation, history, k, mode, *filters]
    for trigger in (send.click, box.submit, examples.load_input_event.then):
        trigger(handlers.respond, asked, shown, api_visibility="private")
    feedback_id = gr.State("")
    chatbot.like(
        handlers.judge, [conversation, k, mode, *filters], [feedback_id, note_row, said],
        api_visibility="private",
    )  # fmt: skip
    for trigger in (save_note.click, note.submit):
        trigger(
            handlers.add_note, [feedback_id, note, conversation], [note, said],
            api_visibility="private",
        )  # fmt: skip
    export.click(handlers.export, conversation, files, api_visibility="private")
    fresh = [chatbot, conversation, files, note_row, said, feedback_id]
    for trigger in (new.click, chatbot.clear):
        trigger(_fresh, None, fresh, api_visibility="private")
    earlier.input(
        handlers.reopen, [earlier, history], [chatbot, conversation], api_visibility="private"
    )
    return filters[0], [chatbot, conversation, earlier]


def _fresh() -> tuple[list[dict[str, str]], Conversation, object, object, str, str]:
    """A new conversation: no messages, so no sources; the earlier one stays in history."""
    hidden = gr.update(visible=False)
    return [], Conversation.new(), gr.update(value=None, visible=False), hidden, "", ""


def _articles(handlers: ChatHandlers, outlets: tuple[str, ...]) -> list[gr.components.Component]:
    """Filters, a title search, the list, and the article picked (the first at once)."""
    list_filters = filter_controls(outlets, "articles")
    title = gr.Textbox(label="Search titles", elem_id="articles-title")
    table, pick_update, page, status = handlers.list_articles([], "", "", "")
    count = gr.Markdown(status, elem_id="article-count")
    listing = gr.HTML(table, elem_id="article-table")
    pick = gr.Dropdown(
        pick_update["choices"], value=pick_update["value"], label="Read an article",
        elem_id="article-pick",
    )  # fmt: skip
    shown = gr.HTML(page, elem_id="article-page")
    pick.change(handlers.show_article, pick, shown, api_visibility="private")
    chosen, since, until = list_filters
    asked = [*list_filters, title]
    triggers = (chosen.change, since.submit, since.blur, until.submit, until.blur, title.change)
    for trigger in triggers:
        trigger(
            handlers.list_articles, asked, [listing, pick, shown, count],
            api_visibility="private", trigger_mode="always_last",
        )  # fmt: skip
    return [list_filters[0], listing, pick, shown, count]


def theme() -> gr.themes.Base:
    """System and locally installed fonts only: the default theme fetches Google Fonts."""
    return gr.themes.Soft(
        font=["Noto Sans", "Noto Sans Arabic", "system-ui", "sans-serif"],
        font_mono=["Noto Sans Mono", "monospace"],
    )
