"""The digest loop behind ``briefbot digest --serve`` and ``briefbot serve``: a pass every
``interval`` seconds. Being late is harmless (the grace window covers it) and so is running on
several instances (each slot is claimed in the store), so a plain loop is enough."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.core.lifecycle import Lifecycle
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
        lifecycle: Lifecycle | None = None,
    ) -> None:
        self.runner = runner
        self.interval = interval
        self.sleep = sleep
        self.lifecycle = lifecycle or Lifecycle()

    async def run(self) -> None:
        """Run passes until cancelled or until the lifecycle is asked to stop. A pass in flight
        then is left running as tracked work: the caller drains it (``Lifecycle.drain``)."""
        log.info("digest scheduler running: a pass every %gs", self.interval)
        stop = self.lifecycle.stop_requested
        while not stop.is_set():
            if not await _until_stop(asyncio.ensure_future(self._tracked_tick()), stop):
                break
            await _until_stop(asyncio.ensure_future(self.sleep(self.interval)), stop)

    async def _tracked_tick(self) -> list[Outcome]:
        with self.lifecycle.work():
            return await self.tick()

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


async def _until_stop(task: asyncio.Future, stop: asyncio.Event) -> bool:
    """Wait for ``task`` or for ``stop``; True when the task finished first. When stopping, the
    task keeps running (the lifecycle's drain decides its fate)."""
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        stopping.cancel()
    if task.done():
        task.result()  # its error, if any, is the loop's
        return True
    return False
