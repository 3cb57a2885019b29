"""Security defaults: loopback unless told, a warning when exposed without a password,
no API key and no question text in what the assistant prints at default verbosity."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from conftest import Server
from openai_server import FakeOpenAI, fake_openai

from assistant import AssistantError, Settings
from assistant.cli import build_parser
from ui.server import exposure_warning, parse_auth, serving_line

SECRET = "sk-test-0123456789abcdef"
QUESTION = "ما الذي سحبته روسيا من كوبا؟"


def test_the_server_binds_to_loopback_by_default() -> None:
    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.auth is None


@pytest.mark.parametrize(
    ("host", "auth", "warned"),
    [
        ("127.0.0.1", None, False),
        ("localhost", None, False),
        ("::1", None, False),
        ("0.0.0.0", None, True),
        ("192.168.1.20", None, True),
        ("0.0.0.0", "ana:secret", False),
    ],
)
def test_exposing_the_chat_without_auth_warns(host: str, auth: str | None, warned: bool) -> None:
    warning = exposure_warning(host, parse_auth(auth))
    assert (warning is not None) == warned
    if warned:
        assert host in warning and "--auth" in warning


def test_the_start_up_line_says_how_to_serve_a_network_safely() -> None:
    local = serving_line("http://127.0.0.1:7860/", "127.0.0.1", None)
    assert "this machine only" in local and "--auth" in local and "share" not in local
    exposed = serving_line("http://0.0.0.0:7860/", "0.0.0.0", ("ana", "pw"))
    assert "password required" in exposed and "pw" not in exposed


@pytest.mark.parametrize("auth", ["ana", ":secret", "ana:", ":"])
def test_malformed_auth_is_refused(auth: str) -> None:
    with pytest.raises(AssistantError, match="user:password"):
        parse_auth(auth)


@pytest.fixture
def refusing() -> Iterator[FakeOpenAI]:
    with fake_openai() as server:
        server.behaviour.status = 401
        yield server


@pytest.mark.slow
def test_neither_the_api_key_nor_the_question_is_printed(
    refusing: FakeOpenAI, settings: Settings
) -> None:
    command = [
        sys.executable, "-m", "assistant.cli", "--home", str(settings.index.home), "ask",
        "--llm-base-url", refusing.base_url, "--llm-model", "m", "--llm-api-key", SECRET,
        QUESTION,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0  # the extractive answer, with a notice
    assert "401" in result.stdout and "ASSISTANT_LLM_API_KEY" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    assert QUESTION not in result.stderr  # logs (stderr) never carry the question
    headers, _ = refusing.requests[0]
    assert headers["Authorization"] == f"Bearer {SECRET}"  # it was sent, only to the endpoint


@pytest.mark.slow
def test_nothing_a_visitor_sends_makes_the_server_connect_anywhere(ui_server: Server) -> None:
    """A listener on loopback stands for any host the server could reach: however the
    page's events and the `/chat` API are called, it must receive no connection."""
    from gradio_client import Client

    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen()
        trap.settimeout(0.5)
        url = f"http://127.0.0.1:{trap.getsockname()[1]}/v1"
        client = Client(ui_server.url, verbose=False)
        for message in (url, f"{url} llm fake-model", f'{{"llm_base_url": "{url}"}}'):
            history = [url, {"role": "user", "content": url}]
            result = client.predict(message, history, api_name="/chat")
            assert "citations" in result or "error" in result
        with contextlib.suppress(Exception):  # refused or ignored: either way, no endpoint
            client.predict(QUESTION, [], url, "fake-model", api_name="/chat")
        config = httpx.get(ui_server.url + "config", timeout=30).json()
        labels = {str(c.get("props", {}).get("label")) for c in config["components"]}
        assert not labels & {"Endpoint URL", "Model", "API key"}
        endpoints = [d for d in config["dependencies"] if d.get("api_visibility") != "private"]
        # `/chat`, and Gradio's own `load_example`, which only fills the question box
        assert sorted(d.get("api_name") for d in endpoints) == ["chat", "load_example"]
        with pytest.raises(TimeoutError):
            trap.accept()
