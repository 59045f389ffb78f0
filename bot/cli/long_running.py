"""What every long-running command (``slack``, ``discord``, ``serve``, ``digest --serve``) does
around its work: graceful stop on SIGTERM/SIGINT, warm-up, the model's start-up check,
retention enforced in the background, and added, changed or removed articles picked up."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.knowledge.live import KnowledgeWatcher
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
    settings = briefer.settings
    watch = KnowledgeWatcher(briefer, settings.knowledge_dir, interval=settings.knowledge_poll_seconds)
    watching = asyncio.create_task(watch.run())
    try:
        result = await serve(briefer)
    finally:
        for task in (tidy, watching):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    if lifecycle.stopping:
        logger.info("stopped")
    return result
