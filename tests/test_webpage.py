"""Saved .html pages go through the same cleaning as the scraped .txt files."""

from __future__ import annotations

import html
from pathlib import Path

from assistant import Assistant, Settings
from assistant.ingest.corpus import Corpus, load_corpus
from assistant.ingest.webpage import page_text


def _as_web_page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    return f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{html.escape(title)} | موقع الأخبار</title><style>p {{ color: red }}</style>
<script>window.track = "هذا نص برمجي";</script></head><body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/sport">رياضة</a></li></ul></nav>
<header><a href="/">شعار الموقع</a></header>
<article><header><h1>{html.escape(title)}</h1></header><div>مدة القراءة 5 د</div>
{body}<div><h3>مواضيع ذات صلة</h3><ul><li><a>عنوان آخر</a></li></ul></div>
<aside>الأكثر قراءة</aside></article>
<noscript>No Script</noscript><footer>جميع الحقوق محفوظة &copy; 2026</footer></body></html>"""


def test_page_text_keeps_the_headline_and_the_article_blocks() -> None:
    page = _as_web_page("روسيا &amp; كوبا", ["فقرة <أولى> طويلة.", "فقرة ثانية."])
    assert page_text(page).splitlines() == [
        "روسيا &amp; كوبا",
        "مدة القراءة 5 د",
        "فقرة <أولى> طويلة.",
        "فقرة ثانية.",
        "مواضيع ذات صلة",
        "عنوان آخر",
    ]


def test_a_page_without_article_or_title_falls_back_to_body() -> None:
    assert page_text("<body><div>سطر أول</div><div>سطر <b>ثان</b></div></body>") == (
        "سطر أول\nسطر ثان\n"
    )


def test_a_real_article_as_html_gives_the_same_paragraphs(corpus: Corpus, tmp_path: Path) -> None:
    article = corpus.article("001_147bfefe11b9fe1d")
    page = tmp_path / "001_147bfefe11b9fe1d.html"
    page.write_text(_as_web_page(article.title, [p.text for p in article.paragraphs]), "utf-8")
    (from_html,) = load_corpus([page]).articles
    assert from_html.title == article.title
    assert [p.text for p in from_html.paragraphs] == [p.text for p in article.paragraphs]
    dropped = {(d.rule, d.text) for d in from_html.dropped}  # by the ordinary cleaning rules
    assert {("furniture", "مدة القراءة 5 د"), ("related-header", "مواضيع ذات صلة")} <= dropped


def test_ingest_takes_html_and_reports_progress(fresh_settings: Settings, tmp_path: Path) -> None:
    page = tmp_path / "200_page.html"
    page.write_text(
        _as_web_page(
            "افتتاح معرض الكتاب",
            [
                "افتتح وزير الثقافة معرض الكتاب الدولي بمشاركة أربعمئة دار نشر من ثلاثين دولة.",
                "ويستمر المعرض عشرة أيام ويتضمن ندوات وأمسيات شعرية وورشاً للأطفال.",
            ],
        ),
        "utf-8",
    )
    seen: list[tuple[int, int]] = []
    assistant = Assistant(fresh_settings)
    report = assistant.ingest([page], progress=lambda done, total: seen.append((done, total)))
    assert report.articles == 6 and seen[-1] == (report.embedded, report.embedded)
    answer = assistant.ask("كم دار نشر تشارك في معرض الكتاب؟")
    assert answer.answered and answer.citations[0].paragraph.article_id == "200_page"
    assert answer.citations[0].paragraph.number == 1
