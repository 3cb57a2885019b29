"""Readers' verdicts: written as JSON Lines under the home, merged on reading, exported by
the CLI, and disliked answers turned into evaluation questions to review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.cli import main
from assistant.export import answer_record
from assistant.feedback import FeedbackLog, candidates

SETTINGS = {"mode": "extractive", "passages": 5}


@pytest.fixture(scope="module")
def record(assistant: Assistant) -> dict[str, object]:
    return answer_record(assistant.ask("ما الذي سحبته روسيا من كوبا؟"))


def test_a_verdict_and_its_note_are_lines_merged_on_reading(
    tmp_path: Path, record: dict[str, object]
) -> None:
    log = FeedbackLog.at_home(tmp_path)
    liked = log.record("up", record, SETTINGS)
    disliked = log.record("down", record, SETTINGS)
    log.add_note(disliked.id, "the quote does not say what was withdrawn")
    log.add_note(disliked.id, "wrong paragraph")
    lines = (tmp_path / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["kind"] for line in lines] == ["verdict", "verdict", "note", "note"]
    items, problems = log.read()
    assert problems == [] and [i.id for i in items] == [liked.id, disliked.id]
    assert items[1].notes == ("the quote does not say what was withdrawn", "wrong paragraph")
    assert items[1].answer["citations"] == record["citations"]
    assert items[1].settings == SETTINGS


def test_a_damaged_line_is_reported_by_line_and_the_rest_is_kept(
    tmp_path: Path, record: dict[str, object]
) -> None:
    log = FeedbackLog.at_home(tmp_path)
    log.record("down", record, SETTINGS)
    with log.path.open("a", encoding="utf-8") as sink:
        sink.write('{"kind": "verdict", "id": "cut sh')  # a write cut short
    items, problems = log.read()
    assert len(items) == 1
    assert problems == [f"{log.path}:2: " + problems[0].split(": ", 1)[1]]
    assert "line skipped" in problems[0]


def test_disliked_answers_become_candidate_questions(
    tmp_path: Path, record: dict[str, object]
) -> None:
    log = FeedbackLog.at_home(tmp_path)
    log.record("up", record, SETTINGS)
    disliked = log.record("down", record, SETTINGS)
    log.add_note(disliked.id, "wrong paragraph")
    (candidate,) = candidates(log.read()[0])
    assert candidate["question"] == record["question"] and candidate["language"] == "ar"
    assert candidate["gold"] == [] and candidate["facts"] == []
    assert "wrong paragraph" in candidate["note"] and "¶" in candidate["note"]


def test_the_cli_exports_feedback_and_candidates(
    tmp_path: Path, record: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    log = FeedbackLog.at_home(tmp_path)
    log.record("up", record, SETTINGS)
    log.record("down", record, SETTINGS)
    assert main(["--home", str(tmp_path), "feedback", "export"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["verdict"] for line in out.splitlines()] == ["up", "down"]
    assert "2 feedback items (1 👍, 1 👎)" in err
    target = tmp_path / "candidates.jsonl"
    command = ["feedback", "export", "--candidates", "-o", str(target)]
    assert main(["--home", str(tmp_path), *command]) == 0
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1 and rows[0]["type"] == "candidate"
