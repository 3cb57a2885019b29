"""The evaluation runner end to end on a six-question subset, as `assistant eval` runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openai_server import cite, fake_openai

from assistant import Settings
from assistant.settings import CALIBRATED
from evals.__main__ import evaluated
from evals.__main__ import main as evaluate
from evals.calibrate import fitting_questions
from evals.questions import QUESTIONS_FILE, load_questions
from evals.report import check
from evals.runner import Record, summaries

pytestmark = pytest.mark.slow  # starts a server, an LLM or runs the question set

SUBSET = ("ar001", "ar002", "ar047", "en053", "en054", "en088")


@pytest.fixture
def subset(tmp_path: Path) -> Path:
    rows = [json.loads(line) for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "subset.jsonl"
    chosen = [r for r in rows if r["id"] in SUBSET]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in chosen), encoding="utf-8")
    return path


def test_eval_writes_report_json_markdown_and_chart(
    settings: Settings, subset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    args = ["--home", str(settings.index.home), "--questions", str(subset), "--out", str(out)]
    assert evaluate([*args, "--config", "hybrid", "--config", "baseline"]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {r["id"] for r in report["records"]} == set(SUBSET)
    assert {r["config"] for r in report["records"]} == {"hybrid", "baseline"}
    hybrid = report["summary"]["hybrid/all"]
    assert hybrid["questions"] == 6 and hybrid["recall@5"] == 1.0
    assert hybrid["refusal_precision"] == 1.0 and hybrid["refusal_recall"] == 1.0
    first = next(r for r in report["records"] if r["id"] == "ar001" and r["config"] == "hybrid")
    assert first["cited"][0] == "002_5ea31fea1596766f#11" and first["facts_found"] == [True]
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "| hybrid/ar |" in markdown and "Ahead of the baseline" in markdown
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_check_fails_the_run_under_a_threshold(
    settings: Settings, subset: Path, tmp_path: Path
) -> None:
    strict = tmp_path / "strict.toml"
    strict.write_text('[hybrid.en]\n"recall@1" = 1.01\n')
    args = [
        "--home",
        str(settings.index.home),
        "--questions",
        str(subset),
        "--out",
        str(tmp_path),
    ]
    assert evaluate([*args, "--config", "hybrid", "--check", "--thresholds", str(strict)]) == 1
    assert "FAIL hybrid/en recall@1" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_an_invalid_question_set_is_refused(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"id": "b1", "language": "ar", "type": "factoid", "question": "؟",
                    "gold": [{"article_id": "nope", "paragraph": 9}], "facts": [["x"]]}),
        encoding="utf-8",
    )  # fmt: skip
    assert evaluate(["--home", str(settings.index.home), "--questions", str(bad)]) == 2


def test_check_reads_nan_as_a_failure() -> None:
    table = {"hybrid/ar": {"mrr": float("nan"), "recall@5": 0.99}}
    assert check(table, {"hybrid/ar": {"mrr": 0.5, "recall@5": 0.9}}) == [
        "hybrid/ar mrr = nan < 0.500"
    ]


def test_the_llm_configuration_reports_dropped_markers(
    settings: Settings, subset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fake_openai() as server:
        server.behaviour.answer = lambda body: cite(1)(body) + " [7]"  # one invented marker each
        monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("ASSISTANT_LLM_MODEL", "fake-model")
        out = tmp_path / "report"
        args = ["--home", str(settings.index.home), "--questions", str(subset), "--out", str(out)]
        assert evaluate([*args, "--config", "llm"]) == 0
    summary = json.loads((out / "report.json").read_text(encoding="utf-8"))["summary"]["llm/all"]
    assert summary["llm_answer_share"] == 1.0 and summary["dropped_marker_rate"] == 1.0
    assert summary["recall@5"] == 1.0


def _record(qid: str, language: str, subset: str, retrieved: tuple[str, ...]) -> Record:
    return Record(
        config="hybrid", id=qid, language=language, type="factoid", question="?",
        gold=("a#1",), retrieved=retrieved, cited=("a#1",), answered=True, answer="«x» [1]",
        facts_found=(True,), confidence=0.9, seconds=0.01, subset=subset,
    )  # fmt: skip


def test_each_subset_of_the_set_is_scored_apart() -> None:
    """The coverage questions, written after calibration, must not hide inside the whole."""
    table = summaries(
        [
            _record("ar1", "ar", "core", ("a#1",)),
            _record("ar2", "ar", "coverage", ("b#1",)),
            _record("en1", "en", "core", ("a#1",)),
        ]
    )
    assert table["hybrid/ar"]["recall@5"] == 0.5
    assert table["hybrid/core:ar"]["recall@5"] == 1.0
    assert table["hybrid/coverage:ar"]["recall@5"] == 0.0
    assert "hybrid/coverage:en" not in table  # no such questions: no row of NaNs


def test_the_shipped_set_marks_its_subsets() -> None:
    questions = load_questions()
    subsets = {q.subset for q in questions}
    assert subsets == {"core", "coverage"}
    assert sum(q.subset == "core" for q in questions) == 97


def test_calibration_fits_on_the_core_subset_only() -> None:
    """The coverage subset is the held-out check: no calibrated value may have seen it."""
    fitted = fitting_questions(load_questions())
    assert len(fitted) == 97 and {q.subset for q in fitted} == {"core"}


@pytest.mark.parametrize(
    ("flag", "environ", "expected"),
    [
        (None, {}, CALIBRATED),  # the gate's default: the same vectors on every CPU
        (None, {"ASSISTANT_EMBED_PRECISION": "fp32"}, "fp32"),  # the user's setting holds
        ("auto", {"ASSISTANT_EMBED_PRECISION": "fp32"}, "auto"),  # the flag wins
    ],
)
def test_the_evaluation_float_type_follows_flag_then_environment(
    flag: str | None, environ: dict[str, str], expected: str, tmp_path: Path
) -> None:
    settings = Settings.load(env=environ, home=tmp_path, embed_precision=flag)
    assert evaluated(settings).index.embed_precision == expected
