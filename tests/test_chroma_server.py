"""The same code against a real Chroma server (`chroma run` on loopback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.errors import StoreUnavailable
from benchmarks.chroma_server import chroma_server

pytestmark = pytest.mark.slow  # starts a server, an LLM or runs the question set

CUBA_AR = "ما الذي سحبته روسيا من كوبا؟"


def test_ingest_and_ask_against_a_chroma_server(
    fresh_settings: Settings, assistant: Assistant, tmp_path: Path
) -> None:
    with chroma_server(tmp_path / "chroma-server") as url:
        remote = Assistant(fresh_settings, chroma_url=url)
        report = remote.ingest()
        assert (report.articles, report.paragraphs, report.embedded) == (5, 63, 63 + 58)
        index = remote.open().index
        assert (index.store.count(), index.windows.store.count()) == (63, 58)
        assert not (fresh_settings.index.index_dir / "chroma").exists()  # nothing embedded locally
        answer = remote.ask(CUBA_AR)
        assert answer.answered and answer.citations == assistant.ask(CUBA_AR).citations
        assert [p.key for p in remote.search(CUBA_AR)] == [p.key for p in assistant.search(CUBA_AR)]
        again = (
            Assistant(fresh_settings, chroma_url=url).open().index.report
        )  # reopen: nothing to embed
        assert again.embedded == 0


def test_an_unreachable_chroma_server_is_named(fresh_settings: Settings) -> None:
    from benchmarks.chroma_server import free_port

    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailable, match=f"Cannot reach the Chroma server at {url}"):
        Assistant(fresh_settings, chroma_url=url).open()
