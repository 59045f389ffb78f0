"""The one Slack Web API client of a process: pointed at ``SLACK_API_URL``, 429s retried after Retry-After."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.observability.metrics import rate_limit_waited

Sleep = Callable[[float], Awaitable[None]]


MAX_RATE_LIMIT_WAIT = 30.0  # seconds; a longer Retry-After is not waited for: the call fails as "ratelimited"


class RetryAfterHandler(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's rate-limit handler with the wait injectable (tests must not really sleep) and
    capped: asked to wait longer than ``max_wait``, it gives up at once and the caller tells the
    user the bot is busy, instead of waiting in silence."""

    def __init__(
        self,
        *,
        max_retry_count: int = 3,
        sleep: Sleep = asyncio.sleep,
        jitter: float = 0.5,
        max_wait: float = MAX_RATE_LIMIT_WAIT,
    ):
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep
        self._jitter = jitter
        self._max_wait = max_wait

    async def _can_retry_async(self, *, state, request, response=None, error=None) -> bool:
        if not await super()._can_retry_async(state=state, request=request, response=response, error=error):
            return False
        return _retry_after(response) <= self._max_wait

    async def prepare_for_next_attempt_async(self, *, state, request, response=None, error=None) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        wait = _retry_after(response) + random.uniform(0, self._jitter)
        rate_limit_waited("slack", wait)
        await self._sleep(wait)
        state.increment_current_attempt()


def _retry_after(response) -> float:
    retry_after = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), ["1"])
    try:
        return float(retry_after[0])
    except (TypeError, ValueError):
        return 1.0


def slack_web_client(
    settings: Settings,
    *,
    session: aiohttp.ClientSession | None = None,
    sleep: Sleep = asyncio.sleep,
    jitter: float = 0.5,
) -> AsyncWebClient:
    """The Web API client for ``settings`` (token and base URL), retrying connection errors and 429s.

    Pass one ``session`` for the whole process: without it every call opens a new connection.
    """
    return AsyncWebClient(
        token=settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            RetryAfterHandler(sleep=sleep, jitter=jitter),
        ],
    )
