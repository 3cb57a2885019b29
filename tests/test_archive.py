"""A real archive beside the five articles: SaudiNewsNet day files ingested as they are,
their outlet, date and link in every citation, and outlet and date filters that hold
on both sides of the hybrid search (real Chroma, real e5-small)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from saudinewsnet import about, slice_zips

from assistant import Assistant, AssistantError, Settings
from assistant.cli import main
from assistant.export import (
    answer_markdown,
    answer_record,
    conversation_json,
    conversation_markdown,
)
from assistant.ingest.records import text_id
from assistant.serialize import answer_json
from assistant.types import Passage
from ui.handlers import archive_heading

DAYS = ("2015-08-02", "2015-08-03", "2015-08-04")
TOPIC = "لافروف"  # 32 articles over the three days, from ten outlets
DOHA_AR = "ماذا بحث لافروف وكيري والجبير في الدوحة؟"


@pytest.fixture(scope="module")
def archive_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("saudinewsnet")
    return slice_zips(folder, TOPIC, DAYS, lambda record: True)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, archive_files: list[Path]) -> Assistant:
    home = tmp_path_factory.mktemp("archive-home")
    assistant = Assistant(Settings.load(env={"HOME": str(home)}, home=home))
    assistant.ingest(archive_files)
    return assistant


def test_day_files_ingest_as_they_are_with_outlet_date_and_link(
    archive: Assistant, archive_files: list[Path]
) -> None:
    report = archive.open().index.report
    assert report.articles == 5 + len(about(TOPIC, *DAYS)) and not report.skipped
    from_archive = [a for a in archive.articles if a.source.url]
    assert {a.source.published for a in from_archive} == {date(2015, 8, d) for d in (2, 3, 4)}
    assert "Okaz" in archive.outlets and "Al-Sharq Al-Awsat" in archive.outlets
    okaz = next(a for a in from_archive if a.source.outlet == "Okaz")
    assert okaz.article_id.startswith("okaz.com.sa-")
    assert all(p.source == okaz.source for p in okaz.paragraphs)
    record = next(r for r in about(TOPIC, *DAYS) if r["url"] == okaz.source.url)
    assert okaz.title == record["title"]
    assert okaz.paragraphs[0].text in record["content"]


def test_the_five_articles_answer_as_before_beside_the_archive(archive: Assistant) -> None:
    answer = archive.ask("ما الذي سحبته روسيا من كوبا؟")
    assert answer.answered
    assert answer.citations[0].paragraph.article_id == "002_5ea31fea1596766f"
    assert answer.citations[0].source.outlet == ""  # the defaults name no outlet


def test_every_citation_carries_its_source(archive: Assistant) -> None:
    answer = archive.ask(DOHA_AR)
    assert answer.answered and answer.citations
    for citation in answer.citations:
        source = citation.source
        assert source.outlet and source.published and source.url.startswith("http")
        day = source.published.isoformat()  # after the quote, or before it with its speaker
        assert (
            f"({source.outlet}، {day})" in answer.text
            or f"بحسب {source.outlet} ({day})" in answer.text
        )


def test_ingesting_the_same_day_files_again_changes_nothing(
    archive: Assistant, archive_files: list[Path]
) -> None:
    before = [a.article_id for a in archive.articles]
    report = archive.ingest(archive_files)
    assert report.embedded == 0 and report.removed == 0
    assert [a.article_id for a in archive.articles] == before


def _outlets(passages: list[Passage]) -> set[str]:
    return {p.source.outlet for p in passages}


@pytest.mark.parametrize("side", ["hybrid", "dense", "lexical"])
def test_an_outlet_filter_holds_on_each_side_of_the_search(archive: Assistant, side: str) -> None:
    weights = {"hybrid": {}, "dense": {"lexical_weight_ar": 0.0}, "lexical": {"dense_weight": 0.0}}
    searcher = archive.derive(**weights[side])
    unfiltered = searcher.search(DOHA_AR, k=10)
    assert len(_outlets(unfiltered)) > 1
    filtered = searcher.search(DOHA_AR, k=10, outlets=["okaz"])
    assert filtered and _outlets(filtered) == {"Okaz"}


def test_a_date_filter_holds_and_leaves_out_undated_articles(archive: Assistant) -> None:
    passages = archive.search("روسيا", k=30, since="2015-08-03", until="2015-08-03")
    assert passages and {p.source.published for p in passages} == {date(2015, 8, 3)}
    later = archive.search("روسيا", k=30, since=date(2015, 8, 4))
    assert later and all(p.source.published == date(2015, 8, 4) for p in later)


def test_a_filtered_answer_never_cites_outside_the_filter(archive: Assistant) -> None:
    answer = archive.ask(DOHA_AR, outlets=["Al-Sharq Al-Awsat"], until="2015-08-03")
    assert answer.answered
    for passage in answer.passages:
        assert passage.source.outlet == "Al-Sharq Al-Awsat"
        assert passage.source.published and passage.source.published <= date(2015, 8, 3)


def test_a_filter_the_archive_cannot_meet_is_a_clear_message(archive: Assistant) -> None:
    with pytest.raises(AssistantError, match=r"Outlets it holds: .*Okaz"):
        archive.ask("What did Lavrov say?", outlets=["The Daily Planet"])
    with pytest.raises(AssistantError, match="YYYY-MM-DD"):
        archive.ask("What did Lavrov say?", since="last Tuesday")
    with pytest.raises(AssistantError, match="بدّل التاريخين"):
        archive.ask(DOHA_AR, since="2015-08-04", until="2015-08-02")


def test_the_cli_prints_outlet_date_paragraph_and_link(
    archive: Assistant, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(archive.settings.index.home)
    assert main(["--home", home, "ask", DOHA_AR, "--outlet", "okaz"]) == 0
    out = capsys.readouterr().out
    okaz = [a for a in archive.articles if a.source.outlet == "Okaz"]
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith("Okaz · 2015-")]
    assert lines, out
    outlet, day, paragraph, url = lines[0].split(" · ")
    assert outlet == "Okaz" and date.fromisoformat(day) in {a.source.published for a in okaz}
    assert url.strip("<>") in {a.source.url for a in okaz} and paragraph.startswith("¶")
    assert main(["--home", home, "search", DOHA_AR, "--json", "--since", "2015-08-04"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and all(p["published"] == "2015-08-04" for p in found)
    assert {"outlet", "published", "url", "author"} <= set(found[0])


def test_a_question_for_the_latest_news_puts_the_newer_copy_first(
    archive: Assistant, tmp_path: Path
) -> None:
    """The same story published twice: equally relevant, so the newer copy comes first,
    though without "latest" the tie goes to the older one (its id sorts first)."""
    record = about(TOPIC, "2015-08-02")[0]
    urls = sorted((f"{record['url']}?copy={n}" for n in (1, 2)), key=lambda u: text_id(u))
    older, newer = (
        {**record, "url": url, "date_extracted": f"2015-08-0{day} 09:00:00"}
        for url, day in zip(urls, (5, 6), strict=True)
    )
    dump = tmp_path / "republished.jsonl"
    dump.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in (newer, older)), "utf-8")
    assistant = Assistant(archive.settings.replace(home=tmp_path / "home"))
    assistant.ingest([dump])
    question = record["title"]
    plain = assistant.search(question, k=1)[0]
    latest = assistant.search(f"ما آخر الأخبار عن {question}", k=1)[0]
    assert plain.source.published == date(2015, 8, 5)
    assert latest.source.published == date(2015, 8, 6)
    assert latest.paragraph.text == plain.paragraph.text


def test_a_syndicated_paragraph_takes_one_place_among_the_results(
    archive: Assistant, tmp_path: Path
) -> None:
    """One agency report carried by two outlets: its paragraphs once each in the five."""
    record = about(TOPIC, "2015-08-02")[0]
    copies = [
        {**record, "url": f"{record['url']}?outlet={n}", "source": source}
        for n, source in enumerate(("okaz", "alriyadh"))
    ]
    dump = tmp_path / "syndicated.jsonl"
    dump.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in copies), "utf-8")
    assistant = Assistant(archive.settings.replace(home=tmp_path / "home"))
    assistant.ingest([dump])
    found = assistant.search(record["title"], k=5)
    texts = [p.paragraph.text for p in found]
    assert len(found) == 5 and len(set(texts)) == 5
    assert sum(p.source.url.startswith(record["url"]) for p in found) >= 2  # the report's own


def test_asking_for_the_latest_changes_nothing_where_articles_have_no_dates(
    assistant: Assistant,
) -> None:
    """The five defaults have no dates: "newest first" has nothing to rank them by."""
    query = assistant.open().plan("ما الذي سحبته روسيا من كوبا؟")
    latest = dataclasses.replace(query, recent=True)
    ranked = [(p.key, p.score) for p in assistant.search(query, k=10)]
    assert ranked == [(p.key, p.score) for p in assistant.search(latest, k=10)]


@pytest.mark.parametrize(
    ("message", "language", "reply"),
    [
        ("hello", "en", "Hello."),
        ("Thanks!", "en", "You're welcome."),
        ("مرحبا", "ar", "أهلًا بك."),
        ("شكراً جزيلاً", "ar", "على الرحب والسعة."),
        ("السلام عليكم", "ar", "أهلًا بك."),
    ],
)
def test_greetings_and_thanks_get_a_short_reply_and_no_citations(
    assistant: Assistant, message: str, language: str, reply: str
) -> None:
    answer = assistant.ask(message)
    assert answer.text.startswith(reply) and answer.language == language
    assert answer.citations == () and answer.passages == () and not answer.answered


def test_a_greeting_with_a_question_is_a_question(assistant: Assistant) -> None:
    answer = assistant.ask("مرحبا، ما الذي سحبته روسيا من كوبا؟")
    assert answer.answered and answer.citations


def test_the_page_heading_says_what_the_archive_holds(archive: Assistant) -> None:
    heading = archive_heading(archive.articles)
    assert f"{len(archive.articles)} articles" in heading
    assert f"{len(archive.outlets)} outlets" in heading and "2015-08-02 to 2015-08-04" in heading


def test_a_copied_answer_lists_each_source_with_outlet_date_title_paragraph_and_link(
    archive: Assistant,
) -> None:
    record = answer_record(archive.ask(DOHA_AR))
    text = answer_markdown(record)
    assert text.startswith(record["text"]) and "<" not in text.replace("<-", "")
    sources = text.split("\nالمصادر:\n")[1]
    lines = [line for line in sources.splitlines() if line.startswith("[")]
    assert len(lines) == len(record["citations"]) >= 1
    for line, citation in zip(lines, record["citations"], strict=True):
        assert line.startswith(f"[{citation['marker']}] {citation['outlet']} · ")
        assert citation["published"] in line and f"«{citation['title']}»" in line
        assert f"الفقرة {citation['paragraph']}" in line and line.endswith(citation["url"])


def test_an_exported_conversation_holds_every_citation(archive: Assistant) -> None:
    records = [answer_record(archive.ask(q)) for q in (DOHA_AR, "Who met in Doha?")]
    data = json.loads(json.dumps(conversation_json(records, "2026-12-06T12:00:00+00:00")))
    assert [a["question"] for a in data["answers"]] == [DOHA_AR, "Who met in Doha?"]
    cited = [c for a in data["answers"] for c in a["citations"]]
    assert cited and all(c["outlet"] and c["url"] and c["paragraph"] for c in cited)
    markdown = conversation_markdown(records, "ar", "2026-12-06")
    assert markdown.count("## ") == 2 and "## Question: Who met in Doha?" in markdown
    assert all(c["url"] in markdown for c in cited)


def test_reported_speech_says_who_said_it_where_and_when(archive: Assistant) -> None:
    """«قال لافروف، بحسب عكاظ (2015-08-03): …»: the speaker from the sentence, the
    outlet and date of the article that reported it."""
    answer = archive.ask("ماذا قال لافروف عن الأزمة السورية في الدوحة؟")
    spoken = [
        (c, q, s) for c in answer.citations for q, s in zip(c.quotes, c.speakers, strict=True) if s
    ]
    assert spoken
    for citation, quote, speaker in spoken:
        source = citation.source
        assert f"{speaker}، بحسب {source.outlet} ({source.iso_date}): «{quote}»" in answer.text
    assert answer_json(answer)["citations"][0]["speakers"] == list(answer.citations[0].speakers)
