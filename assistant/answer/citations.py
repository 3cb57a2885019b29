"""Checking the markers a language model wrote against the passages it was given.

The model sees passages numbered 1..k. A marker that names no passage is
removed and counted; the valid ones are renumbered in order of first use, so
the answer's [1], [2], ... match the citation list exactly as in extractive mode.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.ingest.paragraphs import sentence_spans
from assistant.types import Source

# [1] [1, 2] [1،2] [١] — one bracket group may hold several numbers.
_GROUP = re.compile(r"\s*\[\s*([0-9٠-٩]+(?:\s*[,،]\s*[0-9٠-٩]+)*)\s*\]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@dataclass(frozen=True)
class Checked:
    """The answer text with only valid markers, renumbered.

    `cited[i]` is the 0-based passage index behind marker i+1; `claims[i]` are the
    answer's sentences that carry marker i+1 (used to find the quoted sentences).
    """

    text: str
    cited: tuple[int, ...]
    claims: tuple[tuple[str, ...], ...]
    dropped: int


def check_markers(text: str, passages: int) -> Checked:
    order: list[int] = []
    dropped = 0

    def renumber(match: re.Match[str]) -> str:
        nonlocal dropped
        kept = []
        for raw in re.split(r"\s*[,،]\s*", match[1]):
            n = int(raw.translate(_DIGITS))
            if not 1 <= n <= passages:
                dropped += 1
                continue
            if n - 1 not in order:
                order.append(n - 1)
            kept.append(f"[{order.index(n - 1) + 1}]")
        return " " + "".join(dict.fromkeys(kept)) if kept else ""

    checked = _GROUP.sub(renumber, text).strip()
    return Checked(checked, tuple(order), _claims(checked, len(order)), dropped)


_LEADING = re.compile(r"^(?:\[\d+\]\s*)+")


def _claims(text: str, markers: int) -> tuple[tuple[str, ...], ...]:
    sentences = [text[s.start : s.end] for s in sentence_spans(text)] or [text]
    for i in range(1, len(sentences)):  # "claim. [1] Next…": the marker closes the claim before
        if lead := _LEADING.match(sentences[i]):
            sentences[i - 1] += " " + lead[0].strip()
            sentences[i] = sentences[i][lead.end() :]
    return tuple(
        tuple(s for s in sentences if f"[{m}]" in s) or (text,) for m in range(1, markers + 1)
    )


def fence(passages: Sequence[str]) -> str:
    """Passages as quoted material the model must not take orders from.

    Angle brackets inside a passage are neutralised so that its text cannot
    close the fence and pose as instructions.
    """
    blocks = []
    for n, text in enumerate(passages, start=1):
        safe = text.replace("<", "‹").replace(">", "›")
        blocks.append(f'<passage id="{n}">\n{safe}\n</passage>')
    return "<passages>\n" + "\n".join(blocks) + "\n</passages>"


def source_note(source: Source, separator: str = ", ") -> str:
    """The outlet and date a quote comes from ("Okaz, 2015-08-03"); empty when unknown."""
    return separator.join(part for part in (source.outlet, source.iso_date) if part)
