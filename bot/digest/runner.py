"""One digest pass: find the subscriptions that are due, claim each day's slot, post, record.

Exactly one post per (platform, channel, local date) across restarts and instances: the slot
is claimed in the store (INSERT ... ON CONFLICT DO NOTHING) *before* posting, so two instances
never both post. The cost is at-most-once: a crash between claim and post loses that day's
digest for that channel (the ledger row stays ``claimed``, and ``/digest status`` shows it),
rather than risking a second post. When the platform answers with an error, nothing was
posted: the claim is released and a later pass retries within the grace window.

A pass posts to up to ``concurrency`` channels at once (each channel's posts still paced by the
poster), and any number of worker processes may run passes over the same store: that same
insert-once claim shares the channels out among them. We chose it over a job queue or
``SELECT ... FOR UPDATE SKIP LOCKED`` because the ledger row *is* the lock and it outlives the
transaction: a row lock would have to be held across the platform call (an open transaction
per post in flight) or be backed by a status column anyway, and the claim works the same on
SQLite. A worker that loses a claim has spent two small queries and moves on to the next channel.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from bot.answers.feedback import rating_id_or_none
from bot.answers.reply import Reply
from bot.digest.posters import ChannelGone, DigestPoster, PostFailed
from bot.digest.schedule import UTC, due_slot, next_slot, parse_time_of_day
from bot.language.phrases import message
from bot.observability.metrics import digest_outcome
from bot.store.records import Subscription

DEFAULT_GRACE = dt.timedelta(hours=6)
DEFAULT_CONCURRENCY = 16  # channels posted to at once by one worker (BRIEFBOT_DIGEST_CONCURRENCY)
DIGEST_ARTICLES = 6  # a digest briefs on at most this many of the new articles, the newest
_LABELS = {"new": {"it": "Nuovo", "en": "New"}, "updated": {"it": "Aggiornato", "en": "Updated"}}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    platform: str
    channel: str
    status: str  # posted | skipped | paused | retry | unconfirmed | error | not-configured | dry-run
    local_date: str = ""
    detail: str = ""
    message_id: str = ""

    def line(self) -> str:
        where = f"{self.platform} {self.channel}" + (f" ({self.local_date})" if self.local_date else "")
        return f"{where}: {self.status}" + (f": {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class DigestContent:
    reply: Reply
    title: str
    versions: dict[str, str]  # article id -> version this digest covers


def _pause_reason(code: str) -> str:
    if code in ("not_in_channel", "channel_not_found", "is_archived") or code.startswith(("HTTP 403", "HTTP 404")):
        return f"the bot cannot post in this channel ({code})"
    return f"the platform refused the digest and would again ({code})"


class Backoff:
    """Per channel, after a transient failure: wait 30 s, then 1, 2, 4... minutes (at most 30)
    before the next try, instead of retrying every pass for hours."""

    def __init__(self, first: float = 30.0, most: float = 1800.0, *, clock: Callable[[], float]):
        self.first, self.most, self.clock = first, most, clock
        self._state: dict[tuple[str, str], tuple[int, float]] = {}

    def failed(self, key: tuple[str, str]) -> float:
        failures = self._state.get(key, (0, 0.0))[0] + 1
        wait = min(self.first * 2 ** (failures - 1), self.most)
        self._state[key] = (failures, self.clock() + wait)
        return wait

    def succeeded(self, key: tuple[str, str]) -> None:
        self._state.pop(key, None)

    def waiting(self, key: tuple[str, str]) -> bool:
        return key in self._state and self.clock() < self._state[key][1]


def utc_now() -> dt.datetime:
    return dt.datetime.now(UTC)


def instance_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def digest_runner(
    briefer,
    posters: Iterable[DigestPoster],
    *,
    clock: Callable[[], dt.datetime] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> DigestRunner:
    """The runner every entry point uses (``briefbot digest``, ``serve``, each platform's ``/digest``):
    posting through ``posters`` (one per platform; none for a dry run)."""
    posters_by_platform = {poster.platform: poster for poster in posters}
    return DigestRunner(briefer, posters_by_platform, clock=clock or utc_now, concurrency=concurrency)


class DigestRunner:
    def __init__(
        self,
        briefer,
        posters: Mapping[str, DigestPoster],
        *,
        grace: dt.timedelta = DEFAULT_GRACE,
        clock: Callable[[], dt.datetime] = utc_now,
        instance: str = "",
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self.briefer = briefer
        self.store = briefer.store
        self.posters = dict(posters)
        self.grace = grace
        self.clock = clock
        self.instance = instance or instance_name()
        self.concurrency = concurrency
        self._briefings: dict[tuple[str, tuple[str, ...]], asyncio.Future[Reply]] = {}
        self._backoff = Backoff(clock=lambda: self.clock().timestamp())

    async def run_once(self, *, dry_run: bool = False) -> list[Outcome]:
        """One pass over every subscription, up to ``concurrency`` channels at once; the outcomes in
        subscription order. A failure in one channel never stops the others."""
        now = self.clock()
        self._briefings = {}  # within a pass, one briefing per (language, articles); the core caches across passes
        slots = asyncio.Semaphore(self.concurrency)

        async def one(sub: Subscription) -> Outcome | None:
            async with slots:  # claimed only when about to post: other workers take the rest meanwhile
                try:
                    outcome = await (self._preview(sub, now) if dry_run else self._run_subscription(sub, now))
                except Exception as error:
                    log.exception("digest for %s %s failed", sub.platform, sub.channel)
                    outcome = Outcome(sub.platform, sub.channel, "error", detail=type(error).__name__)
                if outcome is not None and not dry_run:
                    digest_outcome(outcome.platform, outcome.status)
                return outcome

        subscriptions = await asyncio.to_thread(self.store.subscriptions)
        return [o for o in await asyncio.gather(*(one(sub) for sub in subscriptions)) if o is not None]

    async def post_now(self, sub: Subscription) -> Outcome:
        """``/digest now``: post what is new at once, outside the daily slot (which it does not use)."""
        poster = self.posters[sub.platform]
        today = self.clock().astimezone(ZoneInfo(sub.timezone)).date()
        content = await self._content(sub, today, always=False)
        outcome = await self._post(sub, today, poster, content, ledger=False)
        digest_outcome(outcome.platform, outcome.status)
        return outcome

    # --- internals ---------------------------------------------------------------------

    async def _run_subscription(self, sub: Subscription, now: dt.datetime) -> Outcome | None:
        if sub.paused:
            return None
        slot = due_slot(parse_time_of_day(sub.time_of_day), ZoneInfo(sub.timezone), now, self.grace)
        if slot is None:
            return None
        poster = self.posters.get(sub.platform)
        if poster is None:
            return Outcome(sub.platform, sub.channel, "not-configured", slot.local_date.isoformat(),
                           f"no {sub.platform} token: this instance cannot post there")  # fmt: skip
        if self._backoff.waiting((sub.platform, sub.channel)):
            return None  # a transient failure a moment ago: the next try comes after its backoff
        day = slot.local_date.isoformat()
        if await asyncio.to_thread(self.store.digest_post, sub.platform, sub.channel, day) is not None:
            return None  # already handled today (by this or another instance)
        if not await asyncio.to_thread(
            self.store.claim_digest, sub.platform, sub.channel, day, claimed_by=self.instance
        ):
            return None  # another instance claimed it a moment ago
        try:
            content = await self._content(sub, slot.local_date, always=sub.always)
        except BaseException:  # an error, or a shutdown that could not wait: nothing was posted
            await asyncio.shield(asyncio.to_thread(self.store.release_digest, sub.platform, sub.channel, day))
            raise
        return await self._post(sub, slot.local_date, poster, content, ledger=True)

    async def _post(
        self, sub: Subscription, day: dt.date, poster: DigestPoster, content: DigestContent | None, *, ledger: bool
    ) -> Outcome:
        key = (sub.platform, sub.channel, day.isoformat())

        async def finish(status: str, **fields) -> None:
            if ledger:
                await asyncio.to_thread(self.store.finish_digest, *key, status, **fields)

        if content is None:
            await finish("skipped", detail="nothing new")
            return Outcome(*key[:2], "skipped", key[2], "nothing new since the last digest")
        # Each post is rated on its own (a channel's 👎 is about what that channel got).
        rating_id = await rating_id_or_none(self.store, content.reply, platform=sub.platform, question="",
                                            channel=sub.channel, conversation_id="")  # fmt: skip
        try:
            posted = await poster.post(sub, content.reply, title=content.title, rating_id=rating_id)
        except ChannelGone as gone:
            reason = _pause_reason(str(gone))
            log.warning("digest paused for %s %s: %s", sub.platform, sub.channel, reason)
            await asyncio.to_thread(self.store.pause_subscription, sub.platform, sub.channel, reason)
            await finish("failed", detail=reason)
            return Outcome(*key[:2], "paused", key[2], reason)
        except PostFailed as failed:
            wait = self._backoff.failed(key[:2])
            log.warning("digest not posted to %s %s (%s): will retry in %gs", sub.platform, sub.channel, failed, wait)
            if ledger:
                await asyncio.to_thread(self.store.release_digest, *key)
            return Outcome(*key[:2], "retry", key[2], str(failed))
        except Exception as error:  # unknown outcome (e.g. a timeout): keep the claim, never post twice
            log.exception("digest to %s %s may or may not have been posted", sub.platform, sub.channel)
            await finish("unconfirmed", detail=type(error).__name__)
            return Outcome(*key[:2], "unconfirmed", key[2], type(error).__name__)
        self._backoff.succeeded(key[:2])
        await finish("posted", message_id=posted.message_id)
        await asyncio.to_thread(self.store.record_digested, sub.platform, sub.channel, content.versions)
        await self.briefer.remember(posted.conversation_id, content.reply)
        log.info("digest posted to %s %s (%s)", sub.platform, sub.channel, posted.message_id)
        return Outcome(*key[:2], "posted", key[2], message_id=posted.message_id)

    async def _preview(self, sub: Subscription, now: dt.datetime) -> Outcome:
        """``--dry-run``: what would be posted where; nothing is claimed or posted."""
        zone = ZoneInfo(sub.timezone)
        time_of_day = parse_time_of_day(sub.time_of_day)
        if sub.paused:
            return Outcome(sub.platform, sub.channel, "dry-run", detail=f"paused: {sub.paused_reason}")
        slot = due_slot(time_of_day, zone, now, self.grace)
        if slot is None:
            upcoming = next_slot(time_of_day, zone, now).at.astimezone(zone)
            detail = f"not due, next at {upcoming:%Y-%m-%d %H:%M %Z}"
            return Outcome(sub.platform, sub.channel, "dry-run", detail=detail)
        day = slot.local_date.isoformat()
        if await asyncio.to_thread(self.store.digest_post, sub.platform, sub.channel, day) is not None:
            return Outcome(sub.platform, sub.channel, "dry-run", day, "already handled today")
        content = await self._content(sub, slot.local_date, always=sub.always)
        text = "nothing new: no post" if content is None else "would post:\n" + content.reply.text
        return Outcome(sub.platform, sub.channel, "dry-run", day, text)

    async def _content(self, sub: Subscription, day: dt.date, *, always: bool) -> DigestContent | None:
        """What is new or changed since the channel's last digest; None when nothing is and
        the subscription does not ask for a post anyway."""
        lang = sub.language
        title = f"{message('digest_title', lang)} — {day.isoformat()}"
        seen = await asyncio.to_thread(self.store.digested_versions, sub.platform, sub.channel)
        fresh = [a for a in self.briefer.knowledge.newest_first if seen.get(a.id) != a.version]
        if not fresh:
            if not always:
                return None
            text = f"**{title}**\n{message('no_news', lang)}"
            return DigestContent(Reply(text, language=lang, engine="none"), title, {})
        covered = fresh[:DIGEST_ARTICLES]  # the newest; the rest are counted, not briefed
        briefing = await self._briefing(lang, tuple(sorted(a.id for a in covered)))
        lines = [f"**{title}**"]
        for article in covered:
            label = _LABELS["updated" if article.id in seen else "new"][lang]
            lines.append(f"_{label}: {article.title_in(lang)} — {article.source}, {article.published.isoformat()}_")
        if len(fresh) > len(covered):
            lines.append(f"_{message('and_more', lang, count=len(fresh) - len(covered))}_")
        reply = replace(briefing, text="\n".join(lines) + "\n\n" + briefing.text, extras=dict(briefing.extras))
        return DigestContent(reply, title, {a.id: a.version for a in fresh})

    async def _briefing(self, lang: str, article_ids: tuple[str, ...]) -> Reply:
        """Channels posted at once share one briefing in the making; a failed one is tried again."""
        key = (lang, article_ids)
        task = self._briefings.get(key)
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            task = asyncio.ensure_future(self.briefer.brief(lang=lang, kind="digest", article_ids=article_ids))
            self._briefings[key] = task
        return await asyncio.shield(task)  # one channel's cancellation leaves the others' briefing alone
