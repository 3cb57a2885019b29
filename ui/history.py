"""A conversation as the web chat keeps it: in the session, and in the reader's browser.

The chat shows `messages` (HTML); `records` holds each reply as data (the
answer's JSON record, or the error a reader saw), one per reply in order, so
feedback, copy and export read what was answered, not the markup. The browser
keeps the most recent conversations (Gradio's `BrowserState`, encrypted in
localStorage), so they survive a reload and can be reopened.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

KEPT = 30  # conversations a browser keeps; the oldest is forgotten first
TITLE_CHARS = 60

Message = dict[str, str]
Record = Mapping[str, Any]
History = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Conversation:
    id: str
    started: str
    messages: tuple[Message, ...] = ()
    records: tuple[Record, ...] = ()

    @classmethod
    def new(cls) -> Conversation:
        return cls(uuid.uuid4().hex, datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def title(self) -> str:
        first = self.records[0]["question"] if self.records else ""
        return first[:TITLE_CHARS] + ("…" if len(first) > TITLE_CHARS else "")

    @property
    def questions(self) -> list[str]:
        """The questions answered so far, which a follow-up is read against."""
        return [r["question"] for r in self.records if not r.get("error")]

    @property
    def language(self) -> str:
        return str(self.records[0]["language"]) if self.records else "en"

    def with_reply(self, messages: Sequence[Message], record: Record) -> Conversation:
        return Conversation(self.id, self.started, tuple(messages), (*self.records, record))

    def record_at(self, message_index: int) -> Record | None:
        """The record of the reply shown at `message_index` in the chat (None for a question)."""
        if not 0 <= message_index < len(self.messages):
            return None
        if self.messages[message_index]["role"] != "assistant":
            return None
        before = self.messages[:message_index]
        return self.records[sum(m["role"] == "assistant" for m in before)]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started": self.started,
            "messages": list(self.messages),
            "records": [dict(r) for r in self.records],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Conversation:
        return cls(
            str(data["id"]),
            str(data["started"]),
            tuple(dict(m) for m in data["messages"]),
            tuple(dict(r) for r in data["records"]),
        )


def failed(question: str, language: str, text: str) -> dict[str, Any]:
    """A reply that is an error message, recorded in an answer's shape so that
    exports and feedback read it like any other reply."""
    return {
        "question": question,
        "text": text,
        "answered": False,
        "language": language,
        "mode": None,
        "notice": None,
        "citations": [],
        "error": True,
    }


def stored(history: Mapping[str, Any] | None) -> list[Conversation]:
    """The browser's conversations, newest first; an entry this version cannot read
    (an older layout, a damaged store) is left out rather than breaking the page."""
    conversations = []
    for data in (history or {}).get("conversations", []):
        try:
            conversations.append(Conversation.from_json(data))
        except (KeyError, TypeError, ValueError):
            continue
    return conversations


def saved(history: Mapping[str, Any] | None, conversation: Conversation) -> History:
    """The history with this conversation first (replacing its earlier state)."""
    others = [c for c in stored(history) if c.id != conversation.id]
    kept = [conversation, *others][:KEPT]
    return {"conversations": [c.as_json() for c in kept if c.records]}


def choices(history: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    return [(f"{c.started[:10]} · {c.title}", c.id) for c in stored(history)]


def find(history: Mapping[str, Any] | None, conversation_id: str | None) -> Conversation | None:
    return next((c for c in stored(history) if c.id == conversation_id), None)
