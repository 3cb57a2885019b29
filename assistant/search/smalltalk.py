"""Messages that are not questions: a greeting, thanks, a goodbye.

They get a short reply in the user's language and no citations, instead of
quotes that happened to be nearest to "hello". Only a message that is one of
the phrases in `prompts/smalltalk.*.toml`, whole, counts: "hello, who is
Antonov?" is a question and is searched.
"""

from __future__ import annotations

import re

from assistant.arabic import normalize
from assistant.prompts import load_prompt
from assistant.types import Language

KINDS = ("greeting", "thanks", "farewell")
_PUNCTUATION = re.compile(r"[^\w\s]+")


def _key(text: str) -> str:
    return " ".join(normalize(_PUNCTUATION.sub(" ", text.casefold())).split())


def small_talk_reply(message: str, language: Language) -> str | None:
    """The reply to a greeting, thanks or goodbye in `language`; None for anything else."""
    key = _key(message)
    for lang in (language, "en" if language == "ar" else "ar"):
        words = load_prompt("smalltalk", lang)
        for kind in KINDS:
            if key in {_key(phrase) for phrase in words[kind]}:
                return str(load_prompt("smalltalk", language)[f"reply_{kind}"])
    return None
