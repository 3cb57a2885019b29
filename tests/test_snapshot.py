"""The corpus snapshot: reopening an index reads no article file, and never serves stale text.

Each test builds a real index (real Chroma, real e5-small) over two of the
default articles copied into its own folder, so that files can be edited.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.index import snapshot
from assistant.index.versions import Versions
from assistant.ingest.corpus import load_corpus
from assistant.settings import DEFAULT_CORPUS
from tests.conftest import ARTICLES

CUBA_AR = "ما الذي سحبته روسيا من كوبا؟"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in (ARTICLES["A"], ARTICLES["B"]):
        shutil.copy(DEFAULT_CORPUS / f"{name}.txt", articles)
    return articles


@pytest.fixture
def settings(tmp_path: Path, folder: Path) -> Settings:
    return Settings.load(env={"HOME": str(tmp_path)}, home=tmp_path / "home", corpus=(folder,))


def _snapshot_file(settings: Settings) -> Path:
    live = Versions(settings.index.index_dir / settings.index.embedder).current()
    assert live is not None
    return live.folder / snapshot.FILE


def _files_read(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records each reading of the corpus files by `open_index`, which still happens."""
    calls: list[object] = []

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return load_corpus(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("assistant.index.build.load_corpus", spy)
    return calls


def test_a_build_saves_the_corpus_it_read(settings: Settings, folder: Path) -> None:
    Assistant(settings).ingest()
    key = snapshot.corpus_key(settings.index.corpus_paths())
    saved = snapshot.load(_snapshot_file(settings).parent, key)
    assert saved == load_corpus(settings.index.corpus_paths())
    assert saved is not None and len(saved.articles) == 2


def test_reopening_an_unchanged_corpus_reads_no_file(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Assistant(settings)
    first.ingest()
    expected = [(p.key, round(p.score, 6)) for p in first.search(CUBA_AR)]
    reads = _files_read(monkeypatch)
    again = Assistant(settings)
    assert again.open().index.report.embedded == 0
    assert reads == []
    assert [(p.key, round(p.score, 6)) for p in again.search(CUBA_AR)] == expected


def test_an_edited_file_is_read_again(settings: Settings, folder: Path) -> None:
    Assistant(settings).ingest()
    path = folder / f"{ARTICLES['B']}.txt"
    text = path.read_text(encoding="utf-8")
    status = path.stat()
    path.write_text(text.replace("متلازمة هافانا", "متلازمة القطب الجنوبي"), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1))  # a coarse clock
    reopened = Assistant(settings).open().index
    article = reopened.corpus.article(ARTICLES["B"])
    assert any("القطب الجنوبي" in p.text for p in article.paragraphs)
    assert reopened.report.embedded > 0


def test_a_touched_file_is_read_once_then_snapshotted_again(
    settings: Settings, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Assistant(settings).ingest()
    path = folder / f"{ARTICLES['A']}.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    reads = _files_read(monkeypatch)
    assert Assistant(settings).open().index.report.embedded == 0
    assert Assistant(settings).open().index.report.embedded == 0
    assert len(reads) == 1  # the first reopen read the files; the second its new snapshot


def test_an_added_file_changes_the_key(settings: Settings, folder: Path) -> None:
    before = snapshot.corpus_key(settings.index.corpus_paths())
    shutil.copy(DEFAULT_CORPUS / f"{ARTICLES['C']}.txt", folder)
    after = snapshot.corpus_key(settings.index.corpus_paths())
    (folder / f"{ARTICLES['C']}.txt").unlink()
    assert len({before, after, snapshot.corpus_key(settings.index.corpus_paths())}) == 2
    assert snapshot.corpus_key(settings.index.corpus_paths()) == before


def test_a_damaged_snapshot_is_ignored_and_replaced(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    Assistant(settings).ingest()
    saved = _snapshot_file(settings)
    saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])
    with caplog.at_level(logging.WARNING):
        reopened = Assistant(settings).open().index
    assert len(reopened.corpus.articles) == 2 and reopened.report.embedded == 0
    assert "unreadable corpus snapshot" in caplog.text
    key = snapshot.corpus_key(settings.index.corpus_paths())
    assert snapshot.load(saved.parent, key) == reopened.corpus
