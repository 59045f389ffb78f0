"""``python -m bot digest --once [--dry-run]`` and ``python -m bot digest --serve``."""

from __future__ import annotations

import sys

from bot.config import Settings
from bot.digest.posters import configured_posters
from bot.digest.runner import DigestRunner
from bot.digest.scheduler import DigestScheduler

NO_PLATFORM = "briefbot: error: no platform to post to: set SLACK_BOT_TOKEN and/or DISCORD_TOKEN"


async def run_digest_command(settings: Settings, briefer, args) -> int:
    if args.dry_run:
        if not args.once:
            print("briefbot: error: --dry-run goes with --once", file=sys.stderr)
            return 2
        return _report(await DigestRunner(briefer, {}).run_once(dry_run=True))
    async with configured_posters(settings) as posters:
        if not posters:
            print(NO_PLATFORM, file=sys.stderr)
            return 2
        runner = DigestRunner(briefer, posters)
        if args.once:
            return _report(await runner.run_once())
        await DigestScheduler(runner, lifecycle=briefer.lifecycle).run()
        await briefer.lifecycle.drain()  # a pass in flight finishes (or releases its claims) while posters are open
    return 0


def _report(outcomes) -> int:
    for outcome in outcomes:
        print(outcome.line())
    if not outcomes:
        print("no digest due")
    return 1 if any(o.status in ("error", "unconfirmed") for o in outcomes) else 0
