import pytest

from assistant.arabic import (
    detect_language,
    light_stem,
    match_key,
    mentions_number,
    normalize,
    terms,
    tokens,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مُحَمَّدٌ", "محمد"),  # diacritics
        ("العـــربية", "العربيه"),  # tatweel, ta marbuta
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),  # alef forms
        ("مصطفى على", "مصطفي علي"),  # alef maqsura
        ("عام ٢٠٢٠ و۱۲", "عام 2020 و12"),  # Arabic-Indic and Persian digits
        ("CIA Washington", "cia washington"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("الهجمات", "هجم"),  # article + plural suffix
        ("والولايات", "ولاي"),  # conjunction + article
        ("بالأمن", "امن"),  # preposition + article, alef folded
        ("وموسكو", "موسكو"),  # conjunction only
        ("روسيا", "روسيا"),  # nothing to strip
        ("كاتب", "كاتب"),  # too short to lose anything
        ("2020", "2020"),
    ],
)
def test_light_stem(word: str, stem: str) -> None:
    assert light_stem(normalize(word)) == stem


def test_light_stem_matches_variants_of_one_word() -> None:
    assert light_stem(normalize("الهجمات")) == light_stem(normalize("هجمات"))
    assert light_stem(normalize("والاتفاقية")) == light_stem(normalize("الاتفاقيه"))


def test_terms_drop_stopwords_and_keep_numbers() -> None:
    found = terms("ما الذي سحبته روسيا من كوبا في عام 2020؟")
    assert "ما" not in found and "من" not in found and "في" not in found
    assert "2020" in found and "كوبا" in found


def test_tokens_split_punctuation_and_keep_decimals() -> None:
    assert tokens("أكثر من 1,5 ألف عسكري، و3.5 آلاف.") == [
        "اكثر", "من", "1,5", "الف", "عسكري", "و", "3.5", "الاف",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ما الذي سحبته روسيا من كوبا؟", "ar"),
        ("What did Russia withdraw from Cuba?", "en"),
        ("ماذا قال Lavrov؟", "ar"),
        ("Who is أنتونوف?", "en"),
        ("2020?", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_match_key_ignores_punctuation_and_spelling() -> None:
    assert match_key("«الجليد قد يذوب»، بين الجانبين.") == match_key("الجليد قد يذوب بين الجانبين")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ترسل روسيا نحو 1000 من عسكرييها", True),
        ("في عام ٢٠٢٠", True),  # Arabic-Indic digits
        ("وصل عددهم إلى مئتَيْ شخص", True),  # spelled out, with diacritics
        ("ستجري على ثلاث مراحل", True),
        ("أكثر من ألفي عسكري", True),  # dual, no definite article
        ("وثلاثة آلاف جندي", True),  # conjunction prefixed
        ("bought by three hundred people", True),
        ("قبل عام واحد", False),  # "one" reads as "a": no quantity asked for answers with it
        ("أحد مستشاري بوتين", False),
        ("one of the advisers", False),
        ("في حزيران الماضي", False),  # months are not numbers
        ("وقال بوتين إنه يأمل", False),
    ],
)
def test_mentions_number_in_digits_or_words(text: str, expected: bool) -> None:
    assert mentions_number(text) is expected
