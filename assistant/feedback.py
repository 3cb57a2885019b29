"""Readers' verdicts on answers, kept as JSON Lines under the assistant's home.

The log is append-only, so no click can lose an earlier one: a verdict is a
line, a note added afterwards is another line naming the same id, and reading
merges them (the latest verdict wins, notes accumulate). A line that cannot be
read, such as one cut short when the disk filled, is reported by file and line
and skipped, never rewritten.

Disliked answers are where the evaluation set is weakest, so `candidates`
turns them into questions in the evaluation set's shape, for a person to
review, add the gold paragraph and facts, and move into `evals/`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError

FILE_NAME = "feedback.jsonl"


@dataclass(frozen=True)
class Feedback:
    """One reader's verdict on one answer: `answer` is its JSON record, `settings`
    what produced it (mode, passages, filters, models)."""

    id: str
    time: str
    verdict: str  # "up", "down", or the reason the reader picked
    answer: Mapping[str, Any]
    settings: Mapping[str, Any]
    notes: tuple[str, ...] = ()

    @property
    def negative(self) -> bool:
        return self.verdict != "up"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedbackLog:
    """The feedback file of one assistant home."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def at_home(cls, home: Path) -> FeedbackLog:
        return cls(home / FILE_NAME)

    def record(
        self, verdict: str, answer: Mapping[str, Any], settings: Mapping[str, Any]
    ) -> Feedback:
        item = Feedback(uuid.uuid4().hex, now(), verdict, answer, settings)
        self._append({"kind": "verdict", **_fields(item)})
        return item

    def add_note(self, feedback_id: str, note: str) -> None:
        self._append({"kind": "note", "id": feedback_id, "time": now(), "note": note})

    def _append(self, line: Mapping[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as sink:
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise AssistantError(
                f"Could not save the feedback to {self.path}: {exc.strerror or exc}."
            ) from exc

    def read(self) -> tuple[list[Feedback], list[str]]:
        """Every feedback item, merged, oldest first; and the lines that could not be read."""
        if not self.path.is_file():
            return [], []
        items: dict[str, Feedback] = {}
        problems: list[str] = []
        text = self.path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    _merge(items, json.loads(line))
                except (ValueError, KeyError, TypeError) as exc:
                    problems.append(f"{self.path}:{number}: {_reason(exc)}; line skipped")
        return list(items.values()), problems


def _fields(item: Feedback) -> dict[str, Any]:
    return {
        "id": item.id,
        "time": item.time,
        "verdict": item.verdict,
        "answer": dict(item.answer),
        "settings": dict(item.settings),
        "notes": list(item.notes),
    }


def _merge(items: dict[str, Feedback], line: Mapping[str, Any]) -> None:
    if line["kind"] == "verdict":
        earlier = items.get(line["id"])
        notes = earlier.notes if earlier else ()
        items[line["id"]] = Feedback(
            line["id"], line["time"], line["verdict"], line["answer"], line["settings"], notes
        )
    elif line["kind"] == "note":
        item = items[line["id"]]
        items[line["id"]] = replace(item, notes=(*item.notes, str(line["note"])))
    else:
        raise ValueError(f"unknown kind {line['kind']!r}")


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"no {exc.args[0]!r} field (or a note for an unknown id)"
    return f"not a feedback line ({exc})"


def exported(items: Iterable[Feedback]) -> list[dict[str, Any]]:
    """The merged feedback as plain JSON, one object per answer judged."""
    return [_fields(item) for item in items]


def candidates(items: Iterable[Feedback]) -> list[dict[str, Any]]:
    """Disliked answers as evaluation questions to review: the gold paragraphs and
    facts are left empty for the reviewer, the note says what the reader saw."""
    return [_candidate(item) for item in items if item.negative]


def _candidate(item: Feedback) -> dict[str, Any]:
    answer = item.answer
    cited = ", ".join(f"{c['article_id']} ¶{c['paragraph']}" for c in answer["citations"])
    said = "; ".join(item.notes) or "no note"
    return {
        "id": f"feedback-{item.id[:8]}",
        "language": answer["language"],
        "type": "candidate",
        "question": answer["question"],
        "gold": [],
        "facts": [],
        "note": (
            f"Reader's verdict {item.verdict!r} on {item.time} ({said}); "
            f"the answer cited {cited or 'nothing'}. Review: add gold and facts."
        ),
    }
