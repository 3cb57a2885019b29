"""The web chat, end to end: the real `assistant serve`, a real Chromium, and gradio_client."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ARTICLES, Server, serving
from openai_server import FakeOpenAI, fake_openai
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright
from saudinewsnet import about, slice_zips

from assistant.cli import main

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARABIC = ("ما الذي سحبته روسيا من كوبا؟", ARTICLES["C"], 11)
ENGLISH = ("Who did Wendy Sherman meet in Geneva?", ARTICLES["B"], 9)
CLEAR, DISLIKE = "مسح المحادثة", "عدم الإعجاب"  # Gradio's labels in the page's locale (ar)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium fonts-noto-core")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def blocked() -> list[str]:
    """Requests the page tried to make beyond loopback."""
    return []


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    """The operator's LLM endpoint: a real HTTP server on loopback speaking the protocol."""
    with fake_openai() as server:
        yield server


@pytest.fixture(scope="module")
def llm_server(ui_home: Path, fake: FakeOpenAI) -> Iterator[Server]:
    """The web chat as an operator starts it with an LLM endpoint configured."""
    with serving(ui_home, "--llm-base-url", fake.base_url, "--llm-model", "fake-model") as server:
        yield server


@pytest.fixture
def page(browser: Browser, ui_server: Server, blocked: list[str]) -> Iterator[Page]:
    yield from _page(browser, ui_server, blocked)


@pytest.fixture
def llm_page(browser: Browser, llm_server: Server, blocked: list[str]) -> Iterator[Page]:
    yield from _page(browser, llm_server, blocked)


