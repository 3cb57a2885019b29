"""A running assistant follows the index another process publishes, without a restart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import serving

from assistant import Assistant, Settings
from assistant.cli import main

NEW = (
    "عنوان خبر جديد عن القمح\n\nأعلنت وزارة الزراعة أن محصول القمح هذا العام بلغ ثلاثة ملايين "
    "طن، وهو رقم قياسي لم يسجل منذ عشر سنوات بحسب البيان الرسمي الصادر صباح اليوم.\n"
)
QUESTION = "كم بلغ محصول القمح هذا العام؟"


def _new_article(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "100_wheat.txt"
    path.write_text(NEW, encoding="utf-8")
    return path


def test_an_open_assistant_answers_from_an_ingest_made_elsewhere(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    serving_one = Assistant(fresh_settings)
    before = serving_one.open()
    assert not serving_one.ask(QUESTION).answered
    home = str(fresh_settings.index.home)
    ingest = [sys.executable, "-m", "assistant.cli", "--home", home, "ingest"]
    subprocess.run([*ingest, str(_new_article(tmp_path / "in"))], check=True)  # "another shell"
    answer = serving_one.ask(QUESTION)
    assert answer.answered and answer.citations[0].paragraph.article_id == "100_wheat"
    after = serving_one.open()
    assert after is not before and after.index.report.version != before.index.report.version
    assert before.index.report.articles == 5 and after.index.report.articles == 6


@pytest.mark.slow
def test_a_running_server_answers_from_an_article_ingested_in_another_shell(
    tmp_path: Path,
) -> None:
    from gradio_client import Client

    home = tmp_path / "home"
    home.mkdir()
    with serving(home) as server:
        client = Client(server.url, verbose=False)
        assert not client.predict(QUESTION, [], api_name="/chat")["answered"]
        article = _new_article(tmp_path / "in")
        assert main(["--home", str(home), "ingest", str(article)]) == 0
        result = client.predict(QUESTION, [], api_name="/chat")
    assert result["answered"]
    assert result["citations"][0]["article_id"] == "100_wheat"
