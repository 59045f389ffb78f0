"""The digest runner ``briefbot digest`` and ``briefbot serve`` post with: one poster per
platform of the registry that the settings let post."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

from bot.config import Settings
from bot.digest.posters import ChannelPacer
from bot.digest.runner import DigestRunner, digest_runner
from bot.platforms.registry import PLATFORMS

log = logging.getLogger(__name__)


@asynccontextmanager
async def posting_runner(
    settings: Settings, briefer, *, clock: Callable[[], dt.datetime] | None = None
) -> AsyncIterator[DigestRunner]:
    """A runner posting to every platform the settings allow; says which ones they do not."""
    pacer = ChannelPacer()
    async with AsyncExitStack() as stack:
        posters = []
        for platform in PLATFORMS:
            if platform.can_post(settings):
                posters.append(await stack.enter_async_context(platform.digest_poster(settings, pacer)))
            else:
                log.info("digest: %s not configured (%s is not set): no digests posted to %s",
                         platform.title, platform.post_hint, platform.title)  # fmt: skip
        yield digest_runner(briefer, posters, clock=clock, concurrency=settings.digest_concurrency)
