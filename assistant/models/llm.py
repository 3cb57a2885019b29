"""A client for any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp, OpenAI).

Only `/chat/completions` with `stream=true` is used, read as server-sent events.
Failures before the first token (refused connection, 429, 5xx) are retried a
bounded number of times; everything ends within one deadline, so the caller can
still fall back to the extractive answer in time. The API key is sent as a
bearer token and never appears in a message, a log line or a repr.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from assistant.errors import AssistantError
from assistant.settings import LLMConfig

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# After the endpoint was found down, further calls fail at once for this long, so
# one question does not wait out the timeout once per call (rewrite, translate, answer).
DOWN_SECONDS = 10.0
Message = dict[str, str]


class LLMError(AssistantError):
    """The LLM endpoint could not give an answer; the caller falls back."""


class EndpointUnreachable(LLMError):
    """Refused, unresolvable, or silent past the timeout."""


class EndpointRejected(LLMError):
    """The endpoint answered with an error the user must fix (key, URL, model)."""


class BadResponse(LLMError):
    """The endpoint answered with something that is not the chat-completions protocol."""


class ChatClient:
    """Streams chat completions from one endpoint; `transport` is the test seam."""

    def __init__(self, endpoint: LLMConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.endpoint = endpoint
        headers = {"Accept": "text/event-stream"}
        if endpoint.api_key:
            headers["Authorization"] = f"Bearer {endpoint.api_key}"
        self._http = httpx.Client(headers=headers, transport=transport, trust_env=False)
        self._down_until = 0.0
        self._down_reason = ""

    def complete(self, messages: Sequence[Message], max_tokens: int | None = None) -> str:
        return "".join(self.stream(messages, max_tokens)).strip()

    def stream(self, messages: Sequence[Message], max_tokens: int | None = None) -> Iterator[str]:
        """Text deltas as they arrive; raises an `LLMError` subclass on any failure."""
        if time.monotonic() < self._down_until:
            raise EndpointUnreachable(self._down_reason)
        try:
            yield from self._attempts(messages, max_tokens)
        except EndpointUnreachable as exc:
            self._down_until = time.monotonic() + DOWN_SECONDS
            self._down_reason = exc.message
            raise

    def _attempts(self, messages: Sequence[Message], max_tokens: int | None) -> Iterator[str]:
        e = self.endpoint
        body = {
            "model": e.model,
            "messages": list(messages),
            "stream": True,
            "temperature": e.temperature,
            "max_tokens": max_tokens or e.max_tokens,
        }
        deadline = time.monotonic() + e.timeout
        for attempt in range(1, e.attempts + 1):
            try:
                yield from self._once(body, deadline)
                return
            except _Retry as retry:
                pause = min(retry.after or 0.25 * 2**attempt, deadline - time.monotonic())
                if attempt == e.attempts or pause <= 0:
                    raise EndpointUnreachable(retry.message) from None
                time.sleep(pause)

    def _once(self, body: dict[str, Any], deadline: float) -> Iterator[str]:
        e = self.endpoint
        remaining = deadline - time.monotonic()
        timeout = httpx.Timeout(
            min(e.read_timeout, remaining), connect=min(e.connect_timeout, remaining)
        )
        started = False
        try:
            with self._http.stream("POST", e.url, json=body, timeout=timeout) as response:
                _check_status(response, e)
                for delta in _deltas(response):
                    started = True
                    if time.monotonic() > deadline:
                        raise EndpointUnreachable(
                            f"The LLM endpoint did not finish within {e.timeout:g} s."
                        )
                    yield delta
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retry(f"Cannot reach the LLM endpoint at {e.base_url} ({exc}).") from None
        except httpx.TimeoutException:
            raise EndpointUnreachable(
                f"The LLM endpoint at {e.base_url} went silent for more than "
                f"{min(e.read_timeout, remaining):.0f} s."
            ) from None
        except httpx.TransportError as exc:
            if not started:
                raise _Retry(f"The LLM endpoint at {e.base_url} failed: {exc}.") from None
            raise EndpointUnreachable(
                f"The LLM endpoint at {e.base_url} dropped the answer midway ({exc})."
            ) from None


class _Retry(Exception):
    """A failure worth trying again (nothing was streamed yet)."""

    def __init__(self, message: str, after: float | None = None) -> None:
        super().__init__(message)
        self.message, self.after = message, after


def _check_status(response: httpx.Response, e: LLMConfig) -> None:
    status = response.status_code
    if status < 400:
        return
    response.read()
    detail = _error_detail(response)
    if status in RETRY_STATUS:
        after = response.headers.get("Retry-After", "")
        raise _Retry(
            f"The LLM endpoint at {e.base_url} answered {status}{detail}.",
            float(after) if after.isdigit() else None,
        )
    if status in (401, 403):
        raise EndpointRejected(
            f"The LLM endpoint refused the request ({status}){detail}: "
            "check ASSISTANT_LLM_API_KEY (--llm-api-key)."
        )
    if status == 404:
        raise EndpointRejected(
            f"The LLM endpoint has no {e.url} or no model {e.model!r} (404){detail}: check "
            "ASSISTANT_LLM_BASE_URL (it usually ends in /v1) and ASSISTANT_LLM_MODEL."
        )
    raise EndpointRejected(f"The LLM endpoint answered {status}{detail}.")


def _error_detail(response: httpx.Response) -> str:
    """The server's own error message, shortened, when it sent one."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return ""
    message = error.get("message") if isinstance(error, dict) else error
    return f": {str(message)[:200]}" if message else ""


def _deltas(response: httpx.Response) -> Iterator[str]:
    """Content deltas from an SSE stream, or from one JSON body if the server ignored stream."""
    if response.headers.get("content-type", "").startswith("application/json"):
        response.read()
        yield _content(_json(response.text), "message")
        return
    finished = False
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue  # comments, event names, keep-alives
        payload = line[5:].strip()
        if payload == "[DONE]":
            return
        chunk = _json(payload)
        delta = _content(chunk, "delta")
        finished = finished or any(c.get("finish_reason") for c in chunk.get("choices") or [])
        if delta:
            yield delta
    if not finished:  # some servers omit [DONE], but a finish_reason marks a complete answer
        raise httpx.RemoteProtocolError("the stream ended before the answer was complete")


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise BadResponse(f"The LLM endpoint sent invalid JSON: {text[:80]!r}") from None
    if not isinstance(data, dict):
        raise BadResponse(f"The LLM endpoint sent unexpected JSON: {text[:80]!r}")
    return data


def _content(chunk: dict[str, Any], key: str) -> str:
    if "error" in chunk:
        raise BadResponse(f"The LLM endpoint reported an error: {str(chunk['error'])[:200]}")
    try:
        choices = chunk["choices"]
        content = choices[0][key].get("content") if choices else ""
    except (KeyError, IndexError, TypeError, AttributeError):
        raise BadResponse(
            f"The LLM endpoint's reply is not a chat completion: {str(chunk)[:120]}"
        ) from None
    if content is not None and not isinstance(content, str):
        raise BadResponse("The LLM endpoint sent non-text content.")
    return content or ""
