"""Starting the web chat: `assistant serve [--host H] [--port P] [--auth user:pass]`."""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

from assistant import Assistant, AssistantError, Settings
from ui.app import build_app, theme
from ui.render import CSS, JS

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
    report = assistant.open(_building_notice()).index.report
    print(
        f"Index ready: {report.articles} articles, {report.paragraphs} paragraphs "
        f"({time.perf_counter() - started:.1f} s).",
        file=sys.stderr,
        flush=True,
    )
    app = build_app(assistant, browser_secret(settings.index.home))
    app.queue(default_concurrency_limit=4)
    _, url, _ = app.launch(
        server_name=host,
        server_port=port,
        auth=credentials,
        share=False,
        theme=theme(),
        css=CSS,
        js=JS,
        footer_links=["api"],
        prevent_thread_lock=True,
        quiet=True,  # Gradio's own lines speak of share=True, which a user cannot set
    )
    print(serving_line(url, host, credentials), file=sys.stderr, flush=True)
    if block:
        app.block_thread()
    return url


def browser_secret(home: Path) -> str:
    """The key readers' browsers encrypt their stored conversations with, kept in the
    home so that a restarted server can still read them (Gradio's default is a new
    random key per start, which would forget every conversation)."""
    path = home / "ui-secret"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        secret = secrets.token_hex(32)
        home.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secret, encoding="utf-8")
        return secret


def serving_line(url: str, host: str, credentials: tuple[str, str] | None) -> str:
    """Where the chat is, and how to reach it from elsewhere safely."""
    if host in LOOPBACK:
        return (
            f"Web chat on {url} (this machine only; to serve a network, add "
            "--host 0.0.0.0 --auth user:password)."
        )
    guarded = "password required" if credentials else "no password"
    return f"Web chat on {url} (listening on {host}, {guarded})."


def _building_notice() -> Callable[[int, int], None]:
    """Says once, when a build starts, that texts are being embedded: a first run or
    changed articles; an index already up to date opens without the message."""
    told = False

    def progress(done: int, total: int) -> None:
        nonlocal told
        if not told:
            print(f"Building the index: embedding {total:,} texts…", file=sys.stderr, flush=True)
            told = True

    return progress
