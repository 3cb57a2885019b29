"""What kind of answer a question asks for, and whether a sentence could hold one.

كم / how many asks for a number; متى / when / في أي شهر for a date or a time
span. The evidence ranker gives a sentence that holds the asked-for kind the
same bonus as one more matched term, so among sentences equally close to the
question the one that can answer it wins: "في حزيران" over "at the summit".
Dates are months (Levantine, Egyptian-Gulf and Maghrebi names: أيلول,
سبتمبر, شتنبر), weekdays, years, periods named relative to the report
("الشهر الجاري"), and spans (شهرين, "ثلاثة أيام"). "Yesterday" and "today"
are not: nearly every report says one.

Who and where are not typed. Arabic has no capitals to find names by and no
tagger ships here; cues (reporting verbs and titles for a person, place words
and capitals for a place) were tried and lowered fact accuracy on the
project's set from 0.843 to 0.743 (Arabic) and 0.860 to 0.825 (English): news
sentences are full of both, so the cue rewarded the wrong ones.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Literal

from assistant.arabic import ARABIC_STOPWORDS, light_stem, mentions_number, normalize, tokens

AnswerType = Literal["date", "number"]

# Matched on the normalised question (أ→ا, ى→ي, ة→ه, lower case); the first that matches wins.
_QUESTIONS: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    ("date", re.compile(
        r"(^|\s)و?متي(\s|$|؟)|^(and )?when\b|\bwhen (did|does|do|will|was|were|is|are|has|had)\b"
        r"|\bwhat (year|date|day|month)\b"
        r"|\b(in|on) (what|which) (year|month|day|date)\b|\bhow long (ago|before|after)\b"
        r"|(في|خلال|منذ)\s+(اي|اية)\s+(عام|سنه|شهر|يوم|تاريخ)|(^|\s)منذ\s+متي"
    )),
    ("number", re.compile(
        r"(^|\s)(و|ب|ف)?كم\s|على\s+كم\s|\bhow (many|much|long)\b|\bwhat (number|percentage)\b"
        r"|(^|\s)(ما|و?كم)\s+(عدد|نسبه|حجم|قيمه|كلفه|تكلفه|مبلغ)\s"
    )),
)  # fmt: skip

_MONTHS = set(
    "يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر "
    "كانون شباط اذار نيسان ايار حزيران تموز اب ايلول تشرين "
    "ماي يوليوز غشت شتنبر نونبر دجنبر "
    "january february march april may june july august september october november december".split()
)
_DAYS = set("الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت".split())
_SPANS = set("شهرين يومين عامين سنتين اسبوعين ساعتين".split())
_UNITS = set("شهر اشهر شهور يوم ايام عام اعوام سنه سنوات اسبوع اسابيع ساعه ساعات".split())
# "الشهر الجاري", "العام الماضي", "الأسبوع المقبل": a period named relative to the report
_PERIODS = set("الشهر الاسبوع العام السنه".split())
_RELATIVE = set("الجاري الماضي المقبل القادم الحالي".split())
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_PROCLITICS = ("و", "ب", "ل", "ف")


def answer_type(question: str) -> AnswerType | None:
    """The kind of answer the question word asks for (None: any)."""
    text = normalize(question).strip()
    return next((kind for kind, pattern in _QUESTIONS if pattern.search(text)), None)


def holds(kind: AnswerType, sentence: str) -> bool:
    """Whether the sentence holds an answer of this kind."""
    return _DETECTORS[kind](sentence)


_HOW_MANY = {"كم", "وكم", "بكم", "فكم"}
_COUNT_WORDS = {"عدد", "من"}  # كم عدد الجنود / كم من المشتبه فيهم: the next word is counted
_LONG_VOWELS = re.compile("[اوي]")


def counted(question: str) -> str | None:
    """What an Arabic "how many" question counts, as a skeleton (None: nothing named).

    The noun after كم: «على كم مرحلة» counts stages, and «1000 عسكري» does not
    answer it. Taken when it has the counted noun's form (ending in ة or in
    the accusative's ا: كم دولة، كم شخصا), or after عدد / من; a verb (كم بلغ)
    or a relative (كم عدد الذين) names nothing counted.
    """
    words = tokens(question)
    for at, word in enumerate(words[:-1]):
        if word not in _HOW_MANY:
            continue
        after = words[at + 1]
        if after in _COUNT_WORDS and at + 2 < len(words):
            noun = words[at + 2]
        elif after.endswith(("ه", "ا")):
            noun = after
        else:
            return None
        return None if noun in ARABIC_STOPWORDS else skeleton(noun)
    return None


def skeleton(word: str) -> str:
    """A normalised word's stem without its long vowels and final ta marbuta: a singular and
    its broken plural mostly share it (مرحلة، مراحل → مرحل; قاعدة، قواعد → قعد)."""
    return _LONG_VOWELS.sub("", light_stem(word).removesuffix("ه"))


def counts(noun: str | None, sentence: str) -> bool:
    """Whether the sentence names what the question counts (always, when it names nothing)."""
    return noun is None or noun in {skeleton(w) for w in tokens(sentence)}


def _words(sentence: str) -> set[str]:
    """The sentence's normalised words, each also without a leading و/ب/ل/ف."""
    found = set(tokens(sentence))
    return found | {t[1:] for t in found if t.startswith(_PROCLITICS) and len(t) > 3}


def _holds_date(sentence: str) -> bool:
    words = _words(sentence)
    if words & (_MONTHS | _DAYS | _SPANS) or any(_YEAR.match(w) for w in words):
        return True
    ordered = tokens(sentence)
    if any(a in _PERIODS and b in _RELATIVE for a, b in itertools.pairwise(ordered)):
        return True
    return bool(words & _UNITS) and mentions_number(sentence)


_DETECTORS: dict[AnswerType, Callable[[str], bool]] = {
    "date": _holds_date,
    "number": mentions_number,
}
