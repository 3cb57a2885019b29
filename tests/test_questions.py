"""The question set itself: well-formed, and every gold paragraph holds its evidence."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import saudinewsnet

from assistant.arabic import detect_language
from assistant.ingest.corpus import Corpus, load_corpus
from assistant.settings import DEFAULT_CORPUS
from evals.archive import write_slice
from evals.questions import (
    ARCHIVE_QUESTIONS,
    QUESTIONS_FILE,
    Question,
    contains_fact,
    load_questions,
    load_translations,
    validate,
)


def test_the_shipped_set_is_valid(corpus: Corpus) -> None:
    assert validate(load_questions(), corpus) == []


def test_the_set_covers_what_it_must() -> None:
    questions = load_questions()
    languages = collections.Counter(q.language for q in questions)
    types = collections.Counter(q.type for q in questions)
    assert len(questions) >= 80 and min(languages.values()) >= 35
    assert types["unanswerable"] >= 10 and types["followup"] >= 2 and types["multi"] >= 2
    assert all(q.history for q in questions if q.type == "followup")


def test_validator_catches_bad_gold(corpus: Corpus, tmp_path: Path) -> None:
    rows = [
        {"id": "x1", "language": "ar", "type": "factoid", "question": "؟",
         "gold": [{"article_id": "nope", "paragraph": 1}], "facts": [["كوبا"]], "note": ""},
        {"id": "x2", "language": "ar", "type": "factoid", "question": "؟",
         "gold": [{"article_id": "002_5ea31fea1596766f", "paragraph": 1}], "facts": [["كوبا"]],
         "note": ""},
        {"id": "x2", "language": "fr", "type": "unanswerable", "question": "?", "gold": [],
         "facts": [["x"]], "note": ""},
    ]  # fmt: skip
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    problems = validate(load_questions(path), corpus)
    assert any("nope#1 does not exist" in p for p in problems)
    assert any("x2: fact ('كوبا',) is not in its gold" in p for p in problems)
    assert any("duplicate id" in p for p in problems)
    assert any("unknown language" in p for p in problems)
    assert any("need facts" in p for p in problems)


def test_facts_match_across_spelling_variants() -> None:
    assert contains_fact("قال إنّ «مئتَيْ» شخص أصيبوا", ("مئتي",))
    assert contains_fact("the Kremlin", ("Kremlin", "الكرملين"))
    assert not contains_fact("نص آخر", ("كوبا",))


def test_questions_load_as_frozen_values() -> None:
    q = load_questions(QUESTIONS_FILE)[0]
    assert isinstance(q, Question) and q.gold and q.facts


def test_every_english_question_has_an_arabic_reference_translation() -> None:
    translations = load_translations()
    english = [q.question for q in load_questions() if q.language == "en"]
    assert sorted(translations) == sorted(english)
    assert all(detect_language(t) == "ar" for t in translations.values())


def test_the_archive_questions_match_the_archive_slice(tmp_path: Path) -> None:
    """The "latest news" questions' gold paragraphs exist in the slice `evals.archive`
    cuts from SaudiNewsNet, hold their facts, and are the newest of the story's days."""
    files = write_slice(saudinewsnet.DATA, tmp_path, crowd=5)
    corpus = load_corpus([DEFAULT_CORPUS, *files])
    questions = load_questions(ARCHIVE_QUESTIONS)
    assert len(questions) >= 8 and {q.type for q in questions} == {"latest"}
    assert validate(questions, corpus) == []
    newest = max(a.source.published for a in corpus.articles if a.source.published)
    for q in questions:
        for key in q.gold:
            assert corpus.article(key.split("#")[0]).source.published == newest
