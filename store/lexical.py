"""The lexical side of the index: BM25 over normalised, lightly stemmed Arabic terms."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    """BM25 (Lucene variant, bm25s) over pre-tokenised documents, addressed by key."""

    def __init__(self, keys: Sequence[str], documents: Sequence[Sequence[str]]) -> None:
        self.keys = list(keys)
        self._bm25 = bm25s.BM25()
        if self.keys:
            self._bm25.index([list(d) for d in documents], show_progress=False)
        vocab = getattr(self._bm25, "vocab_dict", {}) or {}
        self._vocab = frozenset(t for t in vocab if t)

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every document, in key order; zeros for unknown terms."""
        known = [t for t in query_terms if t in self._vocab]
        if not known or not self.keys:
            return np.zeros(len(self.keys), dtype=np.float32)
        return self._bm25.get_scores(known)

    def search(self, query_terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        """(key, score) of the best `k` documents with a positive score."""
        scores = self.scores(query_terms)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.keys[i], float(scores[i])) for i in order if scores[i] > 0]