def _page(browser: Browser, server: Server, blocked: list[str]) -> Iterator[Page]:
    """A page that may talk to loopback only; everything else is aborted and recorded."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="ar",
        permissions=["clipboard-read", "clipboard-write"],
    )  # fmt: skip

    def guard(route: Route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", "::1") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.goto(server.url)
    yield page
    context.close()


def ask(page: Page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()


def answered(page: Page, question: str) -> Locator:
    """Ask, and wait for the answer with its sources (answer n of a conversation
    without errors is `#answer-n`)."""
    before = page.locator("#chat .msg.answer").count()
    ask(page, question)
    page.wait_for_function(
        f"() => document.querySelectorAll('#chat .msg.answer').length > {before}",
        timeout=60_000,
    )
    return page.locator(f"#chat #answer-{before + 1}")


def card(page: Page, article_id: str, paragraph: int) -> Locator:
    """The source card of the latest answer citing this paragraph."""
    return page.locator(f'#chat .msg.answer .card[title="{article_id} ¶{paragraph}"]').last


def screenshots(tmp_path: Path) -> Path:
    """Where the browser tests leave their screenshots: under tmp_path, or where
    ASSISTANT_SCREENSHOTS points (the README's come from `ui/screenshots`)."""
    folder = Path(os.environ.get("ASSISTANT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_arabic_and_english_questions_show_answers_and_source_cards(
    page: Page, blocked: list[str], tmp_path: Path
) -> None:
    question, article_id, paragraph = ARABIC
    ask(page, question)
    card(page, article_id, paragraph).wait_for(timeout=60_000)
    answer = page.locator("#chat .msg[dir=rtl]").last
    answer.wait_for()
    assert answer.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "قاعدتها العسكرية" in answer.inner_text()
    assert card(page, article_id, paragraph).locator("mark").count() >= 1
    marker = answer.locator("a.marker").first
    assert marker.get_attribute("href", timeout=5_000) == "#a1-source-1"
    page.screenshot(path=screenshots(tmp_path) / "arabic.png", full_page=True)

    page.locator("#new-conversation").click()
    expect(page.locator("#chat .msg")).to_have_count(0)
    question, article_id, paragraph = ENGLISH
    ask(page, question)
    card(page, article_id, paragraph).wait_for(timeout=60_000)
    english = page.locator("#chat .msg[dir=ltr]").last
    assert english.evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.screenshot(path=screenshots(tmp_path) / "english.png", full_page=True)
    assert blocked == []  # the page asked nothing of the outside world


def test_an_empty_question_is_a_readable_message_not_a_traceback(page: Page) -> None:
    ask(page, "   ")
    reply = page.locator("#chat .msg").last
    reply.wait_for(timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('#chat .msg').length >= 2")
    text = page.locator("#chat .msg").last.inner_text()
    assert "question" in text.lower() and "Traceback" not in text


def test_markup_in_a_question_shows_as_text(page: Page) -> None:
    ask(page, '<img src=x onerror="alert(1)"><b>bold</b> ما الذي سحبته روسيا من كوبا؟')
    card(page, *ARABIC[1:]).wait_for(timeout=60_000)
    question = page.locator("#chat .msg").first
    assert "<b>bold</b>" in question.inner_text()
    assert page.locator("#chat .msg img, #chat .msg b").count() == 0


def test_the_articles_tab_shows_a_cleaned_article_with_numbered_paragraphs(page: Page) -> None:
    page.get_by_role("tab", name="Articles").click()
    page.locator("#article-pick input").click()
    page.get_by_role("option").filter(has_text=ARTICLES["C"]).click()
    items = page.locator("#article-page li")
    expect(items.nth(10)).to_contain_text("كوبا", timeout=30_000)
    assert items.nth(10).get_attribute("value") == "11"
    assert "كوبا" in items.nth(10).inner_text()


def test_without_an_llm_the_settings_offer_extractive_and_say_why(page: Page) -> None:
    page.get_by_text("Settings").click()
    page.locator("#mode").get_by_label("extractive").wait_for()
    assert page.locator("#mode").get_by_role("radio").count() == 1
    assert page.locator("#mode").get_by_label("extractive").is_checked()
    note = page.locator("#mode-note")
    assert "ASSISTANT_LLM_BASE_URL" in note.inner_text()
    assert note.locator("[lang=ar]").count() == 1 and note.locator("[lang=en]").count() == 1
    assert page.locator("#llm-url, #llm-model").count() == 0  # no endpoint fields


def test_llm_answers_stream_into_the_chat_token_by_token(llm_page: Page, fake: FakeOpenAI) -> None:
    page = llm_page
    fake.behaviour.stall = 3.0  # a pause after the first words, to see them arrive alone
    question, article_id, paragraph = ARABIC
    try:
        ask(page, question)
        page.wait_for_function("() => document.querySelectorAll('#chat .msg').length >= 2")
        partial = page.locator("#chat .msg").last.inner_text()
        assert page.locator("#chat .card").count() == 0  # answer still coming
        card(page, article_id, paragraph).wait_for(timeout=60_000)
        final = page.locator("#chat .msg").last.inner_text()
    finally:
        fake.behaviour.stall = 0.0
    assert 0 < len(partial) < len(final) and final.startswith(partial.strip())
    assert "[1]" in final and "extractive" not in final


def test_the_operator_modes_are_the_only_choices(llm_page: Page, fake: FakeOpenAI) -> None:
    """With an endpoint configured a visitor may pick extractive or llm, nothing else."""
    page = llm_page
    page.get_by_text("Settings").click()
    page.locator("#mode").get_by_label("llm").wait_for()
    radios = page.locator("#mode").get_by_role("radio")
    values = sorted(radios.nth(i).get_attribute("value") or "" for i in range(radios.count()))
    assert values == ["extractive", "llm"]
    assert page.locator("#llm-url, #llm-model").count() == 0
    asked = len(fake.bodies("answer"))
    page.locator("#mode").get_by_label("extractive").check()
    question, article_id, paragraph = ARABIC
    ask(page, question)
    card(page, article_id, paragraph).wait_for(timeout=60_000)
    assert "بحسب ما ورد في المقالات" in page.locator("#chat .msg").last.inner_text()
    assert len(fake.bodies("answer")) == asked  # the extractive answer asked no model


def test_a_failing_endpoint_shows_the_extractive_answer_with_a_notice(
    llm_page: Page, fake: FakeOpenAI
) -> None:
    page = llm_page
    fake.behaviour.status = 503
    try:
        question, article_id, paragraph = ARABIC
        ask(page, question)
        card(page, article_id, paragraph).wait_for(timeout=60_000)
        text = page.locator("#chat .msg").last.inner_text()
    finally:
        fake.behaviour.status = 200
    assert "503" in text and "extractive answer instead" in text


def test_gradio_client_calls_the_chat_api(ui_server: Server) -> None:
    from gradio_client import Client

    client = Client(ui_server.url, verbose=False)
    question, article_id, paragraph = ARABIC
    result = client.predict(question, [], api_name="/chat")
    assert result["answered"] and result["language"] == "ar"
    cited = {(c["article_id"], c["paragraph"]) for c in result["citations"]}
    assert (article_id, paragraph) in cited
    follow_up = client.predict(
        "وماذا قال عن الهجمات؟", ["من هو السفير الروسي لدى واشنطن؟"], api_name="/chat"
    )
    assert follow_up["answered"]
    assert (ARTICLES["D"], 3) in {(c["article_id"], c["paragraph"]) for c in follow_up["citations"]}
    error = client.predict("  ", [], api_name="/chat")
    assert set(error) == {"error"} and "question" in error["error"].lower()


DOHA_AR = "ماذا بحث لافروف وكيري والجبير في الدوحة؟"


@pytest.fixture(scope="module")
def archive_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The web chat over the five articles and a SaudiNewsNet slice (three day files)."""
    home = tmp_path_factory.mktemp("archive-ui")
    days = ("2015-08-02", "2015-08-03", "2015-08-04")
    zips = slice_zips(home / "incoming", "لافروف", days, lambda record: True)
    assert main(["--home", str(home), "ingest", *map(str, zips)]) == 0
    with serving(home) as server:
        yield server


@pytest.fixture
def archive_page(browser: Browser, archive_server: Server, blocked: list[str]) -> Iterator[Page]:
    yield from _page(browser, archive_server, blocked)


def pick(page: Page, dropdown: str, option: str) -> None:
    page.locator(f"#{dropdown} input").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def test_source_cards_name_outlet_and_date_and_link_to_the_original(
    archive_page: Page, blocked: list[str]
) -> None:
    page = archive_page
    page.get_by_text("Filters: outlets and dates").click()
    pick(page, "chat-outlets", "Okaz")
    ask(page, DOHA_AR)
    cards = page.locator("#chat .card")
    cards.first.wait_for(timeout=60_000)
    assert cards.count() >= 1
    for n in range(cards.count()):
        meta = cards.nth(n).locator(".card-meta")
        assert meta.locator(".outlet").inner_text() == "Okaz"
        assert meta.locator("time").get_attribute("datetime", timeout=5_000).startswith("2015-08-0")
        original = meta.locator("a.original")
        assert original.get_attribute("href", timeout=5_000).startswith("http://www.okaz.com.sa/")
        assert original.get_attribute("target") == "_blank"
        assert original.get_attribute("rel") == "noopener noreferrer"
    answer = page.locator("#chat .msg").last.inner_text()
    quotes = [line for line in answer.splitlines() if "«" in line]
    # each quote says which outlet and day: after it, or before it with its speaker
    assert quotes and all("Okaz، 2015-08-0" in q or "بحسب Okaz (2015-08-0" in q for q in quotes)
    assert blocked == []


def test_the_articles_tab_lists_outlet_and_date_and_filters_by_them(archive_page: Page) -> None:
    page = archive_page
    page.get_by_role("tab", name="Articles").click()
    table = page.locator("#article-table")
    table.wait_for(timeout=30_000)
    listed = table.text_content() or ""
    assert "Al-Sharq Al-Awsat" in listed and "Okaz" in listed and "2015-08-03" in listed
    expected = len([r for r in about("لافروف", "2015-08-04") if r["source"] == "aawsat"])
    pick(page, "articles-outlets", "Al-Sharq Al-Awsat")
    page.locator("#articles-since input, #articles-since textarea").fill("2015-08-04")
    page.locator("#articles-since input, #articles-since textarea").press("Enter")
    expect(page.locator("#article-count")).to_have_text(f"{expected} articles", timeout=30_000)
    expect(table).not_to_contain_text("Okaz")
    filtered = table.text_content() or ""
    assert "Al-Sharq Al-Awsat" in filtered and "2015-08-03" not in filtered


def test_the_chat_api_takes_outlet_and_date_filters(archive_server: Server) -> None:
    from gradio_client import Client

    client = Client(archive_server.url, verbose=False)
    result = client.predict(DOHA_AR, [], ["Al-Watan"], "2015-08-04", None, api_name="/chat")
    assert result["answered"] and result["citations"]
    assert {c["outlet"] for c in result["citations"]} == {"Al-Watan"}
    assert {c["published"] for c in result["passages"]} == {"2015-08-04"}
    refused = client.predict(DOHA_AR, [], ["Nowhere Times"], None, None, api_name="/chat")
    assert set(refused) == {"error"} and "Al-Watan" in refused["error"]


def test_an_example_click_asks_it(page: Page) -> None:
    """An example is a question: clicking it sends it, not only fills the box."""
    page.get_by_text("ما الذي سحبته روسيا من كوبا؟", exact=True).first.click()
    card(page, *ARABIC[1:]).wait_for(timeout=60_000)
    assert "ما الذي سحبته روسيا من كوبا؟" in page.locator("#chat .msg").first.inner_text()


def test_each_answer_keeps_its_own_sources(page: Page) -> None:
    """After two questions, [1] in the first answer shows the first answer's source 1,
    highlighted and in view; clearing the chat clears every source."""
    first = answered(page, ARABIC[0])
    second = answered(page, ENGLISH[0])
    assert first.locator(".card").count() >= 1 and second.locator(".card").count() >= 1
    first.locator("a.marker", has_text="[1]").first.click()
    shown = page.locator(".card.highlight")
    expect(shown).to_have_count(1)
    assert shown.get_attribute("id") == "a1-source-1"
    assert first.locator("#a1-source-1").count() == 1  # inside the first answer
    assert shown.get_attribute("title") == f"{ARABIC[1]} ¶{ARABIC[2]}"
    expect(shown).to_be_in_viewport()
    second.locator("a.marker", has_text="[1]").first.click()
    expect(page.locator(".card.highlight")).to_have_attribute("id", "a2-source-1")
    page.locator(f'#chat button[aria-label="{CLEAR}"]').click()
    expect(page.locator("#chat .msg")).to_have_count(0)
    assert page.locator(".card").count() == 0


def test_an_english_answer_is_ltr_with_its_arabic_quotes_rtl_in_one_sans_family(
    page: Page,
) -> None:
    english = answered(page, ENGLISH[0])
    framing, quote = english.locator("p[lang=en]").first, english.locator("p[lang=ar]").first
    style = "e => [getComputedStyle(e).direction, getComputedStyle(e).fontFamily]"
    assert english.evaluate(style)[0] == "ltr"
    assert framing.evaluate(style)[0] == "ltr" and quote.evaluate(style)[0] == "rtl"
    arabic = answered(page, ARABIC[0])
    assert arabic.evaluate(style)[0] == "rtl"
    for block in (framing, quote, arabic.locator("p").first, arabic.locator(".card-text").first):
        family = block.evaluate(style)[1]
        assert family.startswith('"Noto Sans"') and "serif" not in family.replace("sans-serif", "")


def test_copy_gives_the_answer_and_its_sources_as_text(archive_page: Page, tmp_path: Path) -> None:
    page = archive_page
    answer = answered(page, DOHA_AR)
    answer.locator("button.copy-answer").click()
    expect(answer.locator("button.copy-answer.copied")).to_have_count(1)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "href" not in copied
    assert copied.startswith(answer.locator("p").first.inner_text().strip())
    cards = answer.locator(".card")
    for n in range(cards.count()):
        meta = cards.nth(n).locator(".card-meta")
        assert meta.locator(".outlet").inner_text() in copied
        assert (meta.locator("a.original").get_attribute("href") or "-") in copied
    assert "المصادر:" in copied


def test_the_exported_conversation_lists_every_citation(archive_page: Page) -> None:
    page = archive_page
    answers = [answered(page, DOHA_AR), answered(page, "ومتى التقوا؟")]
    shown = sum(answer.locator(".card").count() for answer in answers)
    page.locator("#export").click()
    expect(page.locator("#exported a")).to_have_count(2, timeout=30_000)
    with page.expect_download() as download:
        page.locator('#exported a[href$=".json"]').click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["answers"][0]["question"] == DOHA_AR
    cited = [c for a in data["answers"] for c in a["citations"]]
    assert len(cited) == shown and all(c["outlet"] and c["url"] for c in cited)


def test_feedback_is_written_to_disk_with_its_note(page: Page, ui_home: Path) -> None:
    answered(page, ARABIC[0])
    page.locator(f'#chat button[aria-label="{DISLIKE}"]').last.click()
    page.locator("#feedback-note textarea").wait_for(timeout=30_000)
    expect(page.locator("#feedback-status")).to_contain_text("حُفظ تقييمك")
    page.locator("#feedback-note textarea").fill("wrong paragraph")
    page.locator("#save-note").click()
    expect(page.locator("#feedback-status")).to_contain_text("note is saved")
    lines = [json.loads(line) for line in (ui_home / "feedback.jsonl").read_text().splitlines()]
    verdict = next(line for line in reversed(lines) if line["kind"] == "verdict")
    assert verdict["verdict"] == "down" and verdict["answer"]["question"] == ARABIC[0]
    assert (ARABIC[1], ARABIC[2]) in {
        (c["article_id"], c["paragraph"]) for c in verdict["answer"]["citations"]
    }
    assert verdict["settings"]["mode"] == "extractive"
    assert lines[-1] == {
        **lines[-1],
        "kind": "note",
        "id": verdict["id"],
        "note": "wrong paragraph",
    }


def test_conversations_survive_a_reload_and_can_be_reopened(page: Page) -> None:
    answered(page, ARABIC[0])
    page.reload()
    card(page, *ARABIC[1:]).wait_for(timeout=30_000)
    assert ARABIC[0] in page.locator("#chat .msg").first.inner_text()
    page.locator("#new-conversation").click()
    expect(page.locator("#chat .msg")).to_have_count(0)
    answered(page, ENGLISH[0])
    page.locator("#history input").click()
    page.get_by_role("option").filter(has_text=ARABIC[0]).first.click()
    card(page, *ARABIC[1:]).wait_for(timeout=30_000)
    assert page.locator("#chat .msg.answer").count() == 1
    follow_up = answered(page, "ومتى؟")  # a reopened conversation goes on where it was
    assert page.locator("#chat .msg.answer").count() == 2 and follow_up.count() == 1


def test_the_articles_tab_shows_the_first_article_at_once_and_searches_titles(
    page: Page,
) -> None:
    page.get_by_role("tab", name="Articles").click()
    expect(page.locator("#article-page li").first).to_be_visible(timeout=30_000)
    title = page.locator("#article-table .title-cell").first
    assert title.evaluate("e => getComputedStyle(e).textAlign") == "right"
    assert title.evaluate("e => getComputedStyle(e).fontFamily").startswith('"Noto Sans"')
    table_right = page.locator("#article-table table").evaluate(
        "e => e.getBoundingClientRect().right"
    )
    assert table_right <= page.viewport_size["width"]  # type: ignore[index]
    page.locator("#articles-title textarea").fill("بوتين")
    expect(page.locator("#article-count")).to_have_text("2 articles", timeout=30_000)
    assert "بوتين" in page.locator("#article-page h3").inner_text()


def test_the_page_loads_with_the_archive_heading(
    browser: Browser, ui_server: Server, tmp_path: Path
) -> None:
    """First load, timed for the README (reported, not asserted)."""
    context = browser.new_context()
    page = context.new_page()
    started = time.perf_counter()
    page.goto(ui_server.url)
    page.locator("#question textarea").wait_for()
    seconds = time.perf_counter() - started
    expect(page.locator("#heading")).to_contain_text("5 articles")
    (screenshots(tmp_path) / "first-load.json").write_text(json.dumps({"seconds": seconds}))
    context.close()


def test_on_a_narrow_screen_the_sources_sit_below_the_answer_and_fit(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    answer = answered(page, ARABIC[0])
    source = answer.locator(".card").first
    text, box = answer.locator("p").first.bounding_box(), source.bounding_box()
    assert text is not None and box is not None
    assert box["y"] > text["y"] and box["x"] >= 0 and box["x"] + box["width"] <= 390
    answer.locator("a.marker").first.click()
    expect(page.locator(".card.highlight")).to_be_in_viewport()
