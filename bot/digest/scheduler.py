"""The digest loop behind ``briefbot digest --serve`` and ``briefbot serve``: a pass every
``interval`` seconds. Being late is harmless (the grace window covers it) and so is running on
several instances (each slot is claimed in the store), so a plain loop is enough."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.digest.runner import DigestRunner, Outcome

DEFAULT_INTERVAL = 30.0  # seconds between passes: how late after its minute a digest may be

log = logging.getLogger(__name__)


class DigestScheduler:
    def __init__(
        self,
        runner: DigestRunner,
        *,
        interval: float = DEFAULT_INTERVAL,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.runner = runner
        self.interval = interval
        self.sleep = sleep

    async def run(self) -> None:
        """Run passes until cancelled."""
        log.info("digest scheduler running: a pass every %gs", self.interval)
        while True:
            await self.tick()
            await self.sleep(self.interval)

    async def tick(self) -> list[Outcome]:
        """One pass; an error (the database briefly down, say) is logged and the loop goes on."""
        try:
            outcomes = await self.runner.run_once()
        except Exception:
            log.exception("digest pass failed; next try in %gs", self.interval)
            return []
        for outcome in outcomes:
            level = logging.DEBUG if outcome.status == "not-configured" else logging.INFO
            log.log(level, "digest %s", outcome.line())
        return outcomes
