"""A full disk during ingest: the ingest says what happened, the previous index keeps
answering, and nothing is lost (the next ingest with space finishes the job).

The disk is "full" for one process through RLIMIT_FSIZE: writes that would grow a
file past the limit fail with EFBIG, which works for root too (unlike chmod)."""

from __future__ import annotations

import json
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = Path(__file__).parent / "data" / "injection_article.txt"
QUESTION = "ما الذي سحبته روسيا من كوبا؟"


def cli(home: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--home", str(home), *args],
        capture_output=True, text=True, timeout=300,
        preexec_fn=full_disk if limit is not None else None,
    )  # fmt: skip


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    assert cli(home, "ingest").returncode == 0  # the default corpus, indexed
    return home


def paragraphs(home: Path) -> int:
    answer = cli(home, "ask", "--json", QUESTION)
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["answered"]
    report = cli(home, "ingest")
    return int(report.stdout.split(" articles, ")[1].split()[0])


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (64, "Could not copy injection_article.txt"),
        (4096, "(Could not update the index|Cannot open the vector store)"),
    ],
    ids=["while copying the article", "while writing the index"],
)
def test_a_full_disk_leaves_the_previous_index_working(
    home: Path, limit: int, message: str
) -> None:
    failed = cli(home, "ingest", str(ARTICLE), limit=limit)
    assert failed.returncode == 2
    assert re.match(f"error: {message}", failed.stderr) and "Traceback" not in failed.stderr
    assert not list((home / "articles").glob(".*.part"))  # no half-copied file left behind
    assert paragraphs(home) == (63 if limit == 64 else 68)  # with space again: all there
