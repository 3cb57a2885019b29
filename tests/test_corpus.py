"""Bad article files are skipped with a reason; the rest of the corpus still loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.ingest.corpus import load_corpus
from assistant.settings import DEFAULT_CORPUS
from assistant.types import Article

GOOD = (DEFAULT_CORPUS / "002_5ea31fea1596766f.txt").read_text(encoding="utf-8")


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def read_article(path: Path) -> Article:
    corpus = load_corpus([path])
    assert not corpus.skipped
    (article,) = corpus.articles
    return article


def test_bad_files_are_skipped_and_named(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", GOOD.encode())
    write(tmp_path, "latin1.txt", "مرحبا".encode("cp1256"))
    write(tmp_path, "empty.txt", b"   \n\n")
    write(tmp_path, "binary.txt", b"\x89PNG\x00\x00\x01")
    write(tmp_path, "furniture.txt", "No Script\nتصغير\nتكبير\n".encode())
    write(tmp_path, "huge.txt", b"a" * 3_000_000)
    write(tmp_path, "report.pdf", b"%PDF-1.7")
    corpus = load_corpus([tmp_path])
    assert [a.article_id for a in corpus.articles] == ["good"]
    reasons = {Path(s.where).name: s.reason for s in corpus.skipped}
    assert set(reasons) == {
        "latin1.txt", "empty.txt", "binary.txt", "furniture.txt", "huge.txt", "report.pdf"
    }  # fmt: skip
    assert "not read" in reasons["report.pdf"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "no paragraphs" in reasons["furniture.txt"]
    assert "more than" in reasons["huge.txt"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file or folder"):
        load_corpus([tmp_path / "nope"])


def test_article_id_is_the_file_name(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "my-article.txt", GOOD.encode()))
    assert article.article_id == "my-article"
    assert all(p.article_id == "my-article" for p in article.paragraphs)


def test_content_hash_follows_content(tmp_path: Path) -> None:
    a = read_article(write(tmp_path, "a.txt", GOOD.encode()))
    b = read_article(write(tmp_path, "b.txt", (GOOD + "\nسطر جديد في آخر المقال.").encode()))
    assert a.content_hash != b.content_hash


def test_byte_order_mark_and_crlf_are_accepted(tmp_path: Path) -> None:
    raw = "\ufeff" + GOOD.replace("\n", "\r\n")
    article = read_article(write(tmp_path, "crlf.txt", raw.encode("utf-8")))
    assert len(article.paragraphs) == 21
