"""Answers and conversations as a reader takes them away: Markdown to paste, JSON to keep.

Both are made from the JSON shape of `assistant.serialize`, the shape a
conversation is stored in (the browser keeps the web chat's history), so an
answer copied today and a conversation reopened and exported next week read
the same. A source line names everything a citation needs: outlet, date,
article title, paragraph and link; the article id stands in for an unknown
outlet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assistant.prompts import load_prompt
from assistant.serialize import answer_json
from assistant.types import Answer

Record = Mapping[str, Any]


def answer_record(answer: Answer) -> dict[str, Any]:
    """An answer as a conversation keeps it: every citation, without the ranked
    passages (they can be searched again, and a browser's storage is small)."""
    record = answer_json(answer)
    del record["passages"]
    return record


def source_line(place: Record, words: Mapping[str, str]) -> str:
    """Outlet · date · «title» · paragraph n · link, leaving out what is unknown."""
    parts = [
        place.get("outlet") or place["article_id"],
        place.get("published") or "",
        f"«{place['title']}»" if place.get("title") else "",
        words["paragraph"].format(n=place["paragraph"]),
        place.get("url") or "",
    ]
    return " · ".join(part for part in parts if part)


def answer_markdown(record: Record) -> str:
    """The answer, then its numbered sources, each with the sentences it quotes."""
    words = load_prompt("export", record["language"])
    lines = [record["text"]]
    if record.get("notice"):
        lines += ["", f"({record['notice']})"]
    if record["citations"]:
        lines += ["", f"{words['sources']}:"]
    for citation in record["citations"]:
        lines.append(f"[{citation['marker']}] {source_line(citation, words)}")
        lines += [f"    > {quote}" for quote in citation["quotes"]]
        copies = "; ".join(source_line(copy, words) for copy in citation["also_published"])
        if copies:
            lines.append(f"    {words['also']}: {copies}")
    return "\n".join(lines)


def conversation_markdown(records: Sequence[Record], language: str, time: str) -> str:
    """Every question and answer of a conversation, each answer with its sources."""
    words = load_prompt("export", language)
    parts = [f"# {words['conversation']}", words["exported"].format(time=time)]
    for record in records:
        asked = load_prompt("export", record["language"])["question"]
        parts += [f"## {asked}: {record['question']}", answer_markdown(record)]
    return "\n\n".join(parts) + "\n"


def conversation_json(records: Sequence[Record], time: str) -> dict[str, Any]:
    """The conversation as data: its answers in order, each with every citation."""
    return {"exported": time, "answers": [dict(record) for record in records]}
