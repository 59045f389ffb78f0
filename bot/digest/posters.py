"""What the digest loop needs from a platform's poster, and what a poster may answer.

A poster (each platform has one, in its folder) returns where the digest landed (message id,
and the conversation id under which thread replies are answered), or raises:
- ``ChannelGone``: the bot may no longer post there (removed, channel deleted or archived);
- ``PostFailed``: the platform answered with an error, so nothing was posted;
- anything else: the outcome is unknown (a timeout may hide a post that went through).
Posts are paced to at most one per second per channel (Slack's and Discord's rule of thumb).
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.answers.reply import Reply
from bot.store.records import Subscription

POST_TIMEOUT = 30.0  # seconds for one digest post: past it the outcome is unknown (never posted twice)


class ChannelGone(Exception):
    """The bot cannot post in this channel any more; ``str()`` is the platform's reason."""


class PostFailed(Exception):
    """The platform refused the post: nothing was posted."""


@dataclass(frozen=True)
class Posted:
    message_id: str
    conversation_id: str


class DigestPoster(Protocol):
    platform: str  # the platform's name, as in its subscriptions

    async def post(self, sub: Subscription, reply: Reply, *, title: str, rating_id: str | None = None) -> Posted:
        """Post the digest; ``rating_id``: the id its 👍/👎 buttons carry (none: no buttons)."""


class ChannelPacer:
    """At most one post per ``interval`` seconds per channel; the clock and the wait are injectable."""

    def __init__(
        self,
        interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def wait(self, channel_key: str) -> None:
        async with self._locks[channel_key]:
            last = self._last.get(channel_key)
            if last is not None:
                delay = last + self.interval - self.clock()
                if delay > 0:
                    await self.sleep(delay)
            self._last[channel_key] = self.clock()

    def note(self, channel_key: str) -> None:
        """A post went out now without waiting its turn (an answer's first message): what follows waits."""
        self._last[channel_key] = self.clock()
