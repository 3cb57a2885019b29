"""A question's scope (outlets, a period) as each side of the index applies it.

The dense side passes it to the vector store as a metadata filter (Chroma's
`where`, on the `outlet` and `day` fields every vector is stored with), so
the nearest vectors are sought among the admitted ones only. The lexical side
masks BM25 scores with one boolean per paragraph, computed from two columns
held beside the BM25 index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.types import Paragraph, Scope
from store import Where


def where(scope: Scope) -> Where | None:
    """The vector store's filter for `scope`; None when it admits everything."""
    if scope.everything:
        return None
    since, until = scope.days
    return Where(tuple(sorted(scope.outlets)), since, until)


@dataclass(frozen=True)
class SourceColumns:
    """Each lexical document's outlet key and day, in the BM25 index's key order."""

    outlets: np.ndarray
    days: np.ndarray

    @classmethod
    def of(cls, paragraphs: Sequence[Paragraph]) -> SourceColumns:
        outlets = np.array([p.source.outlet_key for p in paragraphs], dtype=object)
        days = np.array([p.source.day for p in paragraphs], dtype=np.int32)
        return cls(outlets, days)

    def admitted(self, scope: Scope) -> np.ndarray | None:
        """True for the documents `scope` admits; None when it admits everything."""
        if scope.everything:
            return None
        mask = np.ones(len(self.days), dtype=bool)
        if scope.outlets:
            mask &= np.isin(self.outlets, list(scope.outlets))
        since, until = scope.days
        if since is not None:
            mask &= self.days >= since
        if until is not None:
            mask &= (self.days <= until) & (self.days > 0)
        return mask
