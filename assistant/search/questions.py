"""Checking a question before it reaches retrieval.

Invisible characters (controls, zero-width, bidi overrides) are removed rather
than rejected: they often arrive by copy-paste from web pages and carry no meaning.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.errors import InvalidQuestion

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_question(text: object, max_chars: int) -> str:
    """The question as retrieval should see it, or InvalidQuestion saying what to fix."""
    if not isinstance(text, str):
        raise InvalidQuestion("The question must be text.")
    text = _INVISIBLE.sub("", text)
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InvalidQuestion("The question is empty. Please type a question about the articles.")
    if len(text) > max_chars:
        raise InvalidQuestion(
            f"The question is {len(text):,} characters long; the limit is {max_chars:,}. "
            "Please ask a shorter question."
        )
    if not any(c.isalnum() for c in text):
        raise InvalidQuestion("The question has no words in it. Please type a question.")
    return text
