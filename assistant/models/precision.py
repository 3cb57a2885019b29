"""The float type the encoder runs in: bf16 or fp32, whichever this CPU runs faster, timed.

The CPU's flags do not say which is faster, so `auto` measures. With two threads,
on real paragraphs:

- an Intel Xeon with AMX: bf16 11,700–15,200 tokens/s (fp32 not measured there);
- an AMD EPYC with AVX-512 bf16 and no AMX: bf16 5,000–5,700, fp32 2,950–3,080;
- an Intel Xeon with AVX-512 bf16 and no AMX: oneDNN's bf16 kernel was the slower,
  bf16 2,700–3,300 against fp32 4,800–5,400;
- an AMD EPYC with AVX2 and no AVX-512: bf16 has no instructions and is emulated,
  bf16 366 against fp32 2,823, and a question 49 ms against 19 ms (p50).

Both give nearly the same vectors (cosine 0.99997 mean, 0.99996 min to each other
on 1,000 real paragraphs). `auto` times one feed-forward product of a quarter
batch in each type, alternating, and keeps the faster, and it is the default:
a fixed bf16 made ingest 7.7 times slower on a CPU without bf16 instructions.
The refusal thresholds and fusion weights were calibrated on bf16 vectors
(`CALIBRATED`), so the evaluation and its gate run bf16, the same vectors on
every CPU; fp32 moves one borderline English question (en071) from rank 5 to 6
(evals/experiments.md).
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable, Mapping

import torch
import torch.nn.functional as F

log = logging.getLogger(__name__)

DTYPES: Mapping[str, torch.dtype] = {"bf16": torch.bfloat16, "fp32": torch.float32}
ROUNDS = 5  # the best of five: a load that comes and goes weighs on both types alike
ROWS = 1024  # tokens in the timed product: a quarter of a full batch


def encoder_dtype(setting: str, hidden: int, ffn: int) -> torch.dtype:
    """The dtype `setting` names ("auto": the faster here, measured now)."""
    name = fastest(products(hidden, ffn)) if setting == "auto" else setting
    log.info("e5 encoder runs in %s (embed_precision %s)", name, setting)
    return DTYPES[name]


def products(hidden: int, ffn: int) -> dict[str, Callable[[], object]]:
    """One feed-forward product of the encoder's shape in each dtype, ready to time."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(ROWS, hidden, generator=generator)
    w = torch.randn(ffn, hidden, generator=generator)
    return {name: functools.partial(F.linear, x.to(t), w.to(t)) for name, t in DTYPES.items()}


def fastest(candidates: Mapping[str, Callable[[], object]]) -> str:
    """The name of the candidate whose best time over `ROUNDS` is the lowest.

    Each runs once untimed first: oneDNN builds its kernel on the first call.
    """
    for run in candidates.values():
        run()
    best = dict.fromkeys(candidates, math.inf)
    for _ in range(ROUNDS):
        for name, run in candidates.items():
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
    return min(best, key=best.__getitem__)
