"""``/digest`` on any platform: command text in, reply text (light Markdown) out.

The platform modules decide who may manage a channel and hand that in as ``may_manage``;
``status`` is open to everyone, ``on`` / ``off`` / ``now`` need it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.digest.posters import DigestPoster
from bot.digest.runner import DigestRunner, digest_runner, utc_now
from bot.digest.schedule import next_slot, parse_time_of_day
from bot.digest.subscriptions import DigestUsageError, parse_digest
from bot.language.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES
from bot.store.records import Subscription

REFUSED = (
    "Sorry, only people who can manage this channel can change its digest "
    "(Slack: workspace admins and owners; Discord: Manage Channels). `/digest status` shows the current one."
)
NOW_REPLIES = {
    "posted": "Digest posted.",
    "skipped": "Nothing new since this channel's last digest, so nothing was posted. `/brief` gives the full briefing.",
    "paused": "I can't post in this channel ({detail}). Add me to it, then run `/digest on …` again.",
    "retry": "The digest could not be posted ({detail}). Please try again in a moment.",
    "unconfirmed": "The digest may not have been posted ({detail}): check the channel before trying again.",
    "error": "The digest could not be prepared ({detail}). Please try again later.",
}


@dataclass(frozen=True)
class Channel:
    platform: str  # the platform's name: "slack", "discord"
    channel: str
    workspace: str  # Slack team id / Discord guild id


def digest_commands(briefer, poster: DigestPoster) -> DigestCommands:
    """``/digest`` for one platform; ``/digest now`` posts through ``poster``."""
    return DigestCommands(briefer.store, digest_runner(briefer, [poster]))


class DigestCommands:
    def __init__(self, store, runner: DigestRunner, *, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.runner = runner
        self.clock = clock

    async def handle(self, text: str, where: Channel, *, user: str, may_manage: Callable[[], Awaitable[bool]]) -> str:
        try:
            request = parse_digest(text)
        except DigestUsageError as error:
            return str(error)
        if request.action == "status":
            return await self._status(where)
        if not await may_manage():
            return REFUSED
        if request.action == "off":
            gone = await asyncio.to_thread(self.store.delete_subscription, where.platform, where.channel)
            return "Done: no more daily digest in this channel." if gone else "This channel has no daily digest."
        if request.action == "now":
            return await self._now(where)
        sub = Subscription(
            where.platform, where.channel, where.workspace, request.time_of_day, request.timezone,
            request.language, request.always, created_by=user,
        )  # fmt: skip
        await asyncio.to_thread(self.store.save_subscription, sub)
        extra = " On days with nothing new it posts one line saying so." if sub.always else ""
        return f"Done: this channel gets the daily digest at {self._schedule(sub)}.{extra} {self._next(sub)}"

    async def _status(self, where: Channel) -> str:
        sub = await asyncio.to_thread(self.store.subscription, where.platform, where.channel)
        if sub is None:
            return "This channel has no daily digest. Start one with `/digest on 08:30 Europe/Rome it`."
        lines = [f"Daily digest at {self._schedule(sub)}."]
        if sub.always:
            lines.append("Days with nothing new get a one-line post.")
        if sub.paused:
            lines.append(f"**Paused**: {sub.paused_reason}. Once that is fixed (e.g. the bot added back), run "
                         "`/digest on …` to resume.")  # fmt: skip
        else:
            lines.append(self._next(sub))
        last = await asyncio.to_thread(self.store.last_digest_post, where.platform, where.channel)
        if last is not None:
            lines.append(f"Last: {last.local_date}, {_describe(last.status, last.detail)}.")
        return "\n".join(lines)

    async def _now(self, where: Channel) -> str:
        sub = await asyncio.to_thread(self.store.subscription, where.platform, where.channel)
        sub = sub or Subscription(where.platform, where.channel, where.workspace, "00:00", "UTC", DEFAULT_LANGUAGE)
        try:
            outcome = await self.runner.post_now(sub)
        except Exception as error:
            return NOW_REPLIES["error"].format(detail=type(error).__name__)
        return NOW_REPLIES[outcome.status].format(detail=outcome.detail)

    @staticmethod
    def _schedule(sub: Subscription) -> str:
        return f"{sub.time_of_day} ({sub.timezone}), in {LANGUAGE_NAMES.get(sub.language, sub.language)}"

    def _next(self, sub: Subscription) -> str:
        zone = ZoneInfo(sub.timezone)
        upcoming = next_slot(parse_time_of_day(sub.time_of_day), zone, self.clock()).at.astimezone(zone)
        return f"Next: {upcoming:%Y-%m-%d %H:%M %Z}."


def _describe(status: str, detail: str) -> str:
    text = {
        "claimed": "claimed but not confirmed posted (the process stopped while posting)",
        "posted": "posted",
        "skipped": "nothing new, not posted",
        "failed": "not posted",
        "unconfirmed": "may not have been posted",
    }.get(status, status)
    return f"{text} ({detail})" if detail and status != "skipped" else text
