"""``python -m bot serve``: every configured adapter plus the digest scheduler, in one process.

Slack runs when SLACK_BOT_TOKEN is set (Socket Mode with SLACK_APP_TOKEN, else HTTP mode on
host:port, which needs SLACK_SIGNING_SECRET); Discord when DISCORD_TOKEN is set; the scheduler
when either platform can be posted to. What is not configured is said in the log. If one piece
stops, everything stops, so that the process manager restarts a whole, healthy process.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Coroutine

from bot.config import ConfigError, Settings
from bot.lifecycle import CANCEL_GRACE, Lifecycle

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
    """Run until cancelled or until a piece fails (its error is raised). ``clock`` and
    ``interval`` tune the digest scheduler (tests)."""
    pieces: dict[str, Coroutine] = {}
    if settings.slack_bot_token and (settings.slack_app_token or settings.slack_signing_secret):
        from bot.adapters.slack import serve_slack

        mode = "socket" if settings.slack_app_token else "http"
        log.info("Slack: %s", "Socket Mode" if mode == "socket" else f"HTTP mode on {host}:{port}")
        pieces["slack"] = serve_slack(settings, briefer, mode=mode, host=host, port=port)
    elif settings.slack_bot_token:
        log.warning("Slack: adapter not started: set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)")
    else:
        log.info("Slack: not configured (SLACK_BOT_TOKEN is not set)")
    if settings.discord_token:
        from bot.adapters.discord import serve_discord

        log.info("Discord: starting")
        pieces["discord"] = serve_discord(settings, briefer, message_content=settings.discord_message_content)
    else:
        log.info("Discord: not configured (DISCORD_TOKEN is not set)")
    if settings.slack_bot_token or settings.discord_token:
        pieces["digest"] = _scheduler(settings, briefer, clock, interval)
    else:
        log.info("Digest scheduler: not started (no Slack or Discord token to post with)")
    if not pieces:
        raise ConfigError("nothing to serve: set SLACK_BOT_TOKEN (with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) "
                          "and/or DISCORD_TOKEN")  # fmt: skip
    await run_together(pieces, briefer.lifecycle)


async def _scheduler(settings: Settings, briefer, clock, interval) -> None:
    from bot.digest.posters import configured_posters
    from bot.digest.runner import DigestRunner
    from bot.digest.scheduler import DEFAULT_INTERVAL, DigestScheduler

    async with configured_posters(settings) as posters:
        runner = DigestRunner(briefer, posters, **({"clock": clock} if clock else {}))
        await DigestScheduler(runner, interval=interval or DEFAULT_INTERVAL, lifecycle=briefer.lifecycle).run()
        await briefer.lifecycle.drain()


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
