import pytest

from assistant.arabic import detect_language, light_stem, match_key, normalize, terms, tokens


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
