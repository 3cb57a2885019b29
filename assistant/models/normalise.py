"""Unit-length vectors, the form every embedder returns and the store's cosine assumes."""

from __future__ import annotations

import numpy as np


def unit(vectors: np.ndarray) -> np.ndarray:
    """Each vector (the last axis) divided by its length, in the input's precision.

    Callers pass float32 or wider: bf16 outputs normalised in bf16 are off by up to 0.5%.
    """
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)
