"""The README's first lines give the two commands; CI must run the test one verbatim."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands() -> list[str]:
    head = ROOT.joinpath("README.md").read_text(encoding="utf-8").splitlines()[:10]
    return [line.strip() for line in head if line.startswith("    ")]


def test_readme_opens_with_a_run_and_a_test_command() -> None:
    run, test = commands()[:2]
    assert "pip install" in run and "assistant" in run
    assert "pip install" in test and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    assert commands()[1] in ROOT.joinpath(".ci/run").read_text(encoding="utf-8")
