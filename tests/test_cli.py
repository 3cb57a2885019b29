"""The `assistant` command as a user runs it: a real process, real index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import DEFAULT_CORPUS


def run(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli") / "home"
    result = run(home, "ingest")
    assert result.returncode == 0, result.stderr
    assert "Indexed 5 articles, 63 paragraphs" in result.stdout
    return home


def test_ask_prints_answer_and_sources(home: Path) -> None:
    result = run(home, "ask", "ما الذي سحبته روسيا من كوبا؟")
    assert result.returncode == 0 and result.stderr == ""
    assert "[1]" in result.stdout and "002_5ea31fea1596766f · ¶11" in result.stdout


def test_ask_json_is_the_answer_object(home: Path) -> None:
    result = run(home, "ask", "What did Russia withdraw from Cuba?", "--json")
    answer = json.loads(result.stdout)
    assert answer["answered"] and answer["language"] == "en"
    first = answer["citations"][0]
    assert (first["marker"], first["article_id"], first["paragraph"]) == (
        1,
        "002_5ea31fea1596766f",
        11,
    )
    assert first["text"].startswith("وأشار بوتين إلى أن الولايات المتحدة")


def test_search_lists_passages(home: Path) -> None:
    result = run(home, "search", "طاجاكستان", "-k", "3", "--json")
    passages = json.loads(result.stdout)
    assert len(passages) == 3 and all(p["article_id"] == "003_6ccabab89841b932" for p in passages)


def test_errors_are_one_line_without_traceback(home: Path) -> None:
    result = run(home, "ask", "   ")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "error: The question is empty. Please type a question about the articles."
    )
    result = run(home, "ingest", str(home / "missing"))
    assert result.returncode == 2 and "no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_is_reported(home: Path) -> None:
    env_result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "سؤال"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "ASSISTANT_HOME": str(home), "ASSISTANT_TOP_K": "lots"},
    )  # fmt: skip
    assert env_result.returncode == 2 and "top_k" in env_result.stderr


def test_ingest_adds_a_file_and_chat_follows_up(home: Path, tmp_path: Path) -> None:
    article = tmp_path / "200_extra.txt"
    article.write_text(
        (DEFAULT_CORPUS / "003_6ccabab89841b932.txt")
        .read_text(encoding="utf-8")
        .replace("روسيا", "روسيا الاتحادية"),
        encoding="utf-8",
    )
    result = run(home, "ingest", str(article))
    assert result.returncode == 0 and "Indexed 6 articles" in result.stdout
    chat = run(home, "chat", stdin="من هو السفير الروسي لدى واشنطن؟\nوماذا قال عن الهجمات؟\n\n")
    assert chat.returncode == 0 and chat.stdout.count("[1]") >= 2


def test_chat_commands_and_small_talk(home: Path) -> None:
    lines = [
        "/help",
        "hello",
        "ما الذي سحبته روسيا من كوبا؟",
        "/sources 1",
        "/sources 9",
        "/new",
        "/sources 1",
        "/nonsense",
        "exit",
        "ما الذي سحبته روسيا من كوبا؟",  # never asked: exit came first
    ]
    chat = run(home, "chat", stdin="\n".join(lines) + "\n")
    out = chat.stdout
    assert chat.returncode == 0 and "/sources N" in out
    assert "Hello. Ask me about anything in the archive" in out
    assert out.count("بحسب ما ورد في المقالات") == 1  # the question after exit was not asked
    paragraph = out.split("[1] ")[-1]
    assert "002_5ea31fea1596766f · ¶11" in paragraph and "قاعدتها العسكرية" in paragraph
    assert "no source [9]; its sources are: [1]" in out
    assert "New conversation." in out and "No answer yet" in out
    assert "Unknown command /nonsense" in out
