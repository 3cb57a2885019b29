"""One benchmark scenario per process: `python -m benchmarks.scenarios NAME '{json args}'`.

Each scenario prints one JSON object on its last line of stdout. Running each
in its own process lets the driver read that process's peak memory (wait4),
so one scenario's caches never flatter or burden the next.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant import Assistant, Settings
from assistant.ingest.corpus import load_corpus
from assistant.models.embedding import Embedder, make_embedder
from assistant.pipeline import Models
from assistant.settings import DEFAULT_CORPUS
from benchmarks.synthetic import SentenceMean, corpus_sentences, write_articles
from evals.archive import DATA, first_slice, write_days
from evals.questions import load_questions

ROUNDS = 3  # measured passes over the questions, after one warm-up pass


def questions() -> list[str]:
    """The evaluation's stand-alone questions, Arabic and English, answerable or not."""
    return [q.question for q in load_questions() if not q.history]


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49], 2), "p95_ms": round(cuts[94], 2), "n": len(ms)}


def timed(run: Callable[[str], object], texts: Sequence[str]) -> dict[str, float]:
    """Warm latency: one pass to fill caches, then `ROUNDS` measured passes."""
    for text in texts:
        run(text)
    seconds = []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            run(text)
            seconds.append(time.perf_counter() - started)
    return percentiles(seconds)


def _settings(args: dict[str, Any], corpus: Sequence[Path]) -> Settings:
    return Settings.load(
        home=Path(args["home"]),
        corpus=tuple(corpus),
        chroma_url=args.get("chroma_url"),
        embedder=args.get("embedder"),
    )


def _embedder(settings: Settings, sentence_mean: bool) -> Embedder:
    model = make_embedder(settings.index)
    return SentenceMean(model) if sentence_mean else model


def corpus_for(args: dict[str, Any], work: Path) -> list[Path]:
    """The five articles, plus the archive's first `articles` (0: all of them) as its
    day files, or synthetic articles up to about `size` paragraphs in all."""
    if "articles" in args:
        folder = work / f"archive-{args['articles']}"
        if not (folder / "done").exists():
            write_days(first_slice(DATA, args["articles"]), folder)
            (folder / "done").touch()
        return [DEFAULT_CORPUS, folder]
    real = load_corpus([DEFAULT_CORPUS])
    extra = args["size"] - len(real.paragraphs)
    folder = work / f"corpus-{args['size']}"
    if extra > 0 and not (folder / "done").exists():
        write_articles(folder, corpus_sentences(real), extra)
        (folder / "done").touch()
    return [DEFAULT_CORPUS, folder] if extra > 0 else [DEFAULT_CORPUS]


def scale(args: dict[str, Any]) -> dict[str, Any]:
    """Build an index of the corpus `args` name, reopen it, then time warm search and ask."""
    work = Path(args["work"])
    corpus = corpus_for(args, work)
    settings = _settings(args, corpus)
    embedder = _embedder(settings, args["sentence_mean"])
    started = time.perf_counter()
    report = Assistant(settings, models=Models.of(embedder)).ingest()
    built = time.perf_counter() - started
    started = time.perf_counter()
    assistant = Assistant(settings, models=Models.of(embedder))
    assistant.open()  # reopen: what a restart costs once the index exists
    reopened = time.perf_counter() - started
    texts = questions()
    result = {
        "paragraphs": report.paragraphs,
        "embedded": report.embedded,
        "build_s": round(built, 2),
        "build_per_s": round(report.paragraphs / built, 1),
        "reopen_s": round(reopened, 2),
        "search": timed(assistant.search, texts),
        "ask": timed(assistant.ask, texts),
    }
    if args.get("profile"):
        result["profile"] = _profile(assistant.search, texts, Path(args["profile"]))
    return result


def baseline(args: dict[str, Any]) -> dict[str, Any]:
    """The LlamaIndex baseline and the pipeline on the same corpus, in one process."""
    from evals.baseline import LlamaIndexBaseline

    work = Path(args["work"])
    corpus = corpus_for(args, work)
    settings = _settings(args, corpus)
    models = Models.of(_embedder(settings, args["sentence_mean"]))
    assistant = Assistant(settings, models=models)
    pipeline = assistant.open()  # built by the slice's own run: the baseline's build is its own
    started = time.perf_counter()
    other = LlamaIndexBaseline(assistant)
    built = time.perf_counter() - started
    with_baseline = assistant.derive(retriever=other)
    texts = questions()

    return {
        "paragraphs": len(pipeline.index.paragraphs),
        "baseline_chunks": other.chunks,
        "baseline_build_s": round(built, 2),
        "baseline_search": timed(with_baseline.search, texts),
        "baseline_ask": timed(with_baseline.ask, texts),
        "search": timed(assistant.search, texts),
        "ask": timed(assistant.ask, texts),
    }


def _profile(run: Callable[[str], object], texts: Sequence[str], out: Path) -> str:
    """Where warm search time goes (pyinstrument, from the `bench` extra)."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(ROUNDS):
            for text in texts:
                run(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
    return str(out)


SCENARIOS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "scale": scale,
    "baseline": baseline,
}


def main(argv: Sequence[str]) -> int:
    name, raw = argv
    print(json.dumps(SCENARIOS[name](json.loads(raw)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
