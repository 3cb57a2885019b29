"""An English-to-Arabic word list, so English questions can use the Arabic BM25 index.

BM25 over Arabic articles finds nothing for English words, and the small
embedder matches English questions to Arabic paragraphs less well than Arabic
ones. With no translation model in the package registries, the classic fix of
cross-language retrieval is dictionary query translation: each English word
(or two- and three-word phrase) is replaced by its dictionary translations, and
that bag of Arabic words is matched by BM25. It is not a sentence translation
and is never shown to anyone; it only has to share words with the paragraph.

The dictionary is FreeDict's English-Arabic one (87,000 headwords, GPL), read
in place from Debian's `dict-freedict-eng-ara` package in the dictd format: an
`.index` file of `headword TAB offset TAB length` lines, with offset and length
in dictd's base-64 digits, into a (dict)gzipped `.dict.dz` file of entries.
"""

from __future__ import annotations

import functools
import gzip
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant.arabic import ENGLISH_STOPWORDS
from assistant.errors import ConfigError
from assistant.settings import DEFAULT_DICTIONARY

log = logging.getLogger(__name__)

INSTALL_HINT = "apt-get install dict-freedict-eng-ara"
OFF = "none"

_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_ARABIC = re.compile("[\u0621-\u064a]")
_SENSE_NUMBER = re.compile(r"^\s*\d+\.\s*")
_SENSE_SEPARATOR = re.compile("[،,]")
_WORD = re.compile(r"[a-z]+")
# Glosses longer than this are definitions ("a prefix used to negate"), not translations.
_MAX_GLOSS_WORDS = 3
_MAX_PHRASE_WORDS = 3
# Inflections tried, in order, when a word is not a headword itself ("withdrew" is).
_SUFFIXES = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
)
_SKIP = ENGLISH_STOPWORDS | frozenset(
    "can could would should will may might must shall has have had not no any some many much "
    "there their they them he she his her him we our you your i me my".split()
)


def dictd_number(digits: str) -> int:
    """A dictd index number: base 64, most significant digit first ("B" is 1, "BA" is 64)."""
    value = 0
    for digit in digits:
        value = value * 64 + _BASE64.index(digit)
    return value


@dataclass(frozen=True)
class Lexicon:
    """Lower-case English headwords and phrases to their short Arabic glosses."""

    entries: Mapping[str, tuple[str, ...]]

    def gloss(self, text: str) -> str:
        """The Arabic glosses of `text`'s content words, phrases first, in reading order."""
        return " ".join(g for _, glosses in self.glosses(text) for g in glosses)

    def glosses(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """Each content word or phrase of `text` with its glosses, in reading order
        (a word the dictionary lacks has none): what an answer shows as "matched"."""
        words = _WORD.findall(text.lower())
        glossed: dict[int, tuple[str, tuple[str, ...]]] = {}
        for size in range(_MAX_PHRASE_WORDS, 1, -1):
            for start in range(len(words) - size + 1):
                span = range(start, start + size)
                phrase = " ".join(words[start : start + size])
                found = self.entries.get(phrase)
                if found and not any(i in glossed for i in span):
                    glossed.update({i: ("", ()) for i in span})
                    glossed[start] = (phrase, found)
        for i, word in enumerate(words):
            if i not in glossed and word not in _SKIP:
                found = next((self.entries[f] for f in _forms(word) if f in self.entries), ())
                glossed[i] = (word, found)
        return [glossed[i] for i in sorted(glossed) if glossed[i][0]]


def _forms(word: str) -> Iterator[str]:
    yield word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            yield word[: -len(suffix)] + replacement


def _part(base: Path, suffix: str) -> Path:
    """One of a dictd dictionary's files: `base` is their shared name, suffix left off."""
    return base.with_name(base.name + suffix)


def read_dictd(base: Path) -> Lexicon:
    """Parse `base.index` and `base.dict.dz` (or an uncompressed `base.dict`)."""
    packed = _part(base, ".dict.dz")
    data = gzip.decompress(packed.read_bytes()) if packed.exists() else (
        _part(base, ".dict").read_bytes()
    )  # fmt: skip
    entries: dict[str, dict[str, None]] = {}  # dicts as ordered sets: a headword may repeat
    index = _part(base, ".index").read_text(encoding="utf-8")
    for line in index.splitlines():
        headword, offset, length = line.split("\t")
        if headword.startswith("00database"):
            continue
        start = dictd_number(offset)
        body = data[start : start + dictd_number(length)].decode("utf-8")
        entries.setdefault(headword.lower(), {}).update(dict.fromkeys(_glosses(body)))
    return Lexicon({word: tuple(glosses) for word, glosses in entries.items() if glosses})


def _glosses(body: str) -> Iterator[str]:
    """An entry's Arabic translations: its lines after the headword, split at commas."""
    for line in body.splitlines()[1:]:
        for gloss in _SENSE_SEPARATOR.split(_SENSE_NUMBER.sub("", line)):
            gloss = gloss.strip()
            if _ARABIC.search(gloss) and len(gloss.split()) <= _MAX_GLOSS_WORDS:
                yield gloss


@functools.cache
def load_lexicon(setting: str) -> Lexicon | None:
    """The configured dictionary, or None when there is none.

    Parsed once per process (0.34 s for FreeDict's): every `Assistant`, and every
    configuration the evaluation derives, reads the same file.

    The default location missing means the package is not installed: English
    questions then search by meaning alone, and a warning says how to add it.
    A location the user named must exist.
    """
    if setting.strip().lower() in ("", OFF):
        return None
    base = Path(setting).expanduser()
    if not _part(base, ".index").exists():
        if setting == DEFAULT_DICTIONARY:
            log.warning(
                "No English-Arabic dictionary at %s: English questions are searched by "
                "meaning alone (%s adds it).", setting, INSTALL_HINT,
            )  # fmt: skip
            return None
        raise ConfigError(
            f"No dictd dictionary at {setting} (expected {base.name}.index beside "
            f"{base.name}.dict.dz): fix ASSISTANT_DICTIONARY, or set it to 'none' to go without."
        )
    try:
        return read_dictd(base)
    except (OSError, ValueError, EOFError) as exc:
        raise ConfigError(f"Cannot read the dictionary {setting}: {exc}") from exc
