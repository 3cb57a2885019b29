"""Starting the web chat: `assistant serve [--host H] [--port P] [--auth user:pass]`."""

from __future__ import annotations

import sys
import time

from assistant import Assistant, AssistantError, Settings
from ui.app import build_app, theme
from ui.render import CSS

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise AssistantError("--auth takes user:password, both non-empty.")
    return user, password


def exposure_warning(host: str, credentials: tuple[str, str] | None) -> str | None:
    """Beyond loopback without a password, anyone on the network can use the assistant."""
    if host in LOOPBACK or credentials is not None:
        return None
    return (
        f"warning: serving on {host} without --auth: anyone who can reach this "
        "machine can use the assistant."
    )


def serve(settings: Settings, host: str, port: int, auth: str | None, block: bool = True) -> str:
    """Build the index if needed, then serve the chat; returns the local URL."""
    credentials = parse_auth(auth)
    if warning := exposure_warning(host, credentials):
        print(warning, file=sys.stderr)
    started = time.perf_counter()
    assistant = Assistant(settings)
    print("Opening the index (the first run embeds the corpus)…", file=sys.stderr, flush=True)
    report = assistant.open().index.report
    print(
        f"Index ready: {report.articles} articles, {report.paragraphs} paragraphs "
        f"({time.perf_counter() - started:.1f} s).",
        file=sys.stderr,
        flush=True,
    )
    app = build_app(assistant)
    app.queue(default_concurrency_limit=4)
    _, url, _ = app.launch(
        server_name=host,
        server_port=port,
        auth=credentials,
        share=False,
        theme=theme(),
        css=CSS,
        footer_links=["api"],
        prevent_thread_lock=not block,
        quiet=False,
    )
    return url
