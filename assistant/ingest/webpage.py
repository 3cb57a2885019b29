"""Saved news pages (.html) turned into the same line-per-block text as the scraped .txt files.

Only the text a reader sees is kept: the headline first (the page's first <h1>,
else its <title>), then the blocks of the main content (<article>, else <main>,
else <body>), one per line. Navigation, headers, footers, sidebars, forms,
scripts and styles are skipped. The result then goes through the ordinary
cleaning rules, so a page and its scraped text give the same paragraphs; a
paragraph's span refers to this extracted text.
"""

from __future__ import annotations

from html.parser import HTMLParser

BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table td th title tr ul".split()
)
SKIPPED = frozenset("aside button footer form head header iframe nav noscript script select "
                    "style svg template".split())  # fmt: skip
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
CONTAINERS = ("article", "main", "body")


class _Collector(HTMLParser):
    """Collects the text of each block, remembering which containers it sits in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.lines: list[tuple[frozenset[str], str]] = []
        self.title = ""
        self.h1 = ""
        self._buffer: list[str] = []
        self._h1: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._flush()
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._flush()
        if tag == "h1" and not self.h1:
            self.h1 = " ".join("".join(self._h1).split())
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "h1" in self.stack and not self.h1:
            self._h1.append(data)  # the headline counts even inside a skipped <header>
        if "title" in self.stack and not self.title:
            self.title = " ".join(data.split())
        elif not SKIPPED.intersection(self.stack):
            self._buffer.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text:
            self.lines.append((frozenset(self.stack), text))

    def close(self) -> None:
        super().close()
        self._flush()


def page_text(html: str) -> str:
    """The page's headline and main-content blocks, one per line."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    container = next(
        (c for c in CONTAINERS if any(c in inside for inside, _ in collector.lines)), None
    )
    blocks = [text for inside, text in collector.lines if container is None or container in inside]
    headline = collector.h1 or collector.title
    if headline and (not blocks or blocks[0] != headline):
        blocks.insert(0, headline)
    return "\n".join(blocks) + "\n"
