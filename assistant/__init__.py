"""A chat assistant that answers questions about Arabic news articles with citations.

from assistant import Assistant
answer = Assistant().ask("ما الذي سحبته روسيا من كوبا؟")
"""

from assistant import offline

offline.apply()

from assistant.api import Assistant  # noqa: E402
from assistant.errors import AssistantError, InvalidQuestion  # noqa: E402
from assistant.models.llm import LLMError  # noqa: E402
from assistant.pipeline import AnswerStream, Pipeline  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.types import Answer, Citation, Paragraph, Passage, Query  # noqa: E402

__all__ = [
    "Answer",
    "AnswerStream",
    "Assistant",
    "AssistantError",
    "Citation",
    "InvalidQuestion",
    "LLMError",
    "Paragraph",
    "Passage",
    "Pipeline",
    "Query",
    "Settings",
]
