"""`assistant chat`: a conversation on the command line, with a few commands.

A line is a question unless it is `exit`/`quit` or a `/command`; the commands
are a registry (`COMMANDS`), each a method taking the rest of the line.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.errors import AssistantError
from assistant.pipeline import AnswerStream
from assistant.prompts import load_prompt
from assistant.types import Answer, Paragraph

QUITS = frozenset({"exit", "quit", "/exit", "/quit", "/q"})


class ChatLoop:
    """One conversation: earlier questions for follow-ups, the last answer for /sources."""

    def __init__(
        self,
        ask: Callable[[str, list[str]], AnswerStream],
        show: Callable[[AnswerStream], Answer],
        place: Callable[[Paragraph], str],
    ) -> None:
        self._ask, self._show, self._place = ask, show, place
        self.words = load_prompt("chat", "en")
        self.history: list[str] = []
        self.last: Answer | None = None

    def handle(self, line: str) -> bool:
        """Act on one line; False when the user wants to leave."""
        line = line.strip()
        if not line or line.casefold() in QUITS:
            return False
        if line.startswith("/"):
            name, _, rest = line.partition(" ")
            command = COMMANDS.get(name.casefold())
            if command is None:
                print(self.words["bad_command"].format(command=name))
            else:
                command(self, rest.strip())
            return True
        try:
            self.last = self._show(self._ask(line, self.history))
            self.history.append(line)
        except AssistantError as exc:
            print(exc.message)
        return True

    def help(self, _: str) -> None:
        print(self.words["help"])

    def new(self, _: str) -> None:
        self.history, self.last = [], None
        print(self.words["new"])

    def sources(self, rest: str) -> None:
        if self.last is None:
            print(self.words["no_answer"])
            return
        by_marker = {str(c.marker): c for c in self.last.citations}
        citation = by_marker.get(rest)
        if citation is None:
            markers = ", ".join(f"[{m}]" for m in by_marker) or "none"
            print(self.words["no_source"].format(n=rest, markers=markers))
            return
        print(f"[{citation.marker}] {citation.paragraph.title}")
        print(f"    {self._place(citation.paragraph)}\n")
        print(citation.paragraph.text)


COMMANDS: dict[str, Callable[[ChatLoop, str], None]] = {
    "/help": ChatLoop.help,
    "/new": ChatLoop.new,
    "/sources": ChatLoop.sources,
}
