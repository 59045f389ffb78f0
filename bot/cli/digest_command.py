"""``briefbot digest --once [--dry-run]`` and ``briefbot digest --serve``."""

from __future__ import annotations

import sys

from bot.cli.digest_posting import posting_runner
from bot.config import Settings
from bot.digest.runner import digest_runner
from bot.digest.scheduler import DigestScheduler
from bot.platforms.registry import PLATFORMS


async def run_digest_command(settings: Settings, briefer, args) -> int:
    if args.dry_run:
        if not args.once:
            print("briefbot: error: --dry-run goes with --once", file=sys.stderr)
            return 2
        return _report(await digest_runner(briefer, []).run_once(dry_run=True))
    if args.serve:
        briefer.readiness.waiting("digest", "opening the platforms' clients")
    async with posting_runner(settings, briefer) as runner:
        if not runner.posters:
            hints = " and/or ".join(dict.fromkeys(p.post_hint for p in PLATFORMS))
            print(f"briefbot: error: no platform to post to: set {hints}", file=sys.stderr)
            return 2
        if args.once:
            return _report(await runner.run_once())
        briefer.readiness.ready("digest")
        await DigestScheduler(runner, lifecycle=briefer.lifecycle).run()
        await briefer.lifecycle.drain()  # a pass in flight finishes (or releases its claims) while posters are open
    return 0


def _report(outcomes) -> int:
    for outcome in outcomes:
        print(outcome.line())
    if not outcomes:
        print("no digest due")
    return 1 if any(o.status in ("error", "unconfirmed") for o in outcomes) else 0
