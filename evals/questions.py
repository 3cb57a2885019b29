"""The question set: loading it and checking it against the corpus.

A gold citation that points at a paragraph which does not exist, or does not
contain the fact it is meant to support, silently corrupts every metric, so
the validator is run by the tests and before every evaluation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.arabic import normalize
from assistant.ingest.corpus import Corpus

QUESTIONS_FILE = Path(__file__).parent / "questions.jsonl"
# "Latest news" questions over a SaudiNewsNet slice (`python -m evals.archive`).
ARCHIVE_QUESTIONS = Path(__file__).parent / "archive_questions.jsonl"
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

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


def _question(row: dict) -> Question:
    return Question(
        id=row["id"],
        language=row["language"],
        type=row["type"],
        question=row["question"],
        gold=tuple(f"{g['article_id']}#{g['paragraph']}" for g in row["gold"]),
        facts=tuple(tuple(f) for f in row["facts"]),
        note=row.get("note", ""),
        history=tuple(t["content"] for t in row.get("history", []) if t.get("role") == "user"),
        subset=row.get("subset", "core"),
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


def validate(questions: list[Question], corpus: Corpus) -> list[str]:
    """Problems with the set: unknown gold paragraphs, facts not in the gold text."""
    texts = {p.key: p.text for p in corpus.paragraphs}
    problems = []
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
