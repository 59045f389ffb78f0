"""Whether this process should get traffic: every part it needs says so.

Parts are named (``knowledge``, ``slack``, ``discord``, ``digest``...). A part is registered
as waiting by whoever starts it, then marked ready (or waiting again, with the reason) by the
code that sees its state; a part may instead be a check, asked at each probe (a socket whose
state the library knows). The store is asked at each probe by the endpoint itself.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

Check = Callable[[], "str | Awaitable[str | None] | None"]  # the reason it is not ready, or None


class Readiness:
    def __init__(self) -> None:
        self._waiting: dict[str, str] = {}  # part -> why it is not ready
        self._checks: dict[str, Check] = {}
        self._connected: set[str] = set()  # waiting parts whose connection is up all the same

    def waiting(self, part: str, reason: str) -> None:
        if self._waiting.get(part) != reason:
            logger.debug("not ready: %s: %s", part, reason)
        self._waiting[part] = reason
        self._checks.pop(part, None)
        self._connected.discard(part)

    def connected(self, part: str, reason: str) -> None:
        """``part``'s connection is up and takes traffic, but it is still preparing (``reason``):
        /readyz says not ready until ``ready``, while start-up work may begin."""
        self.waiting(part, reason)
        self._connected.add(part)

    def ready(self, part: str) -> None:
        if part in self._waiting:
            logger.debug("ready: %s", part)
        self._waiting.pop(part, None)
        self._connected.discard(part)

    def check(self, part: str, check: Check) -> None:
        """``part`` is ready when ``check()`` (sync or async) returns None, else it names the reason."""
        self._waiting.pop(part, None)
        self._checks[part] = check

    async def settled(self, *, ignoring: tuple[str, ...] = (), connected: bool = False, limit: float) -> bool:
        """Wait until no part but those ``ignoring`` is registered as waiting (checks are not
        asked; with ``connected``, a part whose connection is up counts as settled), for at most
        ``limit`` seconds; whether that happened."""
        deadline = time.monotonic() + limit
        while any(part not in ignoring and not (connected and part in self._connected) for part in self._waiting):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    async def problems(self) -> dict[str, str]:
        """What is not ready, part by part (empty: ready)."""
        found = dict(self._waiting)
        for part, check in list(self._checks.items()):
            try:
                reason = check()
                if inspect.isawaitable(reason):
                    reason = await reason
            except Exception as error:  # a probe must answer, whatever the part's state
                reason = f"check failed ({type(error).__name__})"
            if reason:
                found[part] = reason
        return found
