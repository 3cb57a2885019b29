"""The embedded default answerer: verbatim evidence sentences with citations, no LLM.

Faithful by construction: every word of the evidence is copied from a retrieved
paragraph, and every marker points to the paragraph the sentence came from.
It declines when the best evidence scores below a threshold calibrated on the
project's unanswerable questions (see `evals/calibrate.py`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.arabic import mentions_number, normalize, terms
from assistant.embedding import Embedder
from assistant.paragraphs import sentence_spans
from assistant.prompts import load_prompt
from assistant.types import Answer, Citation, Language, Passage, Query

_NUMBER_QUESTION = re.compile(
    r"(^|\s)(كم|وكم|متي|ومتي)\s|\bhow (many|much|long)\b|\bwhen\b|\bwhat (number|year|date)\b"
)


@dataclass(frozen=True)
class Evidence:
    """A candidate sentence. `score` ranks candidates; `support` (the question's own
    terms, no answer-type bonus) says how well the articles cover the question, and
    decides whether to answer."""

    passage: Passage
    sentence: str
    score: float
    support: float


@dataclass(frozen=True)
class ExtractiveConfig:
    max_sentences: int
    lexical_bonus: float
    margin: float
    thresholds: dict[str, float]


class SentenceVectors:
    """Sentence embeddings per paragraph, computed once on first need and kept."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._cache: dict[str, tuple[list[str], np.ndarray]] = {}

    def get(self, passages: Sequence[Passage]) -> list[tuple[list[str], np.ndarray]]:
        missing = [p for p in passages if p.key not in self._cache]
        split = {p.key: [p.text[s.start : s.end] for s in sentence_spans(p.text)] for p in missing}
        flat = [s for p in missing for s in split[p.key]]
        vectors = self._embedder.passages(flat)
        row = 0
        for p in missing:
            n = len(split[p.key])
            self._cache[p.key] = (split[p.key], vectors[row : row + n])
            row += n
        return [self._cache[p.key] for p in passages]


def asks_for_number(question: str) -> bool:
    """Questions of quantity or date ("كم", "how many", "متى", "when") want a number back."""
    return _NUMBER_QUESTION.search(normalize(question)) is not None


def rank_evidence(
    query: Query,
    query_vector: np.ndarray,
    passages: Sequence[Passage],
    vectors: SentenceVectors,
    bonus: float,
) -> list[Evidence]:
    """Every sentence of the passages, scored by cosine plus bonuses.

    The cosine alone prefers the sentence most *about* the question's topic;
    sharing the question's terms, or holding a number when one is asked for,
    marks the sentence that answers it. The terms that rank are those BM25
    searched with (`lexical_text`): for an English question, its Arabic
    translation or dictionary gloss, since its own words never occur in an
    Arabic sentence. `support` counts the question's own terms instead, so the
    calibrated refusal threshold means the same with or without a dictionary
    or an LLM translation.
    """
    own, searched = _coverage(query.text), _coverage(query.lexical_text)
    wants_number = asks_for_number(query.text)
    ranked = []
    for passage, (sentences, matrix) in zip(passages, vectors.get(passages), strict=True):
        cosines = matrix @ query_vector
        for sentence, cosine in zip(sentences, cosines, strict=True):
            words = set(terms(sentence))
            number = wants_number and mentions_number(sentence)
            score = float(cosine) + bonus * (searched(words) + number)
            ranked.append(Evidence(passage, sentence, score, float(cosine) + bonus * own(words)))
    ranked.sort(key=lambda e: -e.score)
    return ranked


def _coverage(text: str) -> Callable[[set[str]], float]:
    """The share of `text`'s terms that a sentence's terms include."""
    wanted = set(terms(text))
    return lambda words: len(wanted & words) / len(wanted) if wanted else 0.0


def select_evidence(ranked: Sequence[Evidence], config: ExtractiveConfig) -> list[Evidence]:
    """The best sentence and the runners-up within `margin` of it, best first."""
    if not ranked:
        return []
    best = ranked[0].score
    chosen = [e for e in ranked[: config.max_sentences] if e.score >= best - config.margin]
    return chosen


def compose(
    question: str, language: Language, evidence: Sequence[Evidence], passages: Sequence[Passage]
) -> Answer:
    """Number the cited paragraphs in order of first use and write the answer text."""
    wording = load_prompt("extractive", language)
    citations: dict[str, Citation] = {}
    lines = [wording["intro"]]
    for item in evidence:
        p = item.passage
        cited = citations.get(p.key)
        marker = cited.marker if cited else len(citations) + 1
        quotes = (*cited.quotes, item.sentence) if cited else (item.sentence,)
        citations[p.key] = Citation(
            marker, p.article_id, p.title, p.paragraph, p.text, quotes, p.span
        )
        lines.append(f"- «{item.sentence}» [{marker}]")
    return Answer(
        question=question,
        text="\n".join(lines),
        answered=True,
        citations=tuple(sorted(citations.values(), key=lambda c: c.marker)),
        language=language,
        mode="extractive",
        passages=tuple(passages),
        notice=wording.get("notice"),
    )


def decline_wording(language: str) -> str:
    """The one sentence every answer mode uses to say the articles do not hold the answer."""
    return load_prompt("extractive", language)["decline"]


def decline(question: str, language: Language, passages: Sequence[Passage]) -> Answer:
    wording = decline_wording(language)
    return Answer(question, wording, False, (), language, "extractive", tuple(passages))


def confidence(ranked: Sequence[Evidence]) -> float | None:
    return max(e.support for e in ranked) if ranked else None


def _with_confidence(answer: Answer, ranked: Sequence[Evidence]) -> Answer:
    return dataclasses.replace(answer, confidence=confidence(ranked))


class ExtractiveAnswerer:
    def __init__(self, vectors: SentenceVectors, config: ExtractiveConfig) -> None:
        self._vectors = vectors
        self.config = config

    def answer(self, query: Query, query_vector: np.ndarray, passages: Sequence[Passage]) -> Answer:
        ranked = rank_evidence(
            query, query_vector, passages, self._vectors, self.config.lexical_bonus
        )
        best = confidence(ranked)
        if best is None or best < self.config.thresholds[query.language]:
            return _with_confidence(decline(query.text, query.language, passages), ranked)
        chosen = select_evidence(ranked, self.config)
        return _with_confidence(compose(query.text, query.language, chosen, passages), ranked)
