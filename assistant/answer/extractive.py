"""The embedded default answerer: verbatim evidence sentences with citations, no LLM.

Faithful by construction: every word of the evidence is copied from a retrieved
paragraph, and every marker points to the paragraph the sentence came from.
It declines when the best evidence scores below a threshold calibrated on the
project's unanswerable questions (see `evals/calibrate.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.answer_types import answer_type, counted, counts, holds
from assistant.answer.answerability import Verdict, signals, verdict
from assistant.answer.attribution import Speech, speech
from assistant.answer.citations import source_note
from assistant.answer.framing import EnglishFraming
from assistant.arabic import terms
from assistant.ingest.paragraphs import sentence_spans
from assistant.models.embedding import Embedder
from assistant.models.lexicon import Lexicon
from assistant.prompts import load_prompt
from assistant.settings import ExtractiveConfig
from assistant.types import Citation, Draft, Language, Passage, Query
from store import LexicalIndex


@dataclass(frozen=True)
class Evidence:
    """A candidate sentence. `score` ranks candidates; `support` (the question's own
    terms, no answer-type bonus) says how well the articles cover the question, and
    decides whether to answer."""

    passage: Passage
    sentence: str
    score: float
    support: float


Sentences = tuple[list[str], np.ndarray]  # a paragraph's sentences and their vectors
StoredVectors = Callable[[Sequence[str]], dict[str, np.ndarray]]  # paragraph keys -> vectors


class SentenceVectors:
    """Sentence embeddings per paragraph text, computed on first need and kept.

    Keyed by the paragraph's text, not its place, so that an article edited and
    ingested again is never quoted from its old sentences. Bounded: the oldest
    are forgotten first, so a long-running server over a large archive does not
    grow without end. Shared by every pipeline of one assistant (and its
    derived ones), across index versions.
    """

    def __init__(self, embedder: Embedder, limit: int = 20_000) -> None:
        self._embedder = embedder
        self._limit = limit
        self._cache: dict[str, Sentences] = {}
        self._lock = threading.Lock()

    def get(
        self, passages: Sequence[Passage], stored: StoredVectors | None = None
    ) -> list[Sentences]:
        """Each passage's sentences and their vectors.

        A paragraph that is one sentence already has its vector in the index
        (the same text, embedded the same way): two in three of those retrieved
        from SaudiNewsNet. `stored` reads them, in one call, instead of
        embedding them again.
        """
        texts = [p.paragraph.text for p in passages]
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        split = {t: [t[s.start : s.end] for s in sentence_spans(t)] for t in missing}
        reused = _one_sentence_vectors(passages, split, stored)
        embedded = [t for t in missing if t not in reused]
        vectors = self._embedder.passages([s for t in embedded for s in split[t]])
        row = 0
        for text in embedded:
            n = len(split[text])
            known[text] = (split[text], vectors[row : row + n])
            row += n
        known.update((text, (split[text], reused[text])) for text in reused)
        with self._lock:
            self._cache.update((t, known[t]) for t in missing)
            while len(self._cache) > self._limit:
                del self._cache[next(iter(self._cache))]
        return [known[t] for t in texts]


def _one_sentence_vectors(
    passages: Sequence[Passage], split: dict[str, list[str]], stored: StoredVectors | None
) -> dict[str, np.ndarray]:
    """Paragraph text -> its stored vector as a one-row matrix, for the missing
    paragraphs that are one sentence."""
    single = {
        p.key: p.paragraph.text
        for p in passages
        if split.get(p.paragraph.text) == [p.paragraph.text]
    }
    if stored is None or not single:
        return {}
    return {single[key]: vector[None, :] for key, vector in stored(list(single)).items()}


def rank_evidence(
    query: Query,
    query_vector: np.ndarray,
    passages: Sequence[Passage],
    vectors: SentenceVectors,
    bonus: float,
    stored: StoredVectors | None = None,
) -> list[Evidence]:
    """Every sentence of the passages, scored by cosine plus bonuses.

    The cosine alone prefers the sentence most *about* the question's topic;
    sharing the question's terms, or holding the kind of answer its question
    word asks for (a number, a date, a person, a place: `answer_types`), marks
    the sentence that answers it; a number counts only beside what the
    question counts, when it names that («كم مرحلة»). The terms that rank are those BM25
    searched with (`lexical_text`): for an English question, its Arabic
    translation or dictionary gloss, since its own words never occur in an
    Arabic sentence. `support` counts the question's own terms instead, so the
    calibrated refusal threshold means the same with or without a dictionary
    or an LLM translation.
    """
    own, searched = _coverage(query.text), _loose_coverage(query.lexical_text)
    wanted = answer_type(query.text)
    noun = counted(query.text) if wanted == "number" else None
    ranked = []
    for passage, (sentences, matrix) in zip(passages, vectors.get(passages, stored), strict=True):
        cosines = matrix @ query_vector
        for sentence, cosine in zip(sentences, cosines, strict=True):
            words = set(terms(sentence))
            typed = wanted is not None and holds(wanted, sentence) and counts(noun, sentence)
            score = float(cosine) + bonus * (searched(words) + typed)
            ranked.append(Evidence(passage, sentence, score, float(cosine) + bonus * own(words)))
    ranked.sort(key=lambda e: -e.score)
    return ranked


def _coverage(text: str) -> Callable[[set[str]], float]:
    """The share of `text`'s terms that a sentence's terms include."""
    wanted = set(terms(text))
    return lambda words: len(wanted & words) / len(wanted) if wanted else 0.0


PREFIX = 5  # letters two terms may share to match when ranking evidence


def _loose_coverage(text: str) -> Callable[[set[str]], float]:
    """The share of `text`'s terms a sentence's terms include, a term also
    matching one that starts with the same `PREFIX` letters.

    The light stemmer strips one suffix, so a noun with a pronoun after its
    ta marbuta keeps the ta («مناقشتها» → مناقشت) and misses the bare noun
    («مناقشة» → مناقشه); their first five letters agree. Ranking only: the
    refusal's `support` keeps exact terms, so its calibrated thresholds mean
    what they meant.
    """
    wanted = set(terms(text))

    def share(words: set[str]) -> float:
        starts = {w[:PREFIX] for w in words if len(w) >= PREFIX}
        found = [t for t in wanted if t in words or (len(t) >= PREFIX and t[:PREFIX] in starts)]
        return len(found) / len(wanted) if wanted else 0.0

    return share


def select_evidence(ranked: Sequence[Evidence], config: ExtractiveConfig) -> list[Evidence]:
    """The best sentence and the runners-up within `margin` of it, best first."""
    if not ranked:
        return []
    best = ranked[0].score
    chosen = [e for e in ranked[: config.max_sentences] if e.score >= best - config.margin]
    return chosen


def compose(
    query: Query,
    evidence: Sequence[Evidence],
    confidence: float | None,
    doubtful: bool = False,
    framing: EnglishFraming | None = None,
) -> Draft:
    """Number the cited paragraphs in order of first use and write the answer text;
    each quote is followed by its outlet and date, when the archive gives them.
    A `doubtful` answer opens by saying the articles may not answer the question.
    With `framing` (English questions), the intro says where the evidence is and
    each quote is followed by what it matched and the numbers it holds."""
    wording = load_prompt("extractive", query.language)
    citations: dict[str, Citation] = {}
    intro = "doubtful_intro" if doubtful else "intro"
    cited = [item.passage for item in evidence]
    lines = [framing.intro(intro, cited) if framing else wording[intro]]
    for item in evidence:
        p = item.passage
        said = speech(item.sentence, p.paragraph.text)
        cited_before = citations.get(p.key)
        marker = cited_before.marker if cited_before else len(citations) + 1
        earlier = (cited_before.quotes, cited_before.speakers) if cited_before else ((), ())
        citations[p.key] = Citation(
            marker, p.paragraph, (*earlier[0], item.sentence), p.copies,
            (*earlier[1], said.speaker if said else ""),
        )  # fmt: skip
        lines.append(_quote_line(item.sentence, marker, p, said, wording, framing is None))
        told = [wording["speech"].format(verb=said.verb, speaker=said.speaker)] if said else []
        told += [framing.note(query.text, item.sentence)] if framing else []
        if framing and any(told):
            lines.append(f"  {wording['note_separator'].join(t for t in told if t)}")
    return Draft(
        text="\n".join(lines),
        answered=True,
        citations=tuple(sorted(citations.values(), key=lambda c: c.marker)),
        mode="extractive",
        notice=wording.get("notice"),
        confidence=confidence,
        doubtful=doubtful,
    )


def _quote_line(
    sentence: str,
    marker: int,
    passage: Passage,
    said: Speech | None,
    wording: Mapping[str, str],
    attribute: bool,
) -> str:
    """«quote» [n] (outlet, date; also published by …), or, for reported speech in an
    Arabic answer, who said it and where first: قال لافروف، بحسب عكاظ (2015-08-03): «…» [n]."""
    source = passage.source
    copies = wording["also_separator"].join(
        source_note(c.source, wording["separator"]) for c in passage.copies
    )
    also = wording["also"].format(sources=copies) if copies else ""
    if attribute and said:
        where = source.outlet + (f" ({source.iso_date})" if source.iso_date else "")
        according = wording["according"].format(source=where) if source.outlet else ""
        who = wording["speech"].format(verb=said.verb, speaker=said.speaker)
        return f"- {who}{according}: «{sentence}» [{marker}]" + (f" ({also})" if also else "")
    note = source_note(source, wording["separator"])
    note = wording["also_separator"].join(part for part in (note, also) if part) if note else ""
    return f"- «{sentence}» [{marker}]" + (f" ({note})" if note else "")


def decline_wording(language: str) -> str:
    """The one sentence every answer mode uses to say the articles do not hold the answer."""
    return load_prompt("extractive", language)["decline"]


def decline(language: Language, mode: str, confidence: float | None = None) -> Draft:
    """The draft of an answer that says the articles do not hold one."""
    return Draft(decline_wording(language), False, (), mode, confidence=confidence)


def confidence(ranked: Sequence[Evidence]) -> float | None:
    return max(e.support for e in ranked) if ranked else None


class ExtractiveAnswerer:
    def __init__(
        self,
        vectors: SentenceVectors,
        config: ExtractiveConfig,
        stored: StoredVectors | None = None,
        lexical: LexicalIndex | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self._vectors = vectors
        self.config = config
        self._stored = stored  # the index's paragraph vectors
        self._lexical = lexical  # the index's BM25 statistics, for `answerability`
        self._framing = EnglishFraming(lexicon, load_prompt("extractive", "en"))

    def answer(self, query: Query, query_vector: np.ndarray, passages: Sequence[Passage]) -> Draft:
        ranked = self.evidence(query, query_vector, passages)
        best = confidence(ranked)
        judged = self._verdict(query, ranked, passages)
        if judged == "decline":
            return decline(query.language, "extractive", best)
        evidence = select_evidence(ranked, self.config)
        framing = self._framing if query.language == "en" else None
        return compose(query, evidence, best, judged == "doubt", framing)

    def evidence(
        self, query: Query, query_vector: np.ndarray, passages: Sequence[Passage]
    ) -> list[Evidence]:
        """Every sentence of the passages, best first (see `rank_evidence`)."""
        return rank_evidence(
            query, query_vector, passages, self._vectors, self.config.lexical_bonus, self._stored
        )

    def signals(
        self, query: Query, ranked: Sequence[Evidence], passages: Sequence[Passage]
    ) -> np.ndarray | None:
        """The answerability model's features for this evidence (None: no evidence, or
        no index statistics to weigh it by)."""
        if not ranked or self._lexical is None:
            return None
        strongest = max(ranked, key=lambda e: e.support)
        supports = [e.support for e in ranked]
        return signals(query, supports, strongest.passage, passages, self._lexical)

    def below_threshold(self, query: Query, ranked: Sequence[Evidence]) -> bool:
        """Whether the best evidence falls under the language's calibrated threshold."""
        best = confidence(ranked)
        return best is None or best < self.config.threshold(query.language)

    def _verdict(
        self, query: Query, ranked: Sequence[Evidence], passages: Sequence[Passage]
    ) -> Verdict:
        """Declined when the best evidence falls under the language's threshold;
        otherwise, in an index large enough for one, the language's answerability
        model decides."""
        if self.below_threshold(query, ranked):
            return "decline"
        model = self.config.answerability(query.language)
        lexical = self._lexical
        if model is None or lexical is None or len(lexical.keys) < model.min_paragraphs:
            return "answer"
        row = self.signals(query, ranked, passages)
        return "answer" if row is None else verdict(model, row)
