"""Index versions: a build is switched to only when complete, and a killed one costs nothing.

The kill test runs a real `assistant ingest` in a subprocess, SIGKILLs it after
it has stored its first batch of vectors, and checks that the index that was
open keeps answering, that the live version on disk is untouched, and that the
next ingest finishes the job re-embedding only what was not yet stored.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.index.build import EMBED_BATCH, addresses, vector_id
from assistant.index.versions import Versions
from assistant.ingest.corpus import Corpus
from benchmarks.synthetic import corpus_sentences, write_articles

CUBA_AR = "ما الذي سحبته روسيا من كوبا؟"


def _ingest_process(settings: Settings, folder: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "assistant.cli", "--home", str(settings.index.home), "-v"]
    return subprocess.Popen(
        [*command, "ingest", str(folder)],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOME": str(settings.index.home.parent)},
    )


def _wait_for(process: subprocess.Popen[str], text: str, seconds: float = 300) -> list[str]:
    assert process.stderr is not None
    lines, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"never saw {text!r}: {''.join(lines)[-2000:]}")


@pytest.mark.slow
def test_killing_ingest_midway_leaves_the_previous_index_usable(
    fresh_settings: Settings, corpus: Corpus, tmp_path: Path
) -> None:
    before = Assistant(fresh_settings)
    first = before.ingest()
    expected = [(p.key, round(p.score, 6)) for p in before.search(CUBA_AR)]
    versions = Versions(fresh_settings.index.index_dir / fresh_settings.index.embedder)
    live = versions.current()
    assert live is not None and live.name == first.version

    # More paragraphs than one batch, so the killed build has stored some and not all;
    # their windows, embedded after them, add as many texts again.
    incoming = write_articles(tmp_path / "incoming", corpus_sentences(corpus), EMBED_BATCH * 3 // 2)
    process = _ingest_process(fresh_settings, tmp_path / "incoming")
    _wait_for(process, "stored ")  # "stored N of M vectors": the first batch is in
    process.send_signal(signal.SIGKILL)
    process.wait(30)

    # The open index answers exactly as before, though the collection holds extra vectors.
    assert before.open().index.store.count() > first.paragraphs
    assert [(p.key, round(p.score, 6)) for p in before.search(CUBA_AR)] == expected
    # On disk the live version is the one from before, whole.
    after_kill = versions.current()
    assert after_kill is not None and after_kill.name == live.name
    assert dict(after_kill.manifest.articles) == dict(live.manifest.articles)
    assert len(after_kill.lexical().keys) == first.paragraphs

    # The next ingest completes, reusing the vectors the killed one stored.
    resumed = Assistant(fresh_settings)
    report = resumed.ingest()
    index = resumed.open().index
    paragraphs, windows = index.store.count(), index.windows.store.count()
    added = paragraphs + windows - first.embedded
    assert report.articles == 5 + len(incoming)
    assert 0 < report.embedded <= added - EMBED_BATCH
    assert report.version != live.name
    assert paragraphs == report.paragraphs
    last = index.corpus.article(incoming[-1].stem).paragraphs[-1]  # embedded on resume
    assert resumed.search(last.text)[0].key == last.key
    assert sorted(p.name for p in versions.folder.iterdir()) == [report.version]


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(
    fresh_settings: Settings,
) -> None:
    Assistant(fresh_settings).ingest()
    versions = Versions(fresh_settings.index.index_dir / fresh_settings.index.embedder)
    (versions.folder / ".building-999999").mkdir()  # killed while writing its files
    (versions.folder / "999998").mkdir()  # killed between renaming and switching
    (fresh_settings.index.user_corpus).mkdir(parents=True, exist_ok=True)
    (fresh_settings.index.user_corpus / "x.txt").write_text(
        "خبر قصير\n\nقال المتحدث إن الاجتماع المقبل سيعقد في القاهرة الأسبوع المقبل.\n"
    )
    report = Assistant(fresh_settings).ingest()
    assert report.version == "999999"
    assert [p.name for p in versions.folder.iterdir()] == ["999999"]
    assert (versions.root / "CURRENT").read_text() == "999999"


def test_an_unchanged_corpus_opens_without_building(fresh_settings: Settings) -> None:
    built = Assistant(fresh_settings).ingest()
    reopened = Assistant(fresh_settings).open().index.report
    assert (reopened.version, reopened.embedded) == (built.version, 0)
    manifest = json.loads(
        (
            fresh_settings.index.index_dir
            / fresh_settings.index.embedder
            / "versions"
            / built.version
            / "manifest.json"
        ).read_text()
    )
    assert len(manifest["articles"]) == 5


@pytest.mark.slow
def test_a_version_keeps_its_vector_addresses(fresh_settings: Settings) -> None:
    """Reopening reads each vector's id from the version rather than hashing every
    text again; a version saved before the addresses were opens as well."""
    first = Assistant(fresh_settings)
    built = first.open()
    version = Versions(fresh_settings.index.index_dir / fresh_settings.index.embedder).current()
    assert version is not None
    saved = version.addresses()
    assert saved == addresses(built.index.corpus.paragraphs)
    assert saved is not None and len(saved.paragraphs) == len(built.index.paragraphs)
    expected = [p.key for p in first.search(CUBA_AR, k=5)]
    (version.folder / "addresses.json").unlink()
    older = Assistant(fresh_settings)
    assert older.open().index.report.embedded == 0
    assert [p.key for p in older.search(CUBA_AR, k=5)] == expected


def test_vector_ids_follow_the_text(corpus: Corpus) -> None:
    first = corpus.paragraphs[0]
    same = type(first)(first.article_id, "another title", first.number, first.text, first.span)
    edited = type(first)(
        first.article_id,
        first.title,
        first.number,
        first.text + ".",
        first.span,
    )
    assert vector_id(same) == vector_id(first) != vector_id(edited)
    assert len({vector_id(p) for p in corpus.paragraphs}) == len(corpus.paragraphs)
