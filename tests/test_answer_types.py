"""Question words and the kind of answer they ask for, on the project's own questions
and sentences from the default articles."""

from __future__ import annotations

import pytest

from assistant.answer.answer_types import answer_type, counted, counts, holds


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("كم دولة وافقت على القرار الروسي الأميركي المشترك؟", "number"),
        ("على كم مرحلة ستجري التدريبات المشتركة؟", "number"),
        ("How many countries backed the joint resolution?", "number"),
        ("متى تجري الانتخابات الرئاسية الأميركية المرتقبة؟", "date"),
        ("في أي شهر عقدت قمة بايدن وبوتين في جنيف؟", "date"),
        ("When will the tactical exercises take place?", "date"),
        ("How long before the US election race did the Democrats renew them?", "date"),
        # "when" joining two clauses asks for no date; "من" inside a question is "from"
        ("Which exercise was Putin heading to when Lavrov read the statement?", None),
        ("ما الذي سحبته روسيا من كوبا؟", None),
        ("من هو السفير الروسي لدى الولايات المتحدة؟", None),
    ],
)
def test_the_question_word_names_the_kind_of_answer(question: str, kind: str | None) -> None:
    assert answer_type(question) == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "ويتطلع هذا الاقتراح المقدّم قبيل الانتخابات الرئاسية الأميركية المرتقبة في 3 نونبر",
        "في قمّتهما التاريخية التي عُقدت في جنيف في حزيران الماضي",
        "وجدد الحزب الديمقراطي تلك الاتهامات وذلك قبل شهرين من انطلاق السباق",
        "في الانتخابات الرئاسية الأميركية عام 2016",
        "ستجري التدريبات خلال ثلاثة أيام",
        "شدّدا في اتصال هاتفي منتصف الشهر الجاري على الحاجة إلى التعاون",
    ],
)
def test_dates_months_years_and_spans_are_dates(sentence: str) -> None:
    assert holds("date", sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "وفي حوار نشر التلفزيون الروسي الرسمي مقاطع منه أمس",  # "yesterday" dates nothing
        "قال بوتين إنه يتوقع استئناف الاتصالات والعلاقات الشخصية",
        "ترسل روسيا نحو 1000 من عسكرييها إلى طاجاكستان",  # a number, not a date
    ],
)
def test_other_sentences_are_not_dates(sentence: str) -> None:
    assert not holds("date", sentence)


def test_numbers_in_digits_and_words_are_numbers() -> None:
    assert holds("number", "ترسل روسيا نحو 1000 من عسكرييها")
    assert holds("number", "ستجري التدريبات على ثلاث مراحل")
    assert not holds("number", "دعت المتحدثة باسم وزارة الخارجية الروسية")


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("على كم مرحلة ستجري التدريبات؟", "مرحل"),
        ("كم دولة وافقت على القرار؟", "دل"),
        ("كم عدد العسكريين الذين ترسلهم روسيا؟", "عسكر"),
        ("كم من المشتبه فيهم يحملون الجنسية الأمريكية؟", "مشتب"),
        ("كم بلغ سعر برميل النفط؟", None),  # a verb counts nothing
        ("كم عدد الذين أصيبوا؟", None),  # nor a relative
        ("How many stages?", None),
    ],
)
def test_how_many_names_what_it_counts(question: str, noun: str | None) -> None:
    assert counted(question) == noun


def test_a_number_answers_only_beside_what_is_counted() -> None:
    stages = counted("على كم مرحلة ستجري التدريبات؟")
    assert counts(stages, "وذكر المكتب أن التدريبات ستجري على ثلاث مراحل")  # broken plural
    assert not counts(stages, "ترسل روسيا نحو 1000 من عسكرييها إلى طاجاكستان")
    assert counts(None, "أي جملة")
