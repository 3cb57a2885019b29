"""The question set: loading it and checking it against the corpus.

A gold citation that points at a paragraph which does not exist, or does not
contain the fact it is meant to support, silently corrupts every metric, so
the validator is run by the tests and before every evaluation.

Questions about a large archive give their gold as evidence text rather than a
paragraph key: one agency report is carried by several outlets, and any copy
holding the evidence and the facts answers the question as well as the first.
`resolve` finds them all; the runner scores a copy as the gold it repeats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.arabic import normalize
from assistant.ingest.corpus import Corpus

QUESTIONS_FILE = Path(__file__).parent / "questions.jsonl"
# "Latest news" questions over a SaudiNewsNet slice (`python -m evals.archive`).
ARCHIVE_QUESTIONS = Path(__file__).parent / "archive_questions.jsonl"
# Questions about SaudiNewsNet articles, asked over the whole archive (issue 25).
SNN_QUESTIONS = Path(__file__).parent / "snn_questions.jsonl"
# The answerability check no fit has seen: questions about two days of SaudiNewsNet
# (the indexed corpus, `python -m evals.archive --slice heldout`) and about articles
# of other days that are not indexed (issue 21).
HELDOUT_QUESTIONS = Path(__file__).parent / "heldout_questions.jsonl"
TRANSLATIONS_FILE = Path(__file__).parent / "translations.jsonl"


@dataclass(frozen=True)
class Question:
    id: str
    language: str
    type: str
    question: str
    gold: tuple[str, ...]  # paragraph keys "article_id#number"
    facts: tuple[tuple[str, ...], ...]  # each fact: alternatives, any one suffices
    note: str
    history: tuple[str, ...] = ()  # earlier user turns, oldest first
    # "core": the first 97, on which the settings were calibrated; "coverage": one or
    # two per paragraph no core question cited, written before the system saw them.
    subset: str = "core"
    evidence: tuple[str, ...] = ()  # gold given as text, turned into keys by `resolve`
    copies: tuple[tuple[str, ...], ...] = ()  # per gold key, the other paragraphs saying it
    # for a quote of reported speech: the names the article gives its speaker (any one)
    speaker: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return bool(self.gold or self.evidence)

    def canonical(self, key: str) -> str:
        """The gold key a syndicated copy stands for; any other key as it is."""
        for gold, others in zip(self.gold, self.copies, strict=False):
            if key in others:
                return gold
        return key


def _question(row: dict) -> Question:
    return Question(
        id=row["id"],
        language=row["language"],
        type=row["type"],
        question=row["question"],
        gold=tuple(
            f"{g['article_id']}#{g['paragraph']}" for g in row["gold"] if "evidence" not in g
        ),
        evidence=tuple(g["evidence"] for g in row["gold"] if "evidence" in g),
        facts=tuple(tuple(f) for f in row["facts"]),
        note=row.get("note", ""),
        history=tuple(t["content"] for t in row.get("history", []) if t.get("role") == "user"),
        subset=row.get("subset", "core"),
        speaker=tuple(row.get("speaker", ())),
    )


def load_questions(path: Path = QUESTIONS_FILE) -> list[Question]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [_question(json.loads(line)) for line in lines if line.strip()]


def load_translations(path: Path = TRANSLATIONS_FILE) -> dict[str, str]:
    """English question text -> a hand-written Arabic translation of it."""
    english = {q.id: q.question for q in load_questions()}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {english[row["id"]]: row["arabic"] for row in rows}


def contains_fact(text: str, alternatives: tuple[str, ...]) -> bool:
    folded = normalize(text)
    return any(normalize(alt) in folded for alt in alternatives)


def resolve(questions: list[Question], corpus: Corpus) -> list[Question]:
    """Questions whose evidence text is turned into gold keys: per evidence, the first
    paragraph holding it and every fact is the gold, and the others are its copies."""
    if not any(q.evidence for q in questions):
        return questions
    folded = [(p.key, normalize(p.text)) for p in corpus.paragraphs]
    return [_resolved(q, folded) if q.evidence else q for q in questions]


def _resolved(q: Question, folded: list[tuple[str, str]]) -> Question:
    facts = [tuple(normalize(alt) for alt in fact) for fact in q.facts]
    groups = []
    for evidence in q.evidence:
        needle = normalize(evidence)
        keys = [
            key
            for key, text in folded
            if needle in text and all(any(alt in text for alt in fact) for fact in facts)
        ]
        if keys:
            groups.append(keys)
    return replace(q, gold=tuple(g[0] for g in groups), copies=tuple(tuple(g[1:]) for g in groups))


def validate(questions: list[Question], corpus: Corpus) -> list[str]:
    """Problems with the set: unknown gold paragraphs, facts not in the gold text,
    evidence (of resolved questions) found in no paragraph holding the facts."""
    texts = {p.key: p.text for p in corpus.paragraphs}
    problems = [
        f"{q.id}: no paragraph holds its evidence and facts"
        for q in questions
        if q.evidence and len(q.gold) < len(q.evidence)
    ]
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            problems.append(f"{q.id}: duplicate id")
        seen.add(q.id)
        if q.language not in ("ar", "en"):
            problems.append(f"{q.id}: unknown language {q.language!r}")
        if q.answerable != bool(q.facts):
            problems.append(f"{q.id}: answerable questions need facts, unanswerable ones none")
        missing = [key for key in q.gold if key not in texts]
        problems += [f"{q.id}: gold paragraph {key} does not exist" for key in missing]
        gold_text = " ".join(texts[key] for key in q.gold if key in texts)
        problems += [
            f"{q.id}: fact {fact} is not in its gold paragraphs"
            for fact in q.facts
            if not contains_fact(gold_text, fact)
        ]
        problems += [
            f"{q.id}: gold paragraph {key} holds none of the facts"
            for key in q.gold
            if key in texts and not any(contains_fact(texts[key], f) for f in q.facts)
        ]
    return problems
