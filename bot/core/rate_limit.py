"""Questions per user per minute: counted in the store when replicas share one (PostgreSQL), so the
limit holds across them; in the process on a SQLite file (one instance, no write per question).

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
from typing import TYPE_CHECKING

from bot.store.records import StoreError

if TYPE_CHECKING:
    from bot.store.database import Store

logger = logging.getLogger(__name__)

WINDOW = 60.0


class RateLimiter:
    """``store`` None: the counts live in this process (one instance on a SQLite file: no
    database write per question); else in the store, shared by every replica."""

    def __init__(self, store: Store | None, per_minute: int, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.per_minute = per_minute
        self.clock = clock
        self._counts: dict[tuple[str, int], int] = {}

    async def wait_needed(self, user: str) -> float:
        """Count one question of ``user``; 0 when it may go ahead, else the seconds until it could."""
        now = self.clock()
        window = math.floor(now / WINDOW)
        if self.store is None:
            current, previous = self._count_here(user, window)
        else:
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

    def _count_here(self, user: str, window: int) -> tuple[int, int]:
        if any(w < window - 1 for _, w in self._counts):  # a new minute: forget the spent ones
            self._counts = {key: n for key, n in self._counts.items() if key[1] >= window - 1}
        self._counts[user, window] = self._counts.get((user, window), 0) + 1
        return self._counts[user, window], self._counts.get((user, window - 1), 0)
