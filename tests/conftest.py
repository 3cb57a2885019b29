"""Shared fixtures: one real index (real Chroma, real e5-small) built once per session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.ingest.corpus import Corpus, load_corpus
from assistant.settings import CALIBRATED, DEFAULT_CORPUS

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
    """The shared index's settings: the calibrated float type, as the evaluation
    gate runs it, so that its verdict does not depend on the CPU."""
    home = tmp_path_factory.mktemp("home")
    return Settings.load(env={"HOME": str(home)}, home=home, embed_precision=CALIBRATED)


@pytest.fixture(scope="session")
def assistant(settings: Settings) -> Assistant:
    built = Assistant(settings)
    built.open()  # build once for the whole session
    return built


@pytest.fixture
def fresh_settings(tmp_path: Path) -> Settings:
    """Settings with an empty home of its own, for tests that change the corpus."""
    return Settings.load(env={"HOME": str(tmp_path)}, home=tmp_path / "home")


@dataclass(frozen=True)
class Server:
    url: str
    startup_seconds: float  # from process start to the first page served
    log: Path  # everything the server printed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_page(
    url: str, process: subprocess.Popen[bytes], log: Path, limit: float = 300
) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"assistant serve exited:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"no page at {url} after {limit} s")


@contextmanager
def serving(home: Path, *flags: str) -> Iterator[Server]:
    """The real `assistant serve FLAGS` in its own process, on a free loopback port."""
    port = _free_port()
    command = [str(Path(sys.executable).with_name("assistant")), "serve", "--port", str(port)]
    env = {**os.environ, "ASSISTANT_HOME": str(home), "HOME": str(home)}
    log = home / f"serve-{port}.log"
    started = time.perf_counter()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, *flags], env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_page(url, process, log)
        yield Server(url, time.perf_counter() - started, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def ui_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home for the web chat servers, so the index is built once for them all."""
    return tmp_path_factory.mktemp("ui-home")


@pytest.fixture(scope="session")
def ui_server(ui_home: Path) -> Iterator[Server]:
    """The web chat as an operator starts it by default: extractive, no LLM."""
    with serving(ui_home) as server:
        yield server
