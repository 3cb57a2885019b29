"""The storage layer's own errors; `assistant.errors` re-exports them.

The store sits below the assistant and imports nothing from it, so it cannot
derive from `AssistantError`; the assistant's index layer raises these as
`assistant.errors.StoreUnavailable`, which derives from both.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class; `message` says what happened and what to do next."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnavailable(StoreError):
    """The vector store could not be opened, reached or written."""
