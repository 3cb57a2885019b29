"""The English-Arabic dictionary: the dictd format read against a reference writer,
glossing rules on a small real-format file, and the installed FreeDict dictionary
feeding BM25 for English questions."""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer.extractive import SentenceVectors, confidence, rank_evidence
from assistant.errors import ConfigError
from assistant.models.lexicon import dictd_number, load_lexicon, read_dictd
from assistant.settings import DEFAULT_DICTIONARY
from assistant.types import Query
from tests.conftest import ARTICLES

DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

ENTRIES = [  # headword, entry body as dictfmt writes it (headword line, then glosses)
    ("Cuba", "Cuba /kjˈuːbɐ/\nكوبا"),
    ("United States", "United States\nالولايات المتّحدة"),
    ("state", "state /stˈeɪt/\nالحالة، الدولة"),
    ("attack", "attack /ɐtˈæk/\n1. الهجوم\n2. هاجم"),
    ("attack", "attack\nالهجوم\nالاعتداء"),  # a repeated headword adds its new glosses
    ("un", "un\nكلمة بادئة وتستعمل للنقض"),  # a definition, not a translation
    ("withdrew", "withdrew\nإنسحب"),
    ("the", "the\nال"),
]


def encode(number: int) -> str:
    """dictd's base-64 numbers, written the obvious way, as the reference."""
    digits = ""
    while True:
        number, digit = divmod(number, 64)
        digits = DIGITS[digit] + digits
        if number == 0:
            return digits


def write_dictd(base: Path, compress: bool = True) -> Path:
    data, index = b"", ["00databaseshort\tA\tB"]
    for headword, body in ENTRIES:
        raw = (body + "\n").encode("utf-8")
        index.append(f"{headword}\t{encode(len(data))}\t{encode(len(raw))}")
        data += raw
    base.with_name(base.name + ".index").write_text("\n".join(index) + "\n", encoding="utf-8")
    if compress:
        base.with_name(base.name + ".dict.dz").write_bytes(gzip.compress(data))
    else:
        base.with_name(base.name + ".dict").write_bytes(data)
    return base


@pytest.mark.parametrize("number", [0, 1, 63, 64, 65, 4095, 4096, 1_120_954, 2**40 + 7])
def test_dictd_numbers_decode_as_the_reference_encodes_them(number: int) -> None:
    assert dictd_number(encode(number)) == number


@pytest.mark.parametrize("compress", [True, False])
def test_entries_are_read_as_short_glosses(tmp_path: Path, compress: bool) -> None:
    lexicon = read_dictd(write_dictd(tmp_path / "eng-ara", compress))
    assert lexicon.entries["cuba"] == ("كوبا",)
    assert lexicon.entries["state"] == ("الحالة", "الدولة")  # comma-separated senses split
    assert lexicon.entries["attack"] == ("الهجوم", "هاجم", "الاعتداء")  # merged, numbers gone
    assert "un" not in lexicon.entries  # only a definition: nothing to match


def test_gloss_prefers_phrases_and_known_forms_and_skips_function_words(tmp_path: Path) -> None:
    lexicon = read_dictd(write_dictd(tmp_path / "eng-ara"))
    gloss = lexicon.gloss("Why did the United States attacks on Cuba? Nobody withdrew.")
    # "United States" is one phrase (not "state"); "attacks" found as "attack";
    # "the" is a stopword even with an entry; "nobody" has none and is left out.
    assert gloss == "الولايات المتّحدة الهجوم هاجم الاعتداء كوبا إنسحب"
    assert lexicon.gloss("Why is it so?") == ""


def test_no_dictionary_when_set_to_none_and_a_clear_error_for_a_wrong_path(
    tmp_path: Path,
) -> None:
    assert load_lexicon("none") is None
    with pytest.raises(ConfigError, match="ASSISTANT_DICTIONARY"):
        load_lexicon(str(tmp_path / "missing"))
    broken = write_dictd(tmp_path / "broken")
    broken.with_name("broken.dict.dz").write_bytes(b"not gzip")
    with pytest.raises(ConfigError, match="Cannot read the dictionary"):
        load_lexicon(str(broken))


def test_a_wrong_dictionary_setting_fails_before_any_indexing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="No dictd dictionary"):
        Assistant(home=tmp_path / "home", dictionary=str(tmp_path / "nowhere"))
    assert not (tmp_path / "home").exists()


def test_the_installed_freedict_dictionary_glosses_english_questions() -> None:
    lexicon = load_lexicon(DEFAULT_DICTIONARY)
    assert lexicon is not None, "apt-get install dict-freedict-eng-ara (the README's commands do)"
    assert len(lexicon.entries) > 50_000
    gloss = lexicon.gloss("What did Russia withdraw from Cuba?").split()
    assert "روسيا" in gloss and "كوبا" in gloss


