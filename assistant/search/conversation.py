"""Turning a follow-up question into one that retrieval can answer on its own.

Without an LLM to rewrite it, the documented heuristic is to search with the
previous user question prepended: "وماذا قال عن الهجمات؟" after "من هو السفير
الروسي لدى واشنطن؟" then finds the ambassador's paragraph. The answer keeps the
language of the follow-up itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.errors import InvalidQuestion

History = Sequence[Any]


def user_turns(history: History | None) -> list[str]:
    """Earlier user questions from strings, {"role", "content"} dicts or (user, bot) pairs."""
    if history is None:
        return []
    if isinstance(history, (str, bytes)) or not isinstance(history, Sequence):
        raise InvalidQuestion("The conversation history must be a list of earlier turns.")
    turns = []
    for turn in history:
        if isinstance(turn, str):
            turns.append(turn)
        elif isinstance(turn, dict) and isinstance(turn.get("content"), str):
            if turn.get("role", "user") == "user":
                turns.append(turn["content"])
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            turns.append(turn[0])
        else:
            raise InvalidQuestion(
                "Each history turn must be a string, a {'role', 'content'} message "
                "or a (question, answer) pair."
            )
    return [t for t in turns if t.strip()]


def standalone_question(question: str, history: History | None) -> str:
    """The text to retrieve with: the last earlier question joined to the follow-up."""
    earlier = user_turns(history)
    return f"{earlier[-1]} {question}" if earlier else question
