"""The question set itself: well-formed, and every gold paragraph holds its evidence."""

from __future__ import annotations

import collections
import itertools
import json
from pathlib import Path

import pytest
import saudinewsnet

from assistant.arabic import detect_language
from assistant.ingest.corpus import Corpus, load_corpus
from assistant.settings import DEFAULT_CORPUS
from evals.archive import (
    HELDOUT_DAYS,
    RUSSIA,
    archive_days,
    first_slice,
    lavrov_slice,
    russia_slice,
    write_days,
)
from evals.questions import (
    ARCHIVE_QUESTIONS,
    HELDOUT_QUESTIONS,
    QUESTIONS_FILE,
    SNN_QUESTIONS,
    Question,
    contains_fact,
    load_questions,
    load_translations,
    resolve,
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
    files = write_days(lavrov_slice(saudinewsnet.DATA, 5), tmp_path)
    corpus = load_corpus([DEFAULT_CORPUS, *files])
    questions = load_questions(ARCHIVE_QUESTIONS)
    assert len(questions) >= 8 and {q.type for q in questions} == {"latest"}
    assert validate(questions, corpus) == []
    newest = max(a.source.published for a in corpus.articles if a.source.published)
    for q in questions:
        for key in q.gold:
            assert corpus.article(key.split("#")[0]).source.published == newest


def _rayyan(tmp_path: Path) -> Corpus:
    """One agency report carried by two outlets, spelt apart (فلامينغو, فلامينجو)."""
    day = "2015-08-11"
    return load_corpus([saudinewsnet.day_zip(tmp_path, day, saudinewsnet.about("الريان", day))])


def test_evidence_gold_counts_every_syndicated_copy(tmp_path: Path) -> None:
    corpus = _rayyan(tmp_path)
    row = {"id": "s1", "language": "en", "type": "latest", "question": "Whom is Al-Rayyan signing?",
           "gold": [{"evidence": "فيكتور كاسيريس"}], "facts": [["كاسيريس"]]}  # fmt: skip
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    [q] = resolve(load_questions(path), corpus)
    [gold], [copies] = q.gold, q.copies
    outlets = {corpus.article(k.split("#")[0]).source.outlet for k in (gold, *copies)}
    assert outlets == {"Al-Jazirah", "Al-Watan"}
    assert [q.canonical(k) for k in copies] == [gold] * len(copies)
    assert q.canonical("other#1") == "other#1"
    assert validate([q], corpus) == []


def test_evidence_found_nowhere_is_a_problem(tmp_path: Path) -> None:
    corpus = _rayyan(tmp_path)
    q = Question("s2", "ar", "factoid", "؟", (), (("كاسيريس",),), "", evidence=("نص غير موجود",))
    [resolved] = resolve([q], corpus)
    assert "s2: no paragraph holds its evidence and facts" in validate([resolved], corpus)


def test_the_russia_slice_is_the_first_thousand_articles_naming_russia(tmp_path: Path) -> None:
    days = russia_slice(saudinewsnet.DATA)
    records = [r for rs in days.values() for r in rs]
    assert len(records) == 1000 and all(RUSSIA.search(r["content"]) for r in records)
    first_day = next(iter(days))
    assert days[first_day][0] == next(
        r for r in saudinewsnet.records(first_day) if RUSSIA.search(r["content"])
    )


def test_the_first_slice_is_the_archive_in_its_own_order() -> None:
    days = first_slice(saudinewsnet.DATA, 30)
    records = [r for rs in days.values() for r in rs]
    archive = (r for day in archive_days(saudinewsnet.DATA) for r in saudinewsnet.records(day))
    assert records == list(itertools.islice(archive, 30))


@pytest.mark.slow  # parses the whole archive (about 40 s)
def test_the_saudinewsnet_questions_hold_in_the_whole_archive() -> None:
    corpus = load_corpus([DEFAULT_CORPUS, *sorted(saudinewsnet.DATA.glob("*.zip"))])
    questions = resolve(load_questions(SNN_QUESTIONS), corpus)
    assert validate(questions, corpus) == []
    answerable = [q for q in questions if q.answerable]
    outlets = {corpus.article(q.gold[0].split("#")[0]).source.outlet for q in answerable}
    types = collections.Counter(q.type for q in questions)
    assert len(answerable) >= 40 and len(outlets) >= 10 and types["latest"] >= 5
    assert types["unanswerable"] >= 10
    assert {q.subset for q in questions} == {"snn-fit", "snn-held"}
    held = [q for q in questions if q.subset == "snn-held"]
    assert {(q.language, q.answerable) for q in held} == {
        (lang, a) for lang in ("ar", "en") for a in (True, False)
    }


@pytest.mark.slow  # parses two whole days of the archive
def test_the_heldout_questions_ask_about_their_two_days_and_about_others() -> None:
    corpus = load_corpus([saudinewsnet.day_file(day) for day in HELDOUT_DAYS])
    questions = resolve(load_questions(HELDOUT_QUESTIONS), corpus)
    assert validate(questions, corpus) == []
    assert {q.subset for q in questions} == {"heldout"}
    kinds = collections.Counter((q.language, q.answerable) for q in questions)
    assert kinds == {(lang, a): 16 for lang in ("ar", "en") for a in (True, False)}
    # each answerable question in both languages, about the same indexed paragraph
    pairs = collections.defaultdict(set)
    for q in questions:
        pairs[q.id.rsplit("-", 1)[0]].add(tuple(q.gold))
    assert all(len(golds) == 1 for golds in pairs.values())
