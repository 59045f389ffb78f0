"""Retention, enforced by every long-running process: at start, then every ``INTERVAL``.

Defaults (``Settings``): conversation turns 30 days, processed event ids 2 days, digest records
one year, cached briefings until the knowledge changes. Several replicas pruning at once is
harmless: each DELETE removes what is expired, whoever runs it first.
"""

from __future__ import annotations

import asyncio
import logging

from bot.config import Settings
from bot.store.records import Retention, StoreError

logger = logging.getLogger(__name__)

INTERVAL = 3600.0  # seconds between passes
DAY = 86400.0


def retention_from(settings: Settings) -> Retention:
    return Retention(
        conversations=settings.retain_conversation_days * DAY,
        events=settings.retain_event_days * DAY,
        digests=settings.retain_digest_days * DAY,
    )


async def prune_once(briefer) -> dict[str, int]:
    retention = retention_from(briefer.settings)
    try:
        gone = await asyncio.to_thread(briefer.store.prune, retention, knowledge_version=briefer.knowledge.version)
    except StoreError as error:
        logger.warning("retention: pass skipped, will try again: %s", error)
        return {}
    deleted = {table: count for table, count in gone.items() if count}
    if deleted:
        logger.info("retention: deleted %s", ", ".join(f"{n} from {t}" for t, n in sorted(deleted.items())))
    return deleted


async def enforce_retention(briefer, *, interval: float = INTERVAL) -> None:
    """Prune now and every ``interval`` seconds until cancelled."""
    while True:
        await prune_once(briefer)
        await asyncio.sleep(interval)
