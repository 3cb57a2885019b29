"""Who speaks in a quote: the reporting verb's subject, an apposition kept, an earlier
speaker carried over, and the Arabic answer that says who said it and where."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.attribution import Speech, speech

PARAGRAPH = (
    "وقال وزير الخارجية سيرغي لافروف إن موسكو مستعدة للحوار. "
    "وأضاف: لا نريد أن تكون أي دولة في أزمة. "
    "وتلا لافروف الإعلان عبر التلفزيون."
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("وقال سيرغي لافروف خلال الأسبوع الحالي لوكالة تاس إن", Speech("قال", "سيرغي لافروف")),
        ("وأضافت زاخاروفا: كثيراً ما تتمتع الشركات الأمنية", Speech("أضافت", "زاخاروفا")),
        (
            "أكد الرئيس الروسي، فلاديمير بوتين، اليوم الجمعة، أن الولايات المتحدة",
            Speech("أكد", "الرئيس الروسي، فلاديمير بوتين"),
        ),
        ("كما أعرب بوتين، عن استعداد موسكو لتسليم", Speech("أعرب", "بوتين")),
        ("وشدّد بوتين على أن مسألة الأمن السيبراني", Speech("شدد", "بوتين")),
    ],
)
def test_the_speaker_is_the_reporting_verbs_subject(sentence: str, expected: Speech) -> None:
    assert speech(sentence, sentence) == expected


def test_a_verb_without_a_subject_continues_the_earlier_speaker() -> None:
    assert speech("وأضاف: لا نريد أن تكون أي دولة في أزمة.", PARAGRAPH) == Speech(
        "أضاف", "وزير الخارجية سيرغي لافروف"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "وتلا لافروف الإعلان عبر التلفزيون.",  # reading a text out is not reported speech
        "وفقاً لِما قاله الكاتب في صحيفة واشنطن بوست",  # قاله is not a verb opening a clause
        "وقال إن الحوار ممكن.",  # no speaker, in the sentence or before it
    ],
)
def test_a_sentence_reporting_no_one_has_no_speaker(sentence: str) -> None:
    assert speech(sentence, sentence) is None


def test_an_arabic_answer_says_who_said_it(assistant: Assistant) -> None:
    answer = assistant.ask("ماذا قال لافروف لوكالة تاس؟")
    (citation,) = [c for c in answer.citations if "لافروف" in "".join(c.speakers)]
    quote = citation.quotes[citation.speakers.index("سيرغي لافروف")]
    assert f"- قال سيرغي لافروف: «{quote}» [{citation.marker}]" in answer.text


def test_an_english_answer_names_the_speaker_after_the_quote(assistant: Assistant) -> None:
    answer = assistant.ask("Where is the United States deploying air defence systems?")
    lines = answer.text.splitlines()
    quoted = next(i for i, line in enumerate(lines) if "بولندا" in line)
    assert "said by بوتين" in lines[quoted + 1]
