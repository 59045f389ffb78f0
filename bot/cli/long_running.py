"""What every long-running command (``slack``, ``discord``, ``serve``, ``digest --serve``) does
around its work: graceful stop on SIGTERM/SIGINT, warm-up and the model's start-up check (in
parallel with connecting to the platform: ``bot/core/startup.py`` says where start-up work goes),
retention enforced in the background, and added, changed or removed articles picked up."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.core.startup import in_thread
from bot.knowledge.live import KnowledgeWatcher
from bot.store.retention import enforce_retention

logger = logging.getLogger(__name__)


async def run_long(briefer, serve):
    """Run ``serve(briefer)`` and return its result; it returns once ``briefer.lifecycle`` is asked
    to stop and its work in flight is done (or handed back)."""
    lifecycle = briefer.lifecycle
    lifecycle.install_signal_handlers()
    briefer.startup.begin(in_thread(briefer.warm_up), briefer.check_model)  # answers wait for these
    tidy = asyncio.create_task(enforce_retention(briefer))
    settings = briefer.settings
    watch = KnowledgeWatcher(briefer, settings.knowledge_dir, interval=settings.knowledge_poll_seconds)
    watching = asyncio.create_task(watch.run())
    try:
        result = await serve(briefer)
    finally:
        await briefer.startup.wait()  # its worker thread cannot be cancelled: let it end first
        for task in (tidy, watching):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    if lifecycle.stopping:
        logger.info("stopped")
    return result
