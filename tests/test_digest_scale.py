"""Digest scale-out: one pass posts to several channels at once, within a bound, and several
``briefbot digest`` worker processes share one pass through the store's claims."""

import asyncio
import datetime as dt

from bench.digest_scale import digest_pass
from bot.digest.posters import Posted, PostFailed
from bot.digest.runner import DigestRunner
from tests.conftest import postgres_url_or_skip
from tests.digest_helpers import FrozenClock, digest_settings, subscribe
from tests.support import real_briefer

UTC = dt.UTC


class SlowPoster:
    """A poster that takes a while per post and counts how many posts are in flight at once."""

    platform = "slack"

    def __init__(self, *, fail: frozenset[str] = frozenset()) -> None:
        self.in_flight = 0
        self.most_in_flight = 0
        self.posted: list[str] = []
        self.fail = fail

    async def post(self, sub, reply, *, title, rating_id=None):
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.05)
            if sub.channel in self.fail:
                raise PostFailed("ratelimited")
            self.posted.append(sub.channel)
            return Posted(f"ts-{sub.channel}", f"slack:{sub.workspace}:{sub.channel}")
        finally:
            self.in_flight -= 1


async def test_a_pass_posts_to_several_channels_at_once_within_the_bound(tmp_path):
    settings = digest_settings(tmp_path)
    poster = SlowPoster(fail=frozenset({"C03"}))
    async with real_briefer(settings) as briefer:
        channels = [f"C{n:02d}" for n in range(12)]
        for channel in channels:
            subscribe(briefer.store, "slack", channel, "08:00", "UTC", "en")
        clock = FrozenClock(dt.datetime(2025, 11, 4, 8, 1, tzinfo=UTC))
        outcomes = await DigestRunner(briefer, {"slack": poster}, clock=clock, concurrency=4).run_once()
        store = briefer.store

        assert poster.most_in_flight == 4
        assert sorted(poster.posted) == [c for c in channels if c != "C03"]
        assert [(o.channel, o.status) for o in outcomes] == [(c, "retry" if c == "C03" else "posted") for c in channels]
        assert store.digest_post("slack", "C03", "2025-11-04") is None  # released: a later pass retries it
        assert store.digest_post("slack", "C04", "2025-11-04").status == "posted"


async def test_two_worker_processes_share_a_pass_with_nothing_posted_twice_or_missed():
    result = await digest_pass(postgres_url_or_skip(), channels=40, workers=2, concurrency=4)
    assert result.exit_codes == [0, 0]
    assert (result.posts, result.duplicates, result.missed) == (40, 0, 0)
    assert sum(result.shares) == 40  # each channel reported posted by exactly one worker
