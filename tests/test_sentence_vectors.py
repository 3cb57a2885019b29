"""Evidence sentences reuse a one-sentence paragraph's stored vector instead of embedding it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant import Assistant
from assistant.answer.extractive import SentenceVectors
from assistant.ingest.paragraphs import sentence_spans
from assistant.models.embedding import Embedder
from assistant.types import Passage


class Counting:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self.embedded: list[str] = []

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += texts
        return self._embedder.passages(texts)

    def query(self, text: str) -> np.ndarray:
        return self._embedder.query(text)


def _one_sentence(p: Passage) -> bool:
    t = p.paragraph.text
    return [t[s.start : s.end] for s in sentence_spans(t)] == [t]


def test_a_one_sentence_paragraph_is_not_embedded_again(assistant: Assistant) -> None:
    passages = assistant.search("ما الذي سحبته روسيا من كوبا؟", k=10)
    index = assistant.open().index
    single = [p for p in passages if _one_sentence(p)]
    assert single and len(single) < len(passages)
    embedder = assistant.open().models.embedder
    counting = Counting(embedder)
    got = SentenceVectors(counting).get(passages, index.paragraph_vectors)
    assert not {p.paragraph.text for p in single} & set(counting.embedded)
    fresh = SentenceVectors(embedder).get(passages)
    for (sentences, vectors), (again, recomputed) in zip(got, fresh, strict=True):
        assert sentences == again
        assert np.allclose(vectors, recomputed, atol=2e-3)
