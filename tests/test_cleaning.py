"""Cleaning rules one by one on synthetic pages, then on the five shipped articles."""

from __future__ import annotations

from assistant.ingest.cleaning import clean_page
from assistant.ingest.corpus import Corpus

BODY = (
    "قال المسؤول إن المحادثات بين البلدين ستستأنف الأسبوع المقبل في جنيف، "
    "وإن الجانبين اتفقا على تشكيل لجنة مشتركة لمتابعة الملفات العالقة بينهما."
)
BODY2 = (
    "وأضاف أن اللجنة ستعقد اجتماعها الأول مطلع الشهر المقبل بحضور خبراء من الطرفين، "
    "على أن ترفع توصياتها إلى وزيري الخارجية قبل نهاية العام الجاري."
)


def rules(raw: str) -> list[tuple[str, str]]:
    return [(d.rule, d.text) for d in clean_page(raw).dropped]


def test_title_is_first_meaningful_line() -> None:
    page = clean_page(f"No Script\n\nعنوان الخبر هنا\n\n{BODY}\n")
    assert page.title == "عنوان الخبر هنا"
    assert [b.text for b in page.blocks] == [BODY]


def test_widget_labels_are_dropped() -> None:
    raw = f"العنوان\nتصغير\nتكبير\nمدة القراءة 5 د\n{BODY}\nالأكثر قراءة\nيومي\nاسبوعي\n"
    assert rules(raw) == [
        ("furniture", "تصغير"),
        ("furniture", "تكبير"),
        ("furniture", "مدة القراءة 5 د"),
        ("related-header", "الأكثر قراءة"),
        ("furniture", "يومي"),
        ("furniture", "اسبوعي"),
    ]


def test_reading_time_in_other_forms() -> None:
    for label in ("مدة القراءة: 3 دقائق", "مدة القراءة ٧ د"):
        assert rules(f"العنوان\n{label}\n{BODY}") == [("furniture", label)]


def test_read_also_teaser_is_dropped() -> None:
    raw = f"العنوان\n{BODY}\nإقرأ أيضاً: عنوان مقال آخر عن الموضوع\n{BODY2}"
    page = clean_page(raw)
    assert [b.text for b in page.blocks] == [BODY, BODY2]
    assert rules(raw) == [("read-also", "إقرأ أيضاً: عنوان مقال آخر عن الموضوع")]


def test_related_block_runs_until_a_real_paragraph() -> None:
    raw = (
        f"العنوان\n{BODY}\nموضوعات ذات صلة\n- عنوان أول قصير\n- عنوان ثان قصير\n"
        f"عنوان بلا نقطة\nتمهيد لمقال آخر ينتهي بنقاط الحذف…\n{BODY2}\n"
    )
    page = clean_page(raw)
    assert [b.text for b in page.blocks] == [BODY, BODY2]
    assert [r for r, _ in rules(raw)] == ["related-header"] + ["related"] * 4


def test_repeated_lines_and_title_repeats_collapse() -> None:
    raw = f"العنوان\n\nسطر فرعي\nسطر فرعي\n{BODY}\n\nالعنوان\n"
    page = clean_page(raw)
    assert [b.text for b in page.blocks] == ["سطر فرعي", BODY]
    assert [r for r, _ in rules(raw)] == ["repeat", "repeat"]


def test_pull_quote_inside_a_longer_paragraph_is_dropped() -> None:
    quote = BODY.split("،")[0]  # a prefix of BODY, as a pull quote repeats it
    page = clean_page(f"العنوان\n{BODY}\n{BODY2}\n{quote}\n")
    assert [b.text for b in page.blocks] == [BODY, BODY2]
    assert rules(f"العنوان\n{BODY}\n{BODY2}\n{quote}\n") == [("pull-quote", quote)]


def test_agency_byline_glued_to_first_sentence() -> None:
    page = clean_page(f"العنوان\nوكالاتأكد الرئيس أن {BODY}\n")
    assert page.blocks[0].text.startswith("أكد الرئيس")
    assert rules(f"العنوان\nوكالاتأكد الرئيس أن {BODY}\n") == [("byline", "وكالات")]


def test_byline_rule_keeps_ordinary_words() -> None:
    text = f"وكالات الأنباء ذكرت أن {BODY}"
    assert clean_page(f"العنوان\n{text}\n").blocks[0].text == text


def test_a_wall_of_text_lends_its_first_sentence_as_title() -> None:
    wall = " ".join([BODY, BODY2] * 6)
    page = clean_page(wall)
    assert page.title == BODY and page.blocks[0].text == wall


def test_spans_point_into_the_raw_text() -> None:
    raw = f"No Script\n\n  العنوان  \n\n  {BODY}  \n"
    page = clean_page(raw)
    for block in page.blocks:
        assert raw[block.span.start : block.span.end] == block.text
    for dropped in page.dropped:
        assert raw[dropped.span.start : dropped.span.end] == dropped.text


EXPECTED_DROPS = {
    "000_d440c91d97b0736f": ["inline-heading", "inline-heading"],
    "001_147bfefe11b9fe1d": ["furniture", "pull-quote", "pull-quote", "read-also", "related-header"]
    + ["related"] * 8,
    "002_5ea31fea1596766f": ["furniture", "repeat", "furniture", "furniture", "related-header"]
    + ["furniture"] * 2,
    "003_6ccabab89841b932": [],
    "004_ce289c37d510c88d": ["byline", "related-header"] + ["related"] * 12,
}


def test_what_was_dropped_from_each_shipped_article(corpus: Corpus) -> None:
    for article in corpus.articles:
        assert [d.rule for d in article.dropped] == EXPECTED_DROPS[article.article_id]
    texts = {d.text for a in corpus.articles for d in a.dropped}
    assert {"No Script", "تصغير", "مدة القراءة 5 د", "مواضيع ذات صلة", "موضوعات ذات صلة"} <= texts


def test_titles_of_shipped_articles(corpus: Corpus) -> None:
    titles = {a.article_id: a.title for a in corpus.articles}
    assert titles["001_147bfefe11b9fe1d"] == "إغناتيوس: لحظة تاريخيّة بين الكرملين والبيت الأبيض"
    assert titles["002_5ea31fea1596766f"].startswith("موسكو مستعدة لتسليم مرتكبي")
    assert titles["000_d440c91d97b0736f"].startswith("بين عرض ضمانات بعدم التدخل")
    assert len(titles["000_d440c91d97b0736f"]) <= 201


def test_no_furniture_survives_in_paragraphs(corpus: Corpus) -> None:
    for p in corpus.paragraphs:
        assert "No Script" not in p.text and "ذات صلة" not in p.text
        assert not p.text.startswith(("إقرأ أيضاً", "- "))
