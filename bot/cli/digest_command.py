"""``briefbot digest --once [--dry-run]`` and ``briefbot digest --serve``, and the digest runner
they and ``briefbot serve`` post with: one poster per platform of the registry that can post."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

from bot.config import Settings
from bot.digest.posters import ChannelPacer
from bot.digest.runner import DigestRunner, digest_runner
from bot.digest.scheduler import DigestScheduler
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
        yield digest_runner(briefer, posters, clock=clock)


async def run_digest_command(settings: Settings, briefer, args) -> int:
    if args.dry_run:
        if not args.once:
            print("briefbot: error: --dry-run goes with --once", file=sys.stderr)
            return 2
        return _report(await digest_runner(briefer, []).run_once(dry_run=True))
    async with posting_runner(settings, briefer) as runner:
        if not runner.posters:
            hints = " and/or ".join(dict.fromkeys(p.post_hint for p in PLATFORMS))
            print(f"briefbot: error: no platform to post to: set {hints}", file=sys.stderr)
            return 2
        if args.once:
            return _report(await runner.run_once())
        await DigestScheduler(runner).run()
    return 0  # pragma: no cover - the scheduler runs until cancelled


def _report(outcomes) -> int:
    for outcome in outcomes:
        print(outcome.line())
    if not outcomes:
        print("no digest due")
    return 1 if any(o.status in ("error", "unconfirmed") for o in outcomes) else 0
