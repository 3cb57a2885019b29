"""Every accepted format read into articles with their source; every bad record skipped
with where and why, the rest kept."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

from saudinewsnet import day_file, records

from assistant.ingest.corpus import load_corpus
from assistant.ingest.formats import Item, Skipped, read_file
from assistant.ingest.records import MAX_FIELD_CHARS

BODY = (
    "قال وزير الخارجية إن المحادثات مع الجانب الروسي مستمرة منذ أسابيع دون تقدم يذكر في الملفات.\n"
    "وأضاف أن الاجتماع المقبل سيعقد في الدوحة بحضور وزراء خارجية الدول الثلاث الأسبوع المقبل."
)


def read(name: str, data: bytes) -> tuple[list[Item], list[Skipped]]:
    found = list(read_file(name, data))
    return [f for f in found if isinstance(f, Item)], [f for f in found if isinstance(f, Skipped)]


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_saudinewsnet_day_file_reads_as_it_is() -> None:
    day = "2015-08-03"
    items, skipped = read(day_file(day).name, day_file(day).read_bytes())
    shipped = records(day)
    assert len(items) + len(skipped) == len(shipped) == 1343
    assert {s.reason for s in skipped} == {"no content: the article has no text"}
    assert all(s.where.startswith("2015-08-03.zip:2015-08-03.json line ") for s in skipped)
    assert len({i.article_id for i in items}) == len(items)  # one id per URL
    first = items[0]
    assert first.source.outlet == "Ain Alyoum" and first.source.published == date(2015, 8, 3)
    assert first.source.url == shipped[0]["url"]
    assert first.raw.startswith(shipped[0]["title"] + "\n")
    assert first.where == "2015-08-03.zip:2015-08-03.json line 2"
    assert {i.source.outlet for i in items} >= {"Okaz", "Al-Riyadh", "Al-Sharq Al-Awsat"}


def test_ids_are_stable_and_readable() -> None:
    record = {"url": "https://www.okaz.com.sa/news/1", "content": BODY}
    (a,), _ = read("one.json", json.dumps(record).encode())
    (b,), _ = read("other-name.jsonl", json.dumps({**record, "title": "عنوان"}).encode())
    assert a.article_id == b.article_id and a.article_id.startswith("okaz.com.sa-")
    (no_url,), _ = read("x.json", json.dumps({"content": BODY, "outlet": "Okaz"}).encode())
    (again,), _ = read("y.json", json.dumps({"content": BODY, "outlet": "Okaz"}).encode())
    assert no_url.article_id == again.article_id and no_url.article_id.startswith("okaz-")
    (named,), _ = read("z.json", json.dumps({"id": "Story 7", "content": BODY}).encode())
    assert named.article_id == "story-7"


def test_the_schema_fields_aliases_and_extra_keys() -> None:
    article = {
        "headline": "عنوان",
        "paragraphs": BODY.split("\n"),
        "link": "https://example.com/a",
        "publisher": {"name": "Example News"},
        "datePublished": "2024-03-14T10:00:00Z",
        "authors": ["سارة أحمد", "John Doe"],
        "lang": "ar",
        "section": "سياسة",
        "views": 120,
    }
    ((item,), _) = read("a.json", json.dumps(article, ensure_ascii=False).encode())
    source = item.source
    assert (source.outlet, source.published, source.url) == (
        "Example News", date(2024, 3, 14), "https://example.com/a"
    )  # fmt: skip
    assert source.author == "سارة أحمد, John Doe" and source.language == "ar"
    assert dict(source.extra) == {"section": "سياسة", "views": "120"}
    assert item.raw == "عنوان\n" + BODY


def test_json_lines_skip_each_bad_line_and_keep_the_rest() -> None:
    lines = [
        json.dumps({"title": "أ", "content": BODY}),
        '{"title": "broken", ',
        json.dumps({"title": "no text"}),
        json.dumps({"content": "x" * (MAX_FIELD_CHARS + 1)}),
        json.dumps({"content": BODY, "date": "3000-01-01", "url": "https://e.com/2"}),
        json.dumps(["not", "an", "object"]),
    ]
    items, skipped = read("dump.jsonl", "\n".join(lines).encode())
    assert [i.where for i in items] == ["dump.jsonl line 1", "dump.jsonl line 5"]
    reasons = {s.where: s.reason for s in skipped}
    assert "not valid JSON" in reasons["dump.jsonl line 2"]
    assert "no content" in reasons["dump.jsonl line 3"]
    assert "at most 2,000,000" in reasons["dump.jsonl line 4"]
    assert "JSON object" in reasons["dump.jsonl line 6"]
    dated = items[1]
    assert dated.source.published is None
    assert dated.notes == ("date left empty: 3000-01-01 is not a plausible publication date",)


def test_a_broken_json_array_is_skipped_whole_with_its_line() -> None:
    data = '[\n  {"content": "نص"},\n  {"content": "نص" \n]'.encode()
    items, (skipped,) = read("dump.json", data)
    assert items == [] and skipped.where == "dump.json line 4"
    assert "nothing in this file was read" in skipped.reason


def test_json_that_is_not_utf8_is_skipped_with_a_reason() -> None:
    data = json.dumps([{"content": BODY}], ensure_ascii=False).encode("cp1256")
    items, (skipped,) = read("old.json", data)
    assert items == [] and "not UTF-8" in skipped.reason and "save it as UTF-8" in skipped.reason


def test_a_zip_reads_nested_folders_and_refuses_paths_that_escape() -> None:
    article = json.dumps({"content": BODY, "url": "https://e.com/1"}).encode()
    data = zipped(
        {
            "2015/08/day.json": b"[" + article + b"]",
            "../escape.json": article,
            "/absolute.json": article,
            "inner.zip": zipped({"a.json": article}),
            "scan.pdf": b"%PDF-1.7",
            "notes/page.txt": BODY.encode(),
        }
    )
    items, skipped = read("bundle.zip", data)
    assert [i.where for i in items] == [
        "bundle.zip:2015/08/day.json line 1",
        "bundle.zip:notes/page.txt",
    ]
    assert items[1].article_id == "page"
    reasons = {s.where.removeprefix("bundle.zip:"): s.reason for s in skipped}
    assert "leaves the archive" in reasons["../escape.json"]
    assert "leaves the archive" in reasons["/absolute.json"]
    assert "zip inside a zip" in reasons["inner.zip"]
    assert "not read" in reasons["scan.pdf"]


def test_a_file_that_is_not_a_zip_says_so() -> None:
    items, (skipped,) = read("fake.zip", b"PK but not really")
    assert items == [] and "not a valid zip" in skipped.reason


def test_markdown_front_matter_gives_the_source(tmp_path: Path) -> None:
    text = (
        "---\ntitle: اجتماع الدوحة\ndate: 3 أغسطس 2015\noutlet: okaz\n"
        "url: https://www.okaz.com.sa/x\n---\n# اجتماع الدوحة\n\n"
        "قال **الوزير** إن [المحادثات](https://e.com) مستمرة منذ أسابيع دون تقدم يذكر في الملفات.\n"
    )
    (tmp_path / "doha.md").write_text(text, encoding="utf-8")
    (article,) = load_corpus([tmp_path]).articles
    assert article.title == "اجتماع الدوحة" and article.source.outlet == "Okaz"
    assert article.source.published == date(2015, 8, 3)
    assert article.paragraphs[0].text.startswith("قال الوزير إن المحادثات مستمرة")


def test_other_formats_are_listed_as_skipped(tmp_path: Path) -> None:
    for name in ("report.pdf", "memo.docx", "photo.jpg"):
        (tmp_path / name).write_bytes(b"\x00binary")
    (tmp_path / "story.txt").write_text("عنوان\n" + BODY, encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [a.article_id for a in corpus.articles] == ["story"]
    assert sorted(Path(s.where).name for s in corpus.skipped) == [
        "memo.docx", "photo.jpg", "report.pdf"
    ]  # fmt: skip
    assert all("not read" in s.reason for s in corpus.skipped)
