"""Start-up of a long-running process: what it prepares while it connects to its platform.

The one place for start-up work (``bot/cli/long_running.py`` starts it):

- what every request needs (the store opened, a schema upgrade when one is due, the knowledge
  loaded) is done once the platform is connected, in ``run_long``, before the steps below; a
  request that comes earlier opens the store itself or waits for the open under way
  (``bot/store/opening.py``), and a store or knowledge that cannot be opened stops the process;
- what only makes answers fast or right from the first one (building the search index, loading
  the language identifier and the verifier's word lists, checking the model's key) is a step given
  to ``StartUp.begin``: the steps start once the platform is connected (``after``; they would
  otherwise compete with connecting for the one interpreter lock), and the core's answers wait
  for them (``wait``), so the first answer is the same as before, only the connection is not kept
  waiting.

A blocking step runs in a worker thread (``in_thread``); a step that fails is logged and the
process goes on: whatever it was preparing is then prepared on first use.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

Step = Callable[[], Awaitable[None]]


def in_thread(work: Callable[[], None]) -> Step:
    """A step that runs the blocking ``work`` in a worker thread."""
    return lambda: asyncio.to_thread(work)


class StartUp:
    def __init__(self) -> None:
        self._task: asyncio.Task | None = None

    @property
    def done(self) -> bool:
        return self._task is None or self._task.done()

    def begin(self, *steps: Step, after: Callable[[], Awaitable[bool]] | None = None) -> None:
        """Run ``steps`` together, in the background, from now, or once ``after()`` returns True
        (none is run when it returns False: the process is stopping)."""
        self._task = asyncio.create_task(self._run(steps, after), name="start-up")

    async def wait(self) -> None:
        """Return once the steps begun are over (at once when none were begun)."""
        if self._task is not None and not self._task.done():
            await asyncio.shield(self._task)  # one caller cancelled does not cancel the start-up

    async def _run(self, steps, after) -> None:
        if after is not None and not await after():
            return
        results = await asyncio.gather(*(step() for step in steps), return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                logger.error("a start-up step failed (prepared on first use instead): %r", result)
