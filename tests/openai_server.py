"""A small OpenAI-protocol server on loopback, for tests of the LLM path.

It speaks `/v1/chat/completions` as the protocol does (server-sent events,
`chat.completion.chunk` objects, `[DONE]`) and can be told to misbehave:
stall, fail with a status, send broken JSON, drop the stream, or cite passages
that do not exist. It answers like an obedient model: it quotes the first
sentence of the passage it is told to cite.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PASSAGE = re.compile(r'<passage id="(\d+)">\n(.*?)\n</passage>', re.S)


def passages_of(body: dict[str, Any]) -> dict[int, str]:
    return {int(n): text for n, text in PASSAGE.findall(body["messages"][-1]["content"])}


def kind_of(body: dict[str, Any]) -> str:
    system = body["messages"][0]["content"]
    if "Rewrite" in system or "أعد صياغة" in system:
        return "condense"
    if "Translate" in system:
        return "translate"
    return "answer"


def cite(n: int) -> Callable[[dict[str, Any]], str]:
    """An answer quoting the first sentence of passage `n` (which may not exist)."""

    def reply(body: dict[str, Any]) -> str:
        passages = passages_of(body)
        text = passages.get(n) or next(iter(passages.values()), "There were no passages.")
        first = re.split(r"(?<=[.؟!])\s", text)[0]
        return f"{first} [{n}]"

    return reply


@dataclass
class Behaviour:
    """What the server does next; tests change it between calls."""

    answer: Callable[[dict[str, Any]], str] = field(default_factory=lambda: cite(1))
    condense: str = ""
    translate: str = ""
    status: int = 200  # e.g. 401, 404, 500
    fail_times: int | None = None  # fail with `status` this many times, then succeed
    stall: float = 0.0  # seconds of silence after the first chunk
    delay: float = 0.0  # seconds before the response starts
    broken_json: bool = False
    drop_after: int | None = None  # close the connection after this many chunks
    chunk: int = 4  # characters per delta
    plain_json: bool = False  # ignore stream=true and send one JSON body


class FakeOpenAI:
    def __init__(self) -> None:
        self.behaviour = Behaviour()
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        server.daemon_threads = True
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def bodies(self, kind: str) -> list[dict[str, Any]]:
        return [body for _, body in self.requests if kind_of(body) == kind]

    def reply_for(self, body: dict[str, Any]) -> str:
        b = self.behaviour
        kind = kind_of(body)
        return {"condense": b.condense, "translate": b.translate}.get(kind) or b.answer(body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                fake.requests.append((dict(self.headers), body))
                if not self.path.endswith("/v1/chat/completions"):
                    return self._error(404, "not found")
                fake.serve(self, body)

            def _error(self, status: int, message: str) -> None:
                payload = json.dumps({"error": {"message": message}}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def serve(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        b = self.behaviour
        time.sleep(b.delay)
        if b.status != 200 and (b.fail_times is None or b.fail_times > 0):
            if b.fail_times:
                b.fail_times -= 1
            handler._error(b.status, f"fake failure {b.status}")  # type: ignore[attr-defined]
            return
        text = self.reply_for(body)
        if b.plain_json or not body.get("stream"):
            return self._send_json(handler, body, text)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.end_headers()
        try:
            for i, line in enumerate(self._events(body, text)):
                if b.drop_after is not None and i >= b.drop_after:
                    return  # HTTP/1.0: the connection closes with no finish_reason, no [DONE]
                handler.wfile.write(line.encode())
                handler.wfile.flush()
                if i == 1 and b.stall:
                    time.sleep(b.stall)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should after a stall

    def _events(self, body: dict[str, Any], text: str) -> Iterator[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            data = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        step = self.behaviour.chunk
        for start in range(0, len(text), step):
            if self.behaviour.broken_json and start >= step:
                yield 'data: {"choices": [{"delta": {"content": "oops"\n\n'
                return
            yield chunk({"content": text[start : start + step]})
        yield chunk({}, "stop")
        yield "data: [DONE]\n\n"

    def _send_json(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], text: str) -> None:
        payload = json.dumps(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "model": body.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
            }
        ).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


@contextmanager
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    try:
        yield server
    finally:
        server.stop()
