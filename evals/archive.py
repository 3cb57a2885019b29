"""The archive evaluation's corpus: SaudiNewsNet day files cut to one story and its crowd.

    python -m evals.archive --out DIR [--data ../shared/data/saudinewsnet] [--crowd 100]
    assistant --home H ingest DIR/*.zip
    python -m evals --home H --questions evals/archive_questions.jsonl \\
        --config hybrid --config no-recency

Three consecutive days (2015-08-02 to 08-04) of the Doha meeting between
Lavrov, Kerry and al-Jubeir, told and retold by ten outlets as it happened:
every article of those days that names Lavrov, and the first `crowd` other
articles of each day as distractors. The questions in `archive_questions.jsonl`
ask for the latest on the story, so the gold paragraphs are the newest ones,
and older articles saying nearly the same are the traps. The day files are
written as the archive ships them (`DAY.zip` holding `DAY.json`); SaudiNewsNet
is for research use and is never copied into this repository.
"""

from __future__ import annotations

import argparse
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DAYS = ("2015-08-02", "2015-08-03", "2015-08-04")
TOPIC = "لافروف"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet"


def day_records(data: Path, day: str) -> list[dict[str, Any]]:
    with zipfile.ZipFile(data / f"{day}.zip") as archive:
        return json.loads(archive.read(f"{day}.json"))


def chosen(records: Sequence[dict[str, Any]], crowd: int) -> list[dict[str, Any]]:
    """The day's articles about the story, and its first `crowd` others, in archive order."""
    story = [r for r in records if TOPIC in r["content"]]
    others = [r for r in records if TOPIC not in r["content"]][:crowd]
    return [r for r in records if r in story or r in others]


def write_slice(data: Path, out: Path, crowd: int) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for day in DAYS:
        path = out / f"{day}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            records = chosen(day_records(data, day), crowd)
            archive.writestr(f"{day}.json", json.dumps(records, ensure_ascii=False, indent=4))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.archive", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--crowd", type=int, default=100)
    args = parser.parse_args(argv)
    for path in write_slice(args.data, args.out, args.crowd):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
