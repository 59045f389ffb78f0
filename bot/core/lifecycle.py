"""Graceful shutdown for the long-running processes (``slack``, ``discord``, ``serve``, ``digest --serve``).

On SIGTERM or SIGINT: the adapters stop taking work (``stop_requested`` is set), the answers in
flight get ``grace`` seconds to be posted, and whatever is still running then is cancelled; each
piece of work handles its own cancellation by handing back what it holds (telling the user to
ask again instead of leaving a ⏳, releasing a claimed event or digest slot).

Work registers itself with ``with lifecycle.work():`` from inside its own task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

logger = logging.getLogger(__name__)

CANCEL_GRACE = 3.0  # seconds cancelled work gets to say so and hand back what it holds


class Lifecycle:
    def __init__(self, grace: float = 25.0) -> None:
        self.grace = grace
        self.stop_requested = asyncio.Event()
        self._work: set[asyncio.Task] = set()

    @property
    def stopping(self) -> bool:
        return self.stop_requested.is_set()

    @property
    def in_flight(self) -> int:
        return len(self._work)

    def request_stop(self, reason: str = "asked to stop") -> None:
        if not self.stopping:
            logger.info(
                "%s: taking no new work, finishing %d in flight (up to %g s)", reason, self.in_flight, self.grace
            )
        self.stop_requested.set()

    def install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.request_stop, f"{signal.Signals(sig).name} received")

    @contextlib.contextmanager
    def work(self) -> Iterator[None]:
        """Count the current task as work in flight until the block ends."""
        task = asyncio.current_task()
        if task is None:
            yield
            return
        self._work.add(task)
        try:
            yield
        finally:
            self._work.discard(task)

    async def drain(self) -> int:
        """Wait up to ``grace`` seconds for the work in flight; cancel what is left (it hands back
        what it holds). Returns how many pieces of work had to be cancelled."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.grace
        await asyncio.sleep(0)  # work handed over just before the intake closed starts now
        while self._work and loop.time() < deadline:  # work may start while earlier work ends
            await asyncio.wait(set(self._work), timeout=deadline - loop.time(), return_when=asyncio.FIRST_COMPLETED)
        pending = set(self._work)
        if not pending:
            logger.info("all work in flight finished")
            return 0
        logger.warning("%d answers did not finish within %g s: cancelling them", len(pending), self.grace)
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=CANCEL_GRACE)
        return len(pending)
