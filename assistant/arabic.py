"""Arabic text tools: normalisation for matching, light stemming, tokens, language.

Spelling in news text varies (أ/ا, ى/ي, ة/ه, diacritics, tatweel, two digit
systems), so lexical matching is done on a normalised form. Stemming is a light
affix strip in the style of Larkey's Light10: enough to match الهجمات with هجمات
without the errors of a root stemmer.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.types import Language

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_CHAR_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[a-z]+|[\u0621-\u064a]+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile("[A-Za-z]")

_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

# Written in normalised form (إلى -> الي), since they are matched after `normalize`.
ARABIC_STOPWORDS = frozenset(
    """
    في من الي علي عن ان او ما ماذا هل مع ذلك هذا هذه التي الذي الذين كان كانت قد لا لم لن و
    ثم بين كل عند عليه لها له هو هي هم وفي ومن اي كيف متي لماذا اين كم وما وماذا ولم بعد قبل
    حول حتي منذ
    """.split()
)
ENGLISH_STOPWORDS = frozenset(
    """
    a an the of in on at to for from by with and or is are was were be been what which who whom
    whose when where why how did does do that this these those it its as about into than
    according article articles say said
    """.split()
)


# Quantities written as words, in normalised form, for `mentions_number`. Left out
# on purpose: "واحد"/"احد"/"one", mostly "a" or "one of"; and month names, which
# made "متى يمكن القول..." ("when can one say", i.e. on what condition) prefer a
# sentence dated "حزيران" on the question set, while dates that answer a "when"
# carry digits ("30 أيلول", "3 نونبر").
_NUMBER_WORDS = frozenset(
    """
    اثنان اثنين اثنتان اثنتين اثنا اثني ثلاث ثلاثه اربع اربعه خمس خمسه ست سته سبع
    سبعه ثمان ثماني ثمانيه تسع تسعه عشر عشره عشرون عشرين ثلاثون ثلاثين اربعون اربعين خمسون
    خمسين ستون ستين سبعون سبعين ثمانون ثمانين تسعون تسعين مئه مائه مئتا مئتي مئتين مائتا مائتي
    مائتين مئات عشرات الف الفا الفي الفين الاف مليون مليونا ملايين مليار مليارات نصف ربع ثلث
    two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty
    seventy eighty ninety hundred hundreds thousand thousands million millions billion billions
    dozen dozens half
    """.split()
)
_PROCLITICS = ("و", "ب", "ل", "ف")


def normalize(text: str) -> str:
    """Fold the spelling variants that should not change a match."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    return text.translate(_CHAR_MAP).lower()


def light_stem(token: str) -> str:
    """Strip one definite-article/conjunction prefix and one suffix, keeping a 3-letter stem."""
    if not _ARABIC_LETTER.match(token):
        return token
    for prefix in _PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 2:
            token = token[len(prefix) :]
            break
    else:
        if token.startswith("و") and len(token) >= 4:
            token = token[1:]
    for suffix in SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            return token[: -len(suffix)]
    return token


def tokens(text: str) -> list[str]:
    """Normalised word tokens in reading order (no stemming, no stopword removal)."""
    return _TOKEN.findall(normalize(text))


def terms(text: str) -> list[str]:
    """Stemmed content terms for lexical search: stopwords out, affixes stripped."""
    stop = ARABIC_STOPWORDS | ENGLISH_STOPWORDS
    return [light_stem(t) for t in tokens(text) if t not in stop and len(t) > 1]


def mentions_number(text: str) -> bool:
    """Whether `text` holds a number, in digits or in words.

    News prose spells many numbers out ("مئتي شخص", "ثلاث مراحل"), so looking
    for digits alone took a sentence about "1000 troops" for the answer to "how
    many people fell ill?".
    """
    for token in tokens(text):
        if token[0].isdigit() or token in _NUMBER_WORDS:
            return True
        if token.startswith(_PROCLITICS) and token[1:] in _NUMBER_WORDS:
            return True
    return False


def detect_language(text: str) -> Language:
    """Arabic when at least as many words are Arabic as Latin.

    Words, not letters: "Who is أنتونوف?" is an English question about an Arabic name.
    """
    words = text.split()
    arabic = sum(1 for w in words if _ARABIC_LETTER.search(w))
    latin = sum(1 for w in words if _LATIN_LETTER.search(w) and not _ARABIC_LETTER.search(w))
    return "ar" if arabic >= latin and arabic > 0 else "en"


# Scripts and function words of languages the assistant does not answer in.
_OTHER_SCRIPTS = {
    "Hebrew": re.compile("[\u0590-\u05ff]"),
    "Russian": re.compile("[\u0400-\u04ff]"),
    "Greek": re.compile("[\u0370-\u03ff]"),
    "Chinese or Japanese": re.compile("[\u3040-\u30ff\u4e00-\u9fff]"),
    "Korean": re.compile("[\uac00-\ud7af]"),
    "Hindi": re.compile("[\u0900-\u097f]"),
}
_LATIN_LANGUAGES = {
    "French": frozenset("le la les des du que qui est une un pourquoi comment avec pour dans "
                        "sur au aux quel quelle quels ce cette ont sont".split()),
    "Spanish": frozenset("el los las del que qué quién es una por para con cuál cómo dónde "
                         "cuándo fue son".split()),
    "German": frozenset("der die das und ist wer was wie wo mit von zu den dem ein eine nicht "
                        "hat warum".split()),
}  # fmt: skip


def other_language(text: str) -> str | None:
    """The name of the question's language when it is neither Arabic nor English.

    Scripts decide first; a Latin-script question with more French, Spanish or
    German function words than English ones is taken as that language.
    """
    words = text.split()
    arabic = sum(1 for w in words if _ARABIC_LETTER.search(w))
    latin = sum(1 for w in words if _LATIN_LETTER.search(w))
    for name, script in _OTHER_SCRIPTS.items():
        if sum(1 for w in words if script.search(w)) > max(arabic, latin):
            return name
    if arabic >= latin:
        return None
    lowered = set(re.findall(r"[a-zà-ÿ]+", text.lower()))
    hits = {name: len(lowered & vocab) for name, vocab in _LATIN_LANGUAGES.items()}
    best = max(hits, key=lambda name: hits[name])
    return best if hits[best] > len(lowered & ENGLISH_STOPWORDS) else None


def match_key(text: str) -> str:
    """A punctuation- and space-free form used to spot repeated or quoted paragraphs."""
    return "".join(tokens(text))
