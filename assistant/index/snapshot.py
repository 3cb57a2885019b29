"""The parsed corpus saved beside its version, so reopening an index reads no article file.

Reopening the whole SaudiNewsNet archive spent 4-6 s reading its 18 zip files
and rebuilding 30,675 articles from their saved structures, to find them
unchanged. A snapshot is the `Corpus` as the build read it, keyed by what the
files looked like before they were read: each file's path, size and
modification time (as `make` and `rsync` judge a file unchanged). A file
edited, added or removed changes the key, and the corpus is read again; so
does a change to the code that reads and cleans articles (an outlet added to
`outlets.toml`, a cleaning rule), which is part of the key.

The snapshot is a pickle, written by this program into its own index folder
and read only from there: a folder anyone else can write to could as well
hold other code. A snapshot that cannot be read (another version of this
program, a truncated file) is ignored, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from collections.abc import Iterable
from pathlib import Path

from assistant import arabic, errors, ingest, types
from assistant.index.loading import paused_gc
from assistant.ingest.corpus import Corpus, article_files

log = logging.getLogger(__name__)

FILE = "corpus.pickle"


def corpus_key(paths: Iterable[Path]) -> str:
    """What the corpus files, and the code that reads them, look like now; call
    before reading them."""
    files, skipped = article_files(paths)
    lines = [_reading_code()]
    for file in files:
        status = file.stat()
        lines.append(f"{file.resolve()}\x00{status.st_size}\x00{status.st_mtime_ns}")
    lines += [f"{s.where}\x00{s.reason}" for s in skipped]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@functools.cache
def _reading_code() -> str:
    """A hash of the modules an `Article` is built by, and of the classes it is made of."""
    package = Path(ingest.__file__).parent
    sources = [*sorted(package.glob("*.py")), *sorted(package.glob("*.toml"))]
    sources += [Path(m.__file__ or "") for m in (arabic, errors, types)]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def save(folder: Path, key: str, corpus: Corpus) -> None:
    """Write the snapshot whole or not at all; failing to write it costs only speed."""
    staging = folder / f".{FILE}.{os.getpid()}"
    try:
        with staging.open("wb") as out:
            pickle.dump(key, out, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(corpus, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(staging, folder / FILE)
    except OSError as exc:
        log.warning("could not save the corpus snapshot in %s: %s", folder, exc)
        staging.unlink(missing_ok=True)


def load(folder: Path, key: str) -> Corpus | None:
    """The corpus saved under `key` in `folder`, or None when there is none or it is stale."""
    try:
        with (folder / FILE).open("rb") as saved, paused_gc():
            if pickle.load(saved) != key:
                return None
            corpus = pickle.load(saved)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated or foreign pickle raises almost anything
        log.warning("ignoring the unreadable corpus snapshot in %s: %s", folder, exc)
        return None
    return corpus if isinstance(corpus, Corpus) else None
