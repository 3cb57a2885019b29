"""One exception tree whose messages are written for the person using the assistant.

Every error the CLI, the API or the UI may show derives from `AssistantError`
and carries a `message` that says what happened and what to do next.
"""

from __future__ import annotations


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


class StoreUnavailable(AssistantError):
    """The vector store could not be opened or reached."""
