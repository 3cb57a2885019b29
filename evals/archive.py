"""The archive evaluations' corpora: SaudiNewsNet day files cut to a story and its crowd.

    python -m evals.archive --out DIR [--slice lavrov|russia|heldout|first] [--crowd N]
        [--data ../shared/data/saudinewsnet]
    assistant --home H ingest DIR/*.zip
    python -m evals --home H --questions evals/archive_questions.jsonl \\
        --config hybrid --config no-recency

`lavrov`: three consecutive days (2015-08-02 to 08-04) of the Doha meeting
between Lavrov, Kerry and al-Jubeir, told and retold by ten outlets as it
happened: every article of those days that names Lavrov, and the first `crowd`
other articles of each day as distractors. The questions in
`archive_questions.jsonl` ask for the latest on the story, so the gold
paragraphs are the newest ones, and older articles saying nearly the same are
the traps.

`russia`: the first 1,000 articles of the archive, in its order, that mention
Russia or Putin: distractors sharing the five default articles' subjects, for
the project's own 145 questions (issue 25).

`first`: the archive's first `crowd` articles in its order (the benchmarks'
1k and 10k slices); with no `crowd`, all of it.

`heldout`: the days 2015-07-22 and 07-23 whole (3,368 articles), the corpus
of `heldout_questions.jsonl`: half its questions ask about these days'
articles, half about articles of 2015-08-10 and 08-11, which it lacks. No
fit ever sees it (issue 21):

    ASSISTANT_CORPUS=DIR python -m evals --home H \\
        --questions evals/heldout_questions.jsonl --config hybrid

The day files are written as the archive ships them (`DAY.zip` holding
`DAY.json`); SaudiNewsNet is for research use and is never copied into this
repository. The whole archive needs no slice: ingest its day files as they are.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Record = dict[str, Any]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet"
LAVROV_DAYS = ("2015-08-02", "2015-08-03", "2015-08-04")
LAVROV = "لافروف"
RUSSIA = re.compile("روسي|بوتين")  # روسيا, روسي, الروسية ..., and Putin
RUSSIA_ARTICLES = 1000
HELDOUT_DAYS = ("2015-07-22", "2015-07-23")


def day_records(data: Path, day: str) -> list[Record]:
    with zipfile.ZipFile(data / f"{day}.zip") as archive:
        return json.loads(archive.read(f"{day}.json"))


def archive_days(data: Path) -> list[str]:
    return sorted(path.stem for path in data.glob("*.zip"))


def chosen(records: Sequence[Record], crowd: int) -> list[Record]:
    """The day's articles about the Lavrov story, and its first `crowd` others, in archive order."""
    story = [r for r in records if LAVROV in r["content"]]
    others = [r for r in records if LAVROV not in r["content"]][:crowd]
    return [r for r in records if r in story or r in others]


def lavrov_slice(data: Path, crowd: int) -> dict[str, list[Record]]:
    return {day: chosen(day_records(data, day), crowd) for day in LAVROV_DAYS}


def russia_slice(data: Path, crowd: int = RUSSIA_ARTICLES) -> dict[str, list[Record]]:
    """The first `crowd` Russia-related articles, day by day, in archive order."""
    return _first(data, crowd, lambda record: bool(RUSSIA.search(record["content"])))


def first_slice(data: Path, crowd: int) -> dict[str, list[Record]]:
    """The first `crowd` articles of the archive, in its order (0: all of them)."""
    return _first(data, crowd or sys.maxsize, lambda record: True)


def _first(data: Path, crowd: int, keep: Callable[[Record], bool]) -> dict[str, list[Record]]:
    days: dict[str, list[Record]] = {}
    left = crowd
    for day in archive_days(data):
        taken = [r for r in day_records(data, day) if keep(r)][:left]
        if taken:
            days[day] = taken
        left -= len(taken)
        if left <= 0:
            break
    return days


def heldout_slice(data: Path, crowd: int = 0) -> dict[str, list[Record]]:
    """Two whole days, the corpus of the held-out answerability check (`crowd` unused)."""
    return {day: day_records(data, day) for day in HELDOUT_DAYS}


SLICES: dict[str, tuple[Callable[[Path, int], dict[str, list[Record]]], int]] = {
    "lavrov": (lavrov_slice, 100),  # default crowd: others per day
    "russia": (russia_slice, RUSSIA_ARTICLES),  # default crowd: articles in all
    "heldout": (heldout_slice, 0),
    "first": (first_slice, 0),  # default crowd: the whole archive
}


def write_days(days: dict[str, list[Record]], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for day, records in days.items():
        path = out / f"{day}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{day}.json", json.dumps(records, ensure_ascii=False, indent=4))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.archive", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--slice", choices=sorted(SLICES), default="lavrov")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--crowd", type=int, help="lavrov: others per day; russia, first: articles")
    args = parser.parse_args(argv)
    build, crowd = SLICES[args.slice]
    for path in write_days(build(args.data, args.crowd or crowd), args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
