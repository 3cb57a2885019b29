"""Syndicated copies: one agency report carried by several outlets, told once.

Outlets run the same wire story with small edits (a word changed, a caption
prepended, hamzas spelt apart). Among search results such copies took several
of the five places with one report (exact copies alone cost the 145
questions' recall@5 over the whole archive 0.904 -> 0.890 in Arabic, 0.673 ->
0.655 in English), and looked like independent sources. A paragraph is a
copy of a better-ranked one when their character 5-grams, over normalised
Arabic, overlap by `similarity` or more (Jaccard), or the shorter's lie all
but 5% in the longer's (outlets split one report into paragraphs
differently). Measured on 30 SaudiNewsNet paragraph pairs from
search results, labelled by hand (evals/experiments.md): 0.75 and 95% group
10 of the 12 copies with one false pair (an execution statement's template
text), and keep apart two outlets' own reports of one event, such as the
default articles 000 and 004. Texts under `MIN_WORDS` words match only
when their normalised text is the same, and punctuation alone never: a dash
or a brace is nobody's report. The copies are found among the ranked
candidates, where they sit side by side since they score alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.arabic import tokens

SHINGLE = 5  # characters: a name spelt apart (فلامينغو, فلامينجو) changes a few
MIN_WORDS = 8
LOOK_AHEAD = 4
CONTAINED = 0.95


@dataclass(frozen=True)
class Fingerprint:
    """What two paragraphs are compared by: their normalised text and its character
    5-grams (none under `MIN_WORDS` words)."""

    text: str
    shingles: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        words = tokens(text)  # normalised already
        joined = " ".join(words)
        if len(words) < MIN_WORDS:
            return cls(joined, frozenset())
        grams = (joined[i : i + SHINGLE] for i in range(len(joined) - SHINGLE + 1))
        return cls(joined, frozenset(grams))

    def copies(self, other: Fingerprint, similarity: float) -> bool:
        """The same words, or 5-grams shared by `similarity` (Jaccard), or all but
        `1 - CONTAINED` of the shorter's 5-grams in the longer's: outlets split one
        report into paragraphs differently."""
        if not self.text or not other.text:
            return False  # punctuation alone is nobody's report
        if self.text == other.text:
            return True
        if not self.shingles or not other.shingles:
            return False
        shared = len(self.shingles & other.shingles)
        union = len(self.shingles | other.shingles)
        shorter = min(len(self.shingles), len(other.shingles))
        return shared / union >= similarity or shared / shorter >= CONTAINED


def one_per_report(
    ordered: Sequence[tuple[str, str]], k: int, similarity: float
) -> list[tuple[str, list[str]]]:
    """The first `k` of `ordered` (key, text) pairs that copy no better one, each with
    the keys of the later ones that copy it, looked for up to `LOOK_AHEAD` times `k`
    candidates past the last one kept."""
    kept: list[tuple[str, Fingerprint, list[str]]] = []
    limit = len(ordered)
    for i, (key, text) in enumerate(ordered):
        if i >= limit:
            break
        mark = Fingerprint.of(text)
        original = next((c for _, f, c in kept if f.copies(mark, similarity)), None)
        if original is not None:
            original.append(key)
        elif len(kept) < k:
            kept.append((key, mark, []))
            if len(kept) == k:
                limit = i + 1 + LOOK_AHEAD * k
    return [(key, copies) for key, _, copies in kept]
