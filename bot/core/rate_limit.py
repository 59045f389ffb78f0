"""Questions per user per minute, counted in the store so the limit holds across replicas.

A sliding window approximated from two fixed one-minute counters (this minute's and the
last one's, weighted by how much of it still lies inside the window): one atomic upsert per
question, no burst of twice the limit at a minute boundary. When the store cannot be reached
the question is let through and the outage logged: the limit protects the bill, not the user.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable

from bot.store.database import Store, StoreError

logger = logging.getLogger(__name__)

WINDOW = 60.0


class RateLimiter:
    def __init__(self, store: Store, per_minute: int, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.per_minute = per_minute
        self.clock = clock

    async def wait_needed(self, user: str) -> float:
        """Count one question of ``user``; 0 when it may go ahead, else the seconds until it could."""
        now = self.clock()
        window = math.floor(now / WINDOW)
        try:
            current, previous = await asyncio.to_thread(self.store.count_request, user, window)
        except StoreError as error:
            logger.warning("rate limit not enforced: %s", error)
            return 0.0
        elapsed = now / WINDOW - window  # fraction of this minute gone
        weighted = current + previous * (1 - elapsed)
        if weighted <= self.per_minute:
            return 0.0
        if previous == 0 or current > self.per_minute:
            return (1 - elapsed) * WINDOW  # only the next minute helps
        # the earlier minute's share fades linearly: wait until it fits again
        fraction_needed = (weighted - self.per_minute) / previous
        return max(1.0, fraction_needed * WINDOW)
