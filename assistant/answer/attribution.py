"""Who speaks in a quoted sentence of reported speech, from the sentence or its paragraph.

Arabic news reports speech verb first: «وقال لافروف إن…», «وأكدت زاخاروفا أن…».
The speaker is the words after a reporting verb, up to the first comma, colon,
quotation mark or complementiser (إن، أن، إلى…), at most `MAX_WORDS` of them.
A verb with no subject after it («وأضاف:», «وتابع أن…») continues an earlier
speaker, so the paragraph before the sentence is searched for the last one
named. A quote's attribution prints the verb as the sentence has it (its
gender agrees with the speaker) and the name as the article writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_WORDS = 6
_MARKS = re.compile(r"[\u064B-\u0652\u0640]")  # short vowels, shadda, sukun, tatweel
_VERB = re.compile(
    r"(?:^|(?<=[\s«\"“(]))[وف]?(?P<verb>"
    r"قال|قالت|أكد|أكدت|أضاف|أضافت|نفى|نفت|أعلن|أعلنت|تابع|تابعت|أوضح|أوضحت|"
    r"أشار|أشارت|لفت|لفتت|شدد|شددت|صرح|صرحت|اعتبر|اعتبرت|حذر|حذرت|أعرب|أعربت"
    r")(?=[\s،,:])"
)
_END = re.compile(r"[،,:«\"“”(.؟?!]")
_STOPS = frozenset(
    "إن أن إنه أنه إنها أنها إنهم أنهم إلى في على عن خلال أمس اليوم يوم مساء صباح "
    "لوكالة لصحيفة لقناة لشبكة لموقع للصحافيين للصحفيين بأن بان قائلا قائلة مشيرا "
    "مشيرة مؤكدا مؤكدة عن بدوره بدورها من".split()
)
_PRONOUNS = frozenset("هو هي هم".split())


@dataclass(frozen=True)
class Speech:
    """A reported-speech attribution: the verb as written and the speaker it names."""

    verb: str
    speaker: str


def speech(sentence: str, paragraph: str) -> Speech | None:
    """Who speaks in `sentence` (None when it reports no one's speech)."""
    plain = _MARKS.sub("", sentence)
    found = _VERB.search(plain)
    if found is None:
        return None
    speaker = _subject(plain[found.end() :])
    if not speaker:
        speaker = _earlier_speaker(_MARKS.sub("", paragraph), plain)
    return Speech(found["verb"], speaker) if speaker else None


def _subject(rest: str) -> str:
    """The words after the verb up to the first stop: the speaker, or "" when none.
    A name in apposition between commas is kept: «أكد الرئيس الروسي، فلاديمير بوتين،»."""
    clause, *after = _END.split(rest, maxsplit=1)
    words = _words_before_stop(clause)
    if not words or words[0] in _PRONOUNS or len(words) > MAX_WORDS:
        return ""
    appositive = re.match(r"^\s*([^،,:«\"“”(.؟?!]+)،", after[0]) if after else None
    if appositive and rest[len(clause)] == "،":
        name = _words_before_stop(appositive[1])
        if 0 < len(name) <= 3 and len(name) == len(appositive[1].split()):
            words += ["،", *name]
    return " ".join(words).replace(" ، ", "، ")


def _words_before_stop(clause: str) -> list[str]:
    words = []
    for word in clause.split():
        if word in _STOPS or word.startswith(("لـ", "بـ")):
            break
        words.append(word)
    return words


def _earlier_speaker(paragraph: str, sentence: str) -> str:
    """The last speaker named in the paragraph before the sentence ("" if none)."""
    start = paragraph.find(sentence)
    before = paragraph[:start] if start > 0 else ""
    named = [_subject(before[m.end() :]) for m in _VERB.finditer(before)]
    return next((name for name in reversed(named) if name), "")