def test_english_questions_reach_bm25_through_the_dictionary(assistant: Assistant) -> None:
    question = "What did Russia withdraw from Cuba?"
    query = assistant.open().plan(question)
    assert "كوبا" in query.lexical_text and query.fusion_language == "en"
    passages = assistant.search(question)
    assert any(p.lexical is not None for p in passages)
    assert (passages[0].paragraph.article_id, passages[0].paragraph.number) == (ARTICLES["C"], 11)
    without = assistant.derive(dictionary="none")
    assert without.open().plan(question).lexical_text == question
    assert all(p.lexical is None for p in without.search(question))


# English questions written after the gloss was added to the dense query and never
# used to choose anything: (question, its gold paragraphs as (article, number)).
FRESH_ENGLISH = [
    ("Who is the Russian ambassador in Washington?", [("D", 3)]),
    ("What did Russia submit to the UN special committee?", [("D", 1), ("D", 2)]),
    ("Which news agency reported the prosecutor's statement?", [("D", 2)]),
    ("When did Putin and Biden discuss cybersecurity by phone?", [("D", 4)]),
    ("Which countries did Zakharova say the US should remove its footprint from?",
     [("D", 5), ("D", 6)]),
    ("What did General Hyten say about threats in the Middle East?", [("D", 7)]),
    ("Why does Zakharova think the Haitian president was assassinated?", [("D", 8)]),
    ("Where did some of the assassins hide after killing Moise?", [("D", 9)]),
    ("Which Venezuelan president was the target of an assassination attempt?", [("D", 10)]),
    ("How many of the suspects hold American citizenship?", [("D", 11)]),
    ("How many soldiers is Russia sending to Tajikistan?", [("D", 12)]),
    ("Where will the tactical exercises take place?", [("D", 13)]),
    ("Which Russian military base is being reinforced?", [("D", 16)]),
    ("Who did the Russian defence minister speak with on 24 July?", [("D", 17)]),
    ("What guarantees did Putin want to exchange with the United States?", [("E", 1), ("E", 2)]),
    ("Which communication channels did Putin ask Washington to support?", [("E", 5)]),
    ("Who lost the 2016 election to Trump?", [("E", 6)]),
    ("Who renewed the accusations two months before the election?", [("E", 7)]),
    ("What does Putin consider one of the main current challenges?", [("E", 4)]),
]  # fmt: skip


def test_an_english_question_is_embedded_with_its_gloss(assistant: Assistant) -> None:
    question = "What did Russia withdraw from Cuba?"
    query = assistant.open().plan(question)
    assert query.dense_text == f"{question} ({query.lexical_text})"
    arabic = "ما الذي سحبته روسيا من كوبا؟"
    assert assistant.open().plan(arabic).dense_text == arabic
    assert assistant.derive(dictionary="none").open().plan(question).dense_text == question
    # calibrated per embedder: EmbeddingGemma's English vectors do better without it
    assert assistant.derive(gloss_in_query=False).open().plan(question).dense_text == question


def _recall_at_5(assistant: Assistant, queries: list[Query]) -> list[float]:
    recalls = []
    for query, (_, gold) in zip(queries, FRESH_ENGLISH, strict=True):
        top = {(p.paragraph.article_id, p.paragraph.number) for p in assistant.search(query, k=5)}
        recalls.append(sum((ARTICLES[a], n) in top for a, n in gold) / len(gold))
    return recalls


def test_the_gloss_in_the_dense_query_finds_what_the_question_alone_misses(
    assistant: Assistant,
) -> None:
    """The question's own vector leaves two of these out of the top five (the
    ambassador at rank 7, the second paragraph on guarantees at rank 7); its
    gloss's Arabic words (السفير, ضمانات) pull the vector to the paragraphs."""
    queries = [assistant.open().plan(question) for question, _ in FRESH_ENGLISH]
    alone = [dataclasses.replace(q, dense_text=q.text) for q in queries]
    assert _recall_at_5(assistant, queries) == [1.0] * len(FRESH_ENGLISH)
    assert sum(_recall_at_5(assistant, alone)) < len(FRESH_ENGLISH) - 1


def test_evidence_and_refusal_are_judged_on_the_question_own_vector(
    assistant: Assistant,
) -> None:
    """So the refusal threshold means the same with or without the dictionary."""
    question = "Who is the Russian ambassador in Washington?"
    answer = assistant.ask(question)
    query = assistant.open().plan(question)
    own = assistant.open().models.embedder.query(question)
    bonus = assistant.settings.extractive.lexical_bonus
    ranked = rank_evidence(
        query, own, answer.passages, SentenceVectors(assistant.open().models.embedder), bonus
    )
    assert answer.confidence == pytest.approx(confidence(ranked))
    assert answer.answered and answer.citations[0].paragraph.number == 3
