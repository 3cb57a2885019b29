"""Syndicated copies: edited copies of one report are grouped, two outlets' own
reports of one event (the default articles 000 and 004) are not."""

from __future__ import annotations

import itertools
from pathlib import Path

import saudinewsnet

from assistant import Assistant
from assistant.ingest.corpus import Corpus, load_corpus
from assistant.search.syndication import Fingerprint, one_per_report

SIMILARITY = 0.75
REPORT = (
    "وقالت القيادة المشتركة لقوات التحالف الدولي في بيان إن 17 ضربة جوية نفذت قرب دير الزور "
    "استهدفت مناطق تجمعات وجسور ونقاط تفتيش ومركزا للتدريب"
)
EDITED = REPORT.replace("وقالت", "كما قالت").replace("ومركزا للتدريب", "ومركزا للتدريب أمس")
OTHER = "أعلنت السلطات التركية أن شابا في العشرين هو منفذ الهجوم الانتحاري الذي وقع يوم الاثنين"


def copies(a: str, b: str) -> bool:
    return Fingerprint.of(a).copies(Fingerprint.of(b), SIMILARITY)


def test_an_edited_copy_is_a_copy_and_another_report_is_not() -> None:
    assert copies(REPORT, EDITED)
    assert copies(REPORT, "«" + REPORT.replace("ضربة", "ضَرْبَة") + "»")  # marks normalised
    assert not copies(REPORT, OTHER)


def test_short_texts_are_copies_only_when_the_same() -> None:
    assert not copies("-", "-") and not copies("-", "----")
    assert not copies("الرياض: واس", "الرياض: أ ف ب")
    assert copies(REPORT[:40], REPORT[:40])  # the same words, however few


def test_one_per_report_keeps_the_best_copy_and_lists_the_others() -> None:
    ordered = [("a#1", REPORT), ("b#1", OTHER), ("c#4", EDITED), ("d#2", "نص ثالث مختلف تماما")]
    assert one_per_report(ordered, 2, SIMILARITY) == [("a#1", ["c#4"]), ("b#1", [])]
    assert one_per_report(ordered, 5, SIMILARITY)[-1] == ("d#2", [])


def test_an_agency_report_carried_by_two_outlets_spelt_apart_is_one_report(
    tmp_path: Path,
) -> None:
    # فلامينغو / فلامينجو, البارغواي / الباراجواي: the opening sentence of each
    day = "2015-08-11"
    chosen = [r for r in saudinewsnet.about("الريان", day) if "كاسيريس" in r["content"]]
    corpus = load_corpus([saudinewsnet.day_zip(tmp_path, day, chosen)])
    first, second = (a.paragraphs[0].text.split(".")[0] for a in corpus.articles)
    assert copies(first, second)
    assert not copies(first, "يتجه الهلال السعودي إلى التعاقد مع مهاجم برازيلي جديد لكرة القدم")


def test_the_default_articles_000_and_004_stay_separate(
    corpus: Corpus, assistant: Assistant
) -> None:
    """Two outlets' own reports of Putin's proposal: no paragraph of one copies the other's."""
    a, b = (next(x for x in corpus.articles if x.article_id.startswith(n)) for n in ("000", "004"))
    pairs = itertools.product(a.paragraphs, b.paragraphs)
    assert not any(copies(p.text, q.text) for p, q in pairs)
    passages = assistant.search("ما الضمانات التي عرضها بوتين على الولايات المتحدة؟", k=5)
    found = {p.paragraph.article_id[:3] for p in passages}
    assert {"000", "004"} <= found
    assert all(not p.copies for p in passages)
