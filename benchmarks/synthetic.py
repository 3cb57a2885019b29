"""Synthetic Arabic news at any size, recombined from the real corpus's sentences.

Each synthetic article has a title and paragraphs of 2-4 sentences drawn (with a
fixed seed) from the real articles, so the text stays Arabic news with the
real vocabulary and sentence lengths, and the same seed gives the same files.

Embedding 100k paragraphs with the default model takes about an hour here
(~30 paragraphs/s), so speed runs at scale use `SentenceMean`: each distinct
sentence is embedded once and a paragraph's vector is the normalised mean of
its sentences' vectors. The vectors stay in the model's space (similar
distribution, same dimension), which is what search latency depends on;
ingest throughput with the real model is measured separately.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.ingest.corpus import Corpus
from assistant.ingest.paragraphs import sentences
from assistant.models.embedding import Embedder

PARAGRAPHS_PER_ARTICLE = 15


def corpus_sentences(corpus: Corpus) -> list[str]:
    """The distinct sentences of the corpus, in corpus order."""
    seen = dict.fromkeys(s for p in corpus.paragraphs for s in sentences(p.text))
    return [s for s in seen if len(s.split()) >= 4]


def write_articles(
    folder: Path, pool: Sequence[str], paragraphs: int, seed: int = 7, prefix: str = "syn"
) -> list[Path]:
    """About `paragraphs` paragraphs in articles of `PARAGRAPHS_PER_ARTICLE` each."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(-(-paragraphs // PARAGRAPHS_PER_ARTICLE)):
        count = min(PARAGRAPHS_PER_ARTICLE, paragraphs - n * PARAGRAPHS_PER_ARTICLE)
        title = " ".join(rng.choice(pool).split()[:9])
        body = [" ".join(rng.sample(pool, rng.randint(2, 4))) for _ in range(count)]
        path = folder / f"{prefix}_{n:06d}.txt"
        path.write_text(f"{title}\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        files.append(path)
    return files


class SentenceMean:
    """Paragraph vectors as the normalised mean of cached sentence vectors (speed runs only)."""

    def __init__(self, model: Embedder) -> None:
        self._model = model
        self.name = f"{model.name}-sentence-mean"
        self.dim = model.dim
        self._cache: dict[str, np.ndarray] = {}

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        parts = [sentences(t) or [t] for t in texts]
        missing = list(dict.fromkeys(s for p in parts for s in p if s not in self._cache))
        if missing:
            self._cache.update(zip(missing, self._model.passages(missing), strict=True))
        means = np.array([np.mean([self._cache[s] for s in p], axis=0) for p in parts])
        means = means.reshape(len(texts), self.dim).astype(np.float32)
        return means / np.linalg.norm(means, axis=1, keepdims=True)

    def query(self, text: str) -> np.ndarray:
        return self._model.query(text)
