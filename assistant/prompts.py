"""Prompts and answer wording live as versioned files in `prompts/`, loaded by name.

An installed copy carries them as `assistant/_prompts`; a source checkout reads
the top-level `prompts/` folder.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

_PLACES = (Path(__file__).parent / "_prompts", Path(__file__).parent.parent / "prompts")


def prompt_dir() -> Path:
    for place in _PLACES:
        if place.is_dir():
            return place
    raise ConfigError(
        "The prompts folder is missing from this installation; reinstall the project."
    )


@cache
def load_prompt(name: str, language: str) -> dict[str, Any]:
    """The TOML table `prompts/<name>.<language>.toml` (falling back to English)."""
    folder = prompt_dir()
    for candidate in (f"{name}.{language}.toml", f"{name}.en.toml"):
        path = folder / candidate
        if path.is_file():
            return tomllib.loads(path.read_text(encoding="utf-8"))
    raise ConfigError(f"No prompt named {name!r} in {folder}.")
