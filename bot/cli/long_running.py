"""What every long-running command (``slack``, ``discord``, ``serve``, ``digest --serve``) does
around its work: graceful stop on SIGTERM/SIGINT, warm-up, the model's start-up check, and
retention enforced in the background."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.store.retention import enforce_retention

logger = logging.getLogger(__name__)


async def run_long(briefer, serve):
    """Run ``serve(briefer)`` and return its result; it returns once ``briefer.lifecycle`` is asked
    to stop and its work in flight is done (or handed back)."""
    lifecycle = briefer.lifecycle
    lifecycle.install_signal_handlers()
    briefer.warm_up()
    await briefer.check_model()
    tidy = asyncio.create_task(enforce_retention(briefer))
    try:
        result = await serve(briefer)
    finally:
        tidy.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await tidy
    if lifecycle.stopping:
        logger.info("stopped")
    return result
