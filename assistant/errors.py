"""One exception tree whose messages are written for the person using the assistant.

Every error the CLI, the API or the UI may show derives from `AssistantError`
and carries a `message` that says what happened and what to do next. The
storage layer has its own tree (`store.errors`, re-exported here); the index
layer, the one caller of the store, raises its errors as `StoreUnavailable`,
which belongs to both trees.
"""

from __future__ import annotations

from store import errors as store_errors
from store.errors import StoreError


class AssistantError(Exception):
    """Base class; `message` is safe and useful to show to a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidQuestion(AssistantError):
    """The question cannot be asked as given (empty, too long, not text)."""


class CorpusError(AssistantError):
    """An article file or folder could not be read or held no article."""


class ConfigError(AssistantError):
    """A setting has a value the assistant does not understand."""


class ModelUnavailable(AssistantError):
    """An embedding model could not be loaded."""


class StoreUnavailable(AssistantError, store_errors.StoreUnavailable):
    """The vector store could not be opened, reached or written."""


__all__ = [
    "AssistantError",
    "ConfigError",
    "CorpusError",
    "InvalidQuestion",
    "ModelUnavailable",
    "StoreError",
    "StoreUnavailable",
]
