"""Whether the retrieved paragraphs answer the question at all.

A threshold on the best evidence score, fitted on five articles, stopped
refusing anything among 31,000: in a crowded archive every question finds a
sentence about its subject, so the best score rises for the questions the
archive cannot answer as much as for those it can. What still tells them
apart is measured against the index itself: how much of the question's IDF
(this index's own BM25 statistics, so a word rare in this archive weighs
more) the evidence paragraph holds, whether it holds the question's rarest
word, whether one paragraph stands out of BM25's list or ten match about as
well, and how far the best sentence rises above the others. A logistic model
over these and the evidence score, fitted per language on questions asked of
the whole SaudiNewsNet archive, with and without the five articles that
answer the project's 145 (`python -m evals.answerability`), decides in an
index of `min_paragraphs` or more; the held-out check is a corpus it never
saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from assistant.arabic import terms
from assistant.settings import Answerability
from assistant.types import Passage, Query
from store import LexicalIndex

FEATURES = ("support", "coverage", "rarest", "dense", "standout", "tail")
TAIL_RANK = 10  # `tail` compares BM25's best hit with its tenth


def signals(
    query: Query,
    supports: Sequence[float],
    cited: Passage,
    passages: Sequence[Passage],
    lexical: LexicalIndex,
) -> np.ndarray:
    """FEATURES for one question: `supports` are the evidence sentences' scores,
    `cited` the paragraph of the best one, `passages` all that were retrieved.

    `support` is the best sentence's score and `standout` how far it rises above
    the median sentence's; `coverage` is the share of the question's IDF that
    `cited` holds and `rarest` whether it holds the question's rarest word;
    `dense` is the best passage's cosine; `tail` is BM25's tenth hit's score as
    a share of its first across the whole index: near 1 when many paragraphs
    match the question's words as well as the best does, as when none holds
    what it asks.
    """
    wanted = list(dict.fromkeys(terms(query.lexical_text)))
    known = {term: w for term in wanted if (w := lexical.idf(term)) > 0}
    held = {term: bool(lexical.holding(term, [cited.key])[0]) for term in known}
    coverage = sum(known[t] for t, h in held.items() if h) / (sum(known.values()) or 1.0)
    rarest = held[max(known, key=lambda t: known[t])] if known else False
    dense = max((p.dense for p in passages if p.dense is not None), default=0.0)
    hits = lexical.search(wanted, TAIL_RANK)
    tail = hits[-1][1] / hits[0][1] if hits else 1.0
    best = max(supports)
    standout = best - float(np.median(supports))
    return np.array([best, coverage, float(rarest), dense, standout, tail])


Verdict = Literal["answer", "doubt", "decline"]


def verdict(model: Answerability, row: np.ndarray) -> Verdict:
    """Decline under the model's cut; under its doubt, answer saying it may not."""
    odds = float(model.log_odds(row))
    return "decline" if odds < model.cut else "doubt" if odds < model.doubt else "answer"
