"""The production ChatModel: Chat Completions on OpenAI or any OpenAI-compatible server.

One retry layer: the SDK's own retries are off (``max_retries=0``) and one tenacity policy decides.

- Retried, with exponential backoff and jitter, at most ``attempts`` requests in all:
  429, 408, 409 and 5xx responses, timeouts and connection errors. A ``Retry-After`` /
  ``retry-after-ms`` header on a retried response replaces the backoff (capped at
  ``MAX_RETRY_AFTER`` seconds). When the attempts run out: ``ModelUnavailable``.
- Never retried: any other 4xx (400, 401, 403, 404, 422...): ``ModelRejected``.
- A 200 whose body is not a usable completion (not JSON, no choices, no text): ``ModelUnavailable``
  at once, not retried: it means a misconfigured server or URL (an HTML page, a wrong path), and the
  same request would get the same body again. Callers treat it like an unreachable model.

Error messages are built here from the status, the exception type and the server's short error
code, never from the SDK's message or the response body (servers echo the key in them), the key
is redacted from whatever remains, and the SDK exception is not chained.

``openai`` is imported lazily: importing it takes about a second and the CLI must start fast.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.engines.model.chat_model import ModelRejected, ModelUnavailable
from bot.observability.metrics import model_tokens
from bot.observability.trace import add_tokens

if TYPE_CHECKING:
    import openai
    from tenacity import RetryCallState

    from bot.config import Settings

DEFAULT_BASE_URL = "https://api.openai.com/v1"
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for longer gets this much, then the next attempt
BACKOFF_MULTIPLIER = 0.5  # first backoff ~0.5 s, then 1, 2, 4... plus up to BACKOFF_JITTER
BACKOFF_MAX = 8.0
BACKOFF_JITTER = 0.5
RETRIED_STATUSES = frozenset({408, 409, 429})  # and every status >= 500
ERROR_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")

Sleep = Callable[[float], Awaitable[None]]


class OpenAIChatModel:
    """``bot.engines.model.chat_model.ChatModel`` over the openai SDK's ``AsyncOpenAI``; one client per instance.

    ``wait`` is the coroutine function that waits between attempts (default ``asyncio.sleep``);
    it receives the computed delay in seconds, so tests pass a recorder that returns at once.
    """

    name = "openai"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None,
        model: str,
        timeout: float,
        attempts: int,
        wait: Sleep | None = None,
    ) -> None:
        if not api_key:
            # Servers without auth (Ollama, vLLM...) accept any non-empty key; the SDK refuses an empty one.
            raise ValueError("api_key must not be empty")
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self._api_key = api_key
        self._base_url = base_url or DEFAULT_BASE_URL
        self.model = model
        self._timeout = timeout
        self._attempts = attempts
        self._wait: Sleep = wait or asyncio.sleep
        self._client: openai.AsyncOpenAI | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, wait: Sleep | None = None) -> OpenAIChatModel:
        if not settings.openai_api_key:
            from bot.config import ConfigError

            raise ConfigError("OPENAI_API_KEY must be set for the openai engine (any value for a server without auth)")
        return cls(
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url or None,
            model=settings.model,
            timeout=settings.model_timeout,
            attempts=settings.model_attempts,
            wait=wait,
        )

    def __repr__(self) -> str:
        return f"OpenAIChatModel(model={self.model!r}, base_url={self._base_url!r})"

    async def __aenter__(self) -> OpenAIChatModel:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()

    def warm_up(self) -> None:
        """Import the SDK and build the client now rather than on the first question."""
        self._get_client()

    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        max_tokens: int = 600,
        response_format: dict | None = None,
        model: str | None = None,
    ) -> str:
        """``response_format`` (structured output) and ``model`` (another model on the same
        client, e.g. a smaller judge) are sent only when given."""
        from openai.types.chat import ChatCompletion

        completion = await self._request(
            _body(model or self.model, messages, max_tokens, response_format), cast_to=ChatCompletion
        )
        _count_usage(completion, model or self.model)
        return _assistant_text(completion)

    async def stream(self, messages: list[dict[str, str]], *, max_tokens: int = 600) -> AsyncIterator[str]:
        """The assistant's text in pieces as the server generates them (``"stream": true``).

        Retried like ``complete`` until the stream opens; a stream that breaks afterwards
        raises ``ModelUnavailable`` (what was received is the caller's to keep or drop).
        """
        from openai import AsyncStream
        from openai.types.chat import ChatCompletion, ChatCompletionChunk

        body = _body(self.model, messages, max_tokens, None)
        body["stream_options"] = {"include_usage": True}  # a last chunk counts the tokens (for /metrics)
        chunks = await self._request(body, cast_to=ChatCompletion, stream_cls=AsyncStream[ChatCompletionChunk])
        try:
            async for chunk in chunks:
                _count_usage(chunk, self.model)
                piece = _delta_text(chunk)
                if piece:
                    yield piece
        except Exception as exc:  # a dropped connection or an error event: the SDK's message may echo the request
            raise ModelUnavailable(
                self._redact(f"the model server stopped in the middle of the answer ({type(exc).__name__})")
            ) from None
        finally:
            await chunks.close()

    async def _request(self, body: dict, *, cast_to, stream_cls=None):
        import openai
        from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

        client = self._get_client()
        streaming = {"stream": True, "stream_cls": stream_cls} if stream_cls is not None else {}
        if streaming:
            body["stream"] = True
        retrying = AsyncRetrying(
            retry=retry_if_exception(_is_transient),
            stop=stop_after_attempt(self._attempts),
            wait=_wait_strategy(),
            sleep=self._wait,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    # The SDK's documented raw `post` rather than `chat.completions.create`: the latter
                    # walks every message through its TypedDict transform, ~3 ms of CPU per request
                    # here (most of a question's cost); same wire format, errors and timeout.
                    return await client.post("/chat/completions", body=body, cast_to=cast_to, **streaming)
        except openai.APIStatusError as exc:
            error = ModelUnavailable if _is_transient(exc) else ModelRejected
            raise error(self._redact(_describe_status(exc, retrying.statistics))) from None
        except openai.APIConnectionError as exc:
            what = "timed out" if isinstance(exc, openai.APITimeoutError) else "could not be reached"
            raise ModelUnavailable(
                self._redact(f"the model server {what} ({_attempts_made(retrying.statistics)})")
            ) from None
        except (json.JSONDecodeError, openai.APIResponseValidationError):
            # the SDK parses a JSON content type itself; other bodies come back as-is
            raise ModelUnavailable("the model server sent a response that is not a chat completion") from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def check(self) -> None:
        """At start: does the server take the key? ``GET /models`` costs nothing. Raises
        ``ModelRejected`` when the key is refused (401/403), ``ModelUnavailable`` when the server
        cannot be reached; a server without ``/models`` (404...) passes, it may still answer."""
        import openai

        client = self._get_client()
        try:
            await client.get("/models", cast_to=bytes)
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            code = _error_code(exc.body)
            detail = f"HTTP {exc.status_code}" + (f" [{code}]" if code else "")
            raise ModelRejected(self._redact(f"OPENAI_API_KEY was rejected by {self._base_url} ({detail})")) from None
        except openai.APIStatusError:
            return
        except openai.APIConnectionError as exc:
            what = "timed out" if isinstance(exc, openai.APITimeoutError) else "connection failed"
            raise ModelUnavailable(
                self._redact(f"cannot reach the model server at {self._base_url} ({what})")
            ) from None

    def _get_client(self) -> openai.AsyncOpenAI:
        if self._client is None:
            import openai

            self._client = openai.AsyncOpenAI(
                api_key=self._api_key, base_url=self._base_url, timeout=self._timeout, max_retries=0
            )
        return self._client

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, "[redacted]")


def _body(model: str, messages: list[dict[str, str]], max_tokens: int, response_format: dict | None) -> dict:
    body = {"model": model, "messages": messages, "max_tokens": max_tokens, "temperature": 0}
    if response_format is not None:
        body["response_format"] = response_format
    return body


def _is_transient(exc: BaseException) -> bool:
    import openai

    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRIED_STATUSES or exc.status_code >= 500
    return False


def _wait_strategy() -> Callable[[RetryCallState], float]:
    from tenacity import wait_exponential_jitter

    backoff = wait_exponential_jitter(multiplier=BACKOFF_MULTIPLIER, max=BACKOFF_MAX, jitter=BACKOFF_JITTER)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception()  # type: ignore[union-attr]  # set before every wait
        response = getattr(exc, "response", None)
        hinted = retry_after_seconds(response.headers) if response is not None else None
        return hinted if hinted is not None else backoff(state)

    return wait


def retry_after_seconds(headers: Any, *, now: float | None = None) -> float | None:
    """The server's requested delay from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date).

    Capped at ``MAX_RETRY_AFTER``; None when absent or unreadable.
    """
    for name, unit in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / unit
        except ValueError:
            seconds = _seconds_until_http_date(value, now=now)
        if seconds is not None and math.isfinite(seconds):
            return min(max(seconds, 0.0), MAX_RETRY_AFTER)
    return None


def _seconds_until_http_date(value: str, *, now: float | None) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - (time.time() if now is None else now)


def _describe_status(exc: Any, statistics: dict[str, Any]) -> str:
    code = _error_code(exc.body)
    detail = f"HTTP {exc.status_code} {type(exc).__name__}" + (f" [{code}]" if code else "")
    if _is_transient(exc):
        return f"the model server stayed unavailable: {detail} ({_attempts_made(statistics)})"
    return f"the model server rejected the request: {detail}"


def _error_code(body: object) -> str:
    """The short machine code of an OpenAI error body (``invalid_api_key``), never its free-text message."""
    if not isinstance(body, dict):
        return ""
    code = str(body.get("code") or body.get("type") or "")
    # An identifier or nothing: cutting a longer value could leave a piece of the key that redaction misses.
    return code if ERROR_CODE.fullmatch(code) else ""


def _attempts_made(statistics: dict[str, Any]) -> str:
    count = statistics.get("attempt_number", 1)
    return f"{count} attempt{'s' if count != 1 else ''}"


def _count_usage(response: object, model: str) -> None:
    """The tokens the server says the call used (its ``usage`` field), when it says so."""
    usage = getattr(response, "usage", None)
    tokens_in, tokens_out = getattr(usage, "prompt_tokens", None), getattr(usage, "completion_tokens", None)
    if isinstance(tokens_in, int) and isinstance(tokens_out, int):
        model_tokens(model, tokens_in, tokens_out)
        add_tokens(tokens_in, tokens_out)


def _delta_text(chunk: object) -> str:
    choices = getattr(chunk, "choices", None)
    delta = getattr(choices[0], "delta", None) if isinstance(choices, list) and choices else None
    content = getattr(delta, "content", None)
    return content if isinstance(content, str) else ""


def _assistant_text(completion: object) -> str:
    choices = getattr(completion, "choices", None)  # the SDK does not validate: anything may be here
    message = getattr(choices[0], "message", None) if isinstance(choices, list) and choices else None
    content = getattr(message, "content", None)
    if not isinstance(content, str) or not content.strip():
        raise ModelUnavailable("the model server sent a response that is not a chat completion")
    return content
