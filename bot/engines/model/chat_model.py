"""The narrow seam between the core and a chat model.

The core calls ``ChatModel.complete``, or ``stream`` when the model has it. The production implementation is
``bot.engines.model.openai_client.OpenAIChatModel``; tests inject their own or run a local
OpenAI-compatible server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol


class ModelError(Exception):
    """The model could not give an answer. The message never contains a secret."""


class ModelUnavailable(ModelError):
    """Transient failures (429, 5xx, timeouts, connection errors) outlasted the retries."""


class ModelRejected(ModelError):
    """The server refused the request for good (400, 401, 403, 404): retrying will not help."""


class ChatModel(Protocol):
    name: str  # shown as the engine, e.g. "openai"

    async def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 600, **options) -> str:
        """Return the assistant's text for a Chat Completions ``messages`` list. ``options``
        (the grounding judge's ``response_format`` and ``model``) may be ignored by models
        that do not know them."""
        ...


class StreamingChatModel(ChatModel, Protocol):
    """A model that can also hand its text over as it is generated."""

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int = 600) -> AsyncIterator[str]:
        """Yield the assistant's text in pieces; raise ``ModelError`` if the stream breaks."""
        ...
