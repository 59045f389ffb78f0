"""``briefbot serve``: every configured platform plus the digest scheduler, in one process.

Each platform of the registry runs when its settings allow (the log says plainly what is not
configured); the scheduler runs when any platform can be posted to. If one piece stops,
everything stops, so that the process manager restarts a whole, healthy process.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Coroutine

from bot.cli.digest_posting import posting_runner
from bot.config import ConfigError, Settings
from bot.core.lifecycle import CANCEL_GRACE, Lifecycle
from bot.digest.scheduler import DEFAULT_INTERVAL, DigestScheduler
from bot.platforms.registry import PLATFORMS

log = logging.getLogger(__name__)


async def serve_all(
    settings: Settings,
    briefer,
    *,
    host: str,
    port: int,
    clock: Callable[[], dt.datetime] | None = None,
    interval: float | None = None,
) -> None:
    """Run until cancelled or until a piece fails (its error is raised). ``host``/``port`` are for
    platforms that listen (Slack in HTTP mode); ``clock`` and ``interval`` tune the scheduler (tests)."""
    pieces: dict[str, Coroutine] = {}
    for platform in PLATFORMS:
        missing = platform.not_runnable(settings)
        if missing is None:
            pieces[platform.name] = platform.run(settings, briefer, _options(platform, host, port))
        else:  # a platform that can still post digests is half configured: worth a warning
            log.log(logging.WARNING if platform.can_post(settings) else logging.INFO,
                    "%s: %s", platform.title, missing)  # fmt: skip
    if any(platform.can_post(settings) for platform in PLATFORMS):
        pieces["digest"] = _scheduler(settings, briefer, clock, interval)
    else:
        log.info("Digest scheduler: not started (no platform configured to post to)")
    if not pieces:
        hints = " and/or ".join(platform.run_hint for platform in PLATFORMS)
        raise ConfigError(f"nothing to serve: set {hints}")
    for name in pieces:  # /readyz: each piece marks itself ready once connected
        briefer.readiness.waiting(name, "starting")
    await run_together(pieces, briefer.lifecycle)


def _options(platform, host: str, port: int) -> argparse.Namespace:
    """The platform's own command-line defaults, with the address ``serve`` was given."""
    parser = argparse.ArgumentParser(add_help=False)
    platform.add_arguments(parser)
    options = parser.parse_args([])
    options.host, options.port = host, port
    return options


async def _scheduler(settings: Settings, briefer, clock, interval) -> None:
    async with posting_runner(settings, briefer, clock=clock) as runner:
        briefer.readiness.ready("digest")
        await DigestScheduler(runner, interval=interval or DEFAULT_INTERVAL, lifecycle=briefer.lifecycle).run()
        await briefer.lifecycle.drain()  # a pass in flight finishes (or releases its claims) while posters are open


async def run_together(pieces: dict[str, Awaitable], lifecycle: Lifecycle | None = None) -> None:
    """Run every piece; when the first one ends, cancel the rest and re-raise its error, if any.
    When the ``lifecycle`` is stopping, every piece is draining its work: they all get the grace
    period to end by themselves."""
    tasks = {asyncio.ensure_future(piece): name for name, piece in pieces.items()}
    try:
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if pending and lifecycle is not None and lifecycle.stopping:
            await asyncio.wait(pending, timeout=lifecycle.grace + CANCEL_GRACE)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    first = next(iter(done))
    if first.exception() is not None:
        raise first.exception()
    if lifecycle is None or not lifecycle.stopping:
        log.warning("%s stopped: stopping the other pieces", tasks[first])
