"""Saved .html pages go through the same cleaning as the scraped .txt files."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from assistant import Assistant, Settings
from assistant.ingest.corpus import Corpus, load_corpus
from assistant.ingest.webpage import page_text
from assistant.types import Source


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


NEWS_PAGE = """<!doctype html><html lang="ar"><head><meta charset="utf-8">
<title>روسيا تسحب قاعدتها | عكاظ</title>
<meta property="og:site_name" content="عكاظ">
<meta property="article:published_time" content="2015-08-03T20:54:51+03:00">
<meta name="author" content="محمد الغامدي">
<link rel="canonical" href="https://www.okaz.com.sa/news/12345">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "publisher": {"@type": "Organization", "name": "Okaz JSON-LD"}, "datePublished": "2015-08-01"}
</script></head><body><article><h1>روسيا تسحب قاعدتها من كوبا</h1>
<p>كتبت: سارة أحمد 3 أغسطس 2015 وقت القراءة: 3 دقائق</p>
<p>فيسبوك تويتر واتساب</p>
<p>أعلن الرئيس الروسي أن بلاده سحبت قاعدتها العسكرية من كوبا بعد مفاوضات طويلة مع الجانب الكوبي.</p>
<p>وأضاف أن القرار جاء في إطار مراجعة شاملة للوجود العسكري الروسي في الخارج خلال العقد الماضي.</p>
<p>الوسوم: روسيا، كوبا، قواعد عسكرية</p>
<p>Share on Facebook Twitter WhatsApp</p></article></body></html>"""


def test_a_news_page_gives_its_outlet_date_author_and_link(tmp_path: Path) -> None:
    (tmp_path / "okaz-cuba.html").write_text(NEWS_PAGE, encoding="utf-8")
    (article,) = load_corpus([tmp_path]).articles
    source = article.source
    assert source.outlet == "عكاظ"  # og:site_name before JSON-LD's publisher
    assert source.published == date(2015, 8, 3)  # article:published_time first
    assert source.author == "محمد الغامدي"
    assert source.url == "https://www.okaz.com.sa/news/12345"
    assert [p.number for p in article.paragraphs] == [1, 2]  # furniture numbers nothing
    assert article.paragraphs[0].text.startswith("أعلن الرئيس الروسي")
    rules = {d.rule: d.text for d in article.dropped}
    assert rules["byline"].startswith("كتبت: سارة أحمد")
    assert rules["tags"].startswith("الوسوم:")
    assert {d.text for d in article.dropped if d.rule == "share"} == {
        "فيسبوك تويتر واتساب", "Share on Facebook Twitter WhatsApp"
    }  # fmt: skip


def test_json_ld_and_time_fill_in_what_meta_tags_do_not_say(tmp_path: Path) -> None:
    page = NEWS_PAGE.replace('<meta property="og:site_name" content="عكاظ">', "").replace(
        '<meta property="article:published_time" content="2015-08-03T20:54:51+03:00">', ""
    )
    (tmp_path / "ld.html").write_text(page, encoding="utf-8")
    (article,) = load_corpus([tmp_path]).articles
    assert article.source.outlet == "Okaz JSON-LD"
    assert article.source.published == date(2015, 8, 1)
    timed = '<html><body><article><h1>عنوان</h1><time datetime="2015-07-23">23 يوليو</time>'
    timed += "<p>" + "نص الخبر كما نشر في الصحيفة صباح اليوم مع تفاصيل إضافية عن الموضوع. " * 2
    (tmp_path / "ld.html").write_text(timed + "</p></article></body></html>", encoding="utf-8")
    (article,) = load_corpus([tmp_path]).articles
    assert article.source.published == date(2015, 7, 23) and article.source.outlet == ""


def test_a_page_without_metadata_reads_as_before(tmp_path: Path) -> None:
    page = tmp_path / "plain.html"
    page.write_text(
        _as_web_page("عنوان", ["نص الخبر كما نشر في الصحيفة صباح اليوم مع تفاصيل."]), "utf-8"
    )
    (article,) = load_corpus([page]).articles
    assert article.source == Source()
