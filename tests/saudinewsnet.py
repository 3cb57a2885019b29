"""Small slices of the real SaudiNewsNet archive (beside the repository, never shipped)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from evals.archive import DATA, Record, day_records, write_days


def day_file(day: str) -> Path:
    path = DATA / f"{day}.zip"
    if not path.is_file():
        pytest.fail(f"SaudiNewsNet is missing: {path} (../shared/data/saudinewsnet)")
    return path


@cache
def records(day: str) -> tuple[Record, ...]:
    """The day file's JSON array, as the archive ships it."""
    day_file(day)  # a clear failure when the archive is missing
    return tuple(day_records(DATA, day))


def about(term: str, *days: str) -> list[Record]:
    """The records of `days` whose content mentions `term`, in archive order."""
    return [r for day in days for r in records(day) if term in r["content"]]


def day_zip(folder: Path, day: str, chosen: list[Record]) -> Path:
    """A day file shaped like the archive's (`DAY.zip` holding `DAY.json`), with `chosen` only."""
    return write_days({day: chosen}, folder)[0]


def slice_zips(
    folder: Path, term: str, days: tuple[str, ...], keep: Callable[[Record], bool]
) -> list[Path]:
    """One day zip per day, holding that day's records about `term` that `keep` admits."""
    return [day_zip(folder, day, [r for r in about(term, day) if keep(r)]) for day in days]
