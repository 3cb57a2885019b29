"""English spellings of Arabic names, found in the archive's own BM25 vocabulary.

The dictionary glosses English words, not names: "Lavrov", "Krutskikh" and
"Antonov" have no entry, so an English question about them searches BM25
without its most telling words. Their Arabic spellings are in the archive
(لافروف، كروتسكيخ، أنتونوف), and a transliteration keeps the consonants. So an
English word the dictionary lacks is written as a sound skeleton, consonant
classes that both scripts share (p and ب are one class, so are v and ف, k, q,
ق and ك), and the archive's terms with the same skeleton are candidates. The
vowels then decide: English a, e/i/y and o/u/w against Arabic ا, ي and و, by
similarity of the whole rendering, so Putin finds بوتين (stemmed بوت), not بطن.

Archive terms are lightly stemmed (بوتين is kept as بوت), so when no term
matches whole, a term with one of the stemmer's suffixes put back is tried.
Words of fewer than three consonants are left alone: "Kerry" would be كير, or
any of a hundred short words. Found terms only join what BM25 matches; the
embedder never sees them.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator, Sequence

from assistant.arabic import SUFFIXES, light_stem

_DIGRAPHS = {"sh": "S", "ch": "S", "th": "t", "kh": "X", "gh": "j", "ph": "f", "ck": "k", "dh": "d"}
_ENGLISH = str.maketrans(
    {
        **dict.fromkeys("bp", "b"), "t": "t", "d": "d", **dict.fromkeys("jg", "j"),
        "h": "h", **dict.fromkeys("kqc", "k"), "x": "ks", **dict.fromkeys("fv", "f"),
        "l": "l", "m": "m", "n": "n", "r": "r", "s": "s", "z": "z",
        "a": "a", **dict.fromkeys("eiy", "i"), **dict.fromkeys("ouw", "u"),
    }
)  # fmt: skip
_ARABIC = str.maketrans(
    {
        "ب": "b", **dict.fromkeys("تطث", "t"), **dict.fromkeys("دضذظ", "d"),
        **dict.fromkeys("جغ", "j"), **dict.fromkeys("حه", "h"), "خ": "X",
        **dict.fromkeys("قك", "k"), "ف": "f", "ل": "l", "م": "m", "ن": "n", "ر": "r",
        **dict.fromkeys("سص", "s"), "ش": "S", "ز": "z",
        "ا": "a", **dict.fromkeys("يئ", "i"), **dict.fromkeys("وؤ", "u"),
        **dict.fromkeys("عء", ""),
    }
)  # fmt: skip
_VOWELS = re.compile("[aiu]")
_SOFT_C = re.compile("c(?=[eiy])")
_NASAL_NG = re.compile("ng(?![aeiouy])")  # Washington: واشنطن
_REPEATS = re.compile(r"(.)\1+")
_ARABIC_WORD = re.compile("[\u0621-\u064a]{3,}")
MIN_CONSONANTS = 3
MIN_SIMILARITY = 0.8


def english_sounds(word: str) -> str:
    """An English word's rendering in the shared classes: "Putin" -> "butin"."""
    text = _NASAL_NG.sub("n", _SOFT_C.sub("s", word.lower()))
    for digraph, sound in _DIGRAPHS.items():
        text = text.replace(digraph, sound)
    return _REPEATS.sub(r"\1", text.translate(_ENGLISH))


def arabic_sounds(term: str) -> str:
    """A normalised Arabic term's rendering in the shared classes: بوتين -> "butin"."""
    return _REPEATS.sub(r"\1", term.translate(_ARABIC))


def skeleton(sounds: str) -> str:
    """The consonants of a rendering: "butin" -> "btn"."""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", sounds))


class NameMatcher:
    """The archive's terms an English name may be written as, from its vocabulary.

    The skeleton table is built on the first English name asked about, not when
    the index opens: an archive that is only ever asked in Arabic never pays.
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._vocabulary = vocabulary

    @functools.cached_property
    def _table(self) -> dict[str, list[str]]:
        """Skeleton -> the terms with it; only terms the stemmer keeps as they are,
        since what is found is searched after stemming again."""
        table: dict[str, list[str]] = {}
        for term in self._vocabulary:
            if _ARABIC_WORD.fullmatch(term) and light_stem(term) == term:
                table.setdefault(skeleton(arabic_sounds(term)), []).append(term)
        return table

    def terms(self, word: str) -> tuple[str, ...]:
        """The archive's spellings of `word`: the closest whole term, else the closest
        stem with a suffix put back (as written, so that it stems to the term);
        none when nothing sounds alike enough."""
        sounds = english_sounds(word)
        bone = skeleton(sounds)
        if len(bone) < MIN_CONSONANTS:
            return ()
        best = _closest(sounds, self._table.get(bone, []))
        if best is None:
            best = _closest(sounds, list(self._suffixed(bone)))
        return (best,) if best else ()

    def _suffixed(self, bone: str) -> Iterator[str]:
        """Stems with a suffix put back whose skeleton is `bone`."""
        for suffix in SUFFIXES:
            end = skeleton(arabic_sounds(suffix))
            if bone.endswith(end) and len(bone) > len(end):
                for term in self._table.get(bone[: len(bone) - len(end)], []):
                    if light_stem(term + suffix) == term:
                        yield term + suffix


def _closest(sounds: str, forms: Sequence[str]) -> str | None:
    """The form whose rendering is most like `sounds`, if alike enough."""
    scored = [(difflib.SequenceMatcher(None, sounds, arabic_sounds(f)).ratio(), f) for f in forms]
    scored = [(ratio, form) for ratio, form in scored if ratio >= MIN_SIMILARITY]
    return max(scored)[1] if scored else None
