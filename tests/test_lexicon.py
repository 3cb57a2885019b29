"""The English-Arabic dictionary: the dictd format read against a reference writer,
glossing rules on a small real-format file, and the installed FreeDict dictionary
feeding BM25 for English questions."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import ConfigError
from assistant.lexicon import DEFAULT_DICTIONARY, dictd_number, load_lexicon, read_dictd
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
    query = assistant.plan(question)
    assert "كوبا" in query.lexical_text and query.fusion_language == "en"
    passages = assistant.search(question)
    assert any(p.lexical is not None for p in passages)
    assert (passages[0].article_id, passages[0].paragraph) == (ARTICLES["C"], 11)
    without = assistant.derive(dictionary="none")
    assert without.plan(question).lexical_text == question
    assert all(p.lexical is None for p in without.search(question))
