"""One digest pass end to end: the real core and store, posting to the fake Slack and Discord."""

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.digest.posters import ChannelPacer
from bot.digest.runner import DigestRunner
from bot.digest.scheduler import DigestScheduler
from tests.digest_helpers import (
    FrozenClock,
    change_article,
    digest_settings,
    discord_poster,
    fresh_database,
    runner,
    slack_poster,
    slack_posts,
    subscribe,
)
from tests.fakes.discord_server import GUILD_ID
from tests.fakes.slack_server import TEAM_ID
from tests.support import real_briefer

ROME = ZoneInfo("Europe/Rome")
UTC = dt.UTC


def rome(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ROME).astimezone(UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


async def test_fires_once_at_its_local_time(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    clock = FrozenClock(rome(2025, 11, 4, 8, 29))
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1", "08:30", "Europe/Rome", "en")
        digest = runner(briefer, clock, slack=poster)
        assert await digest.run_once() == []
        clock.set(rome(2025, 11, 4, 8, 30))
        [outcome] = await digest.run_once()
        for minutes in (1, 60, 600):
            clock.set(rome(2025, 11, 4, 8, 30) + dt.timedelta(minutes=minutes))
            assert await digest.run_once() == []

    assert outcome.status == "posted" and outcome.local_date == "2025-11-04"
    [post] = slack_posts(slack_api)
    assert post.args["channel"] == "C1"
    text = post.args["text"]
    assert "Today's digest — 2025-11-04" in text
    assert "New: OpenAI picks AWS" in text and "2025-11-04" in text  # title, source and date of what is new
    assert "Articolo originale" in text  # the article's source
    assert "openai-aws/p3" in str(post.args["blocks"])  # cited
    assert briefer.store.digest_post("slack", "C1", "2025-11-04").message_id == post.response["ts"]


async def test_the_digest_opens_a_conversation_in_its_thread(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1")
        await runner(briefer, FrozenClock(rome(2025, 11, 4, 9, 0)), slack=poster).run_once()
        ts = slack_posts(slack_api)[0].response["ts"]
        assert await briefer.has_conversation(f"slack:{TEAM_ID}:C1:{ts}")  # thread replies are follow-ups
        [turn] = briefer.store.recent_turns(f"slack:{TEAM_ID}:C1:{ts}", limit=5, max_age_seconds=3600)
        assert turn.role == "assistant" and "openai-aws/p3" in turn.citations


@pytest.mark.parametrize("time_of_day", ["08:30", "02:30"])
@pytest.mark.parametrize(("first_day", "dst_day"), [((2025, 3, 29), "2025-03-30"), ((2025, 10, 25), "2025-10-26")])
async def test_dst_days_in_rome_get_exactly_one_digest_each(slack_api, tmp_path, time_of_day, first_day, dst_day):
    settings = digest_settings(tmp_path, slack=slack_api)
    clock = FrozenClock(rome(*first_day, 0, 0))
    end = clock.now + dt.timedelta(days=3)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1", time_of_day, always=True)  # a post even when nothing is new
        digest = runner(briefer, clock, slack=poster)
        posted = []
        while clock.now < end:  # a pass every 10 minutes for three days
            posted += [o.local_date for o in await digest.run_once() if o.status == "posted"]
            clock.advance(minutes=10)
    assert dst_day in posted
    assert len(posted) == len(set(posted)) == 3
    assert len(slack_posts(slack_api)) == 3
    assert "Nessuna novità" in slack_posts(slack_api)[1].args["text"]  # the second day: nothing new (in Italian)


async def test_a_restart_after_the_time_catches_up_once_within_the_grace_window(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1", "08:30")
        subscribe(briefer.store, "slack", "C2", "06:00")
        restarted = FrozenClock(rome(2025, 11, 4, 13, 0))  # down from 05:00 to 13:00
        outcomes = await runner(briefer, restarted, slack=poster).run_once()
        again = await runner(briefer, FrozenClock(rome(2025, 11, 4, 13, 5)), slack=poster).run_once()
    assert [(o.channel, o.status) for o in outcomes] == [("C1", "posted")]  # C2's 06:00 + 6 h has passed
    assert again == []
    assert [p.args["channel"] for p in slack_posts(slack_api)] == ["C1"]


async def test_two_schedulers_racing_on_one_store_post_once(slack_api, fake_discord, tmp_path, database_url):
    settings = digest_settings(tmp_path, slack=slack_api, discord=fake_discord, database_url=database_url)
    clock = FrozenClock(rome(2025, 11, 4, 8, 30))
    async with (
        real_briefer(settings) as first,
        real_briefer(settings) as second,  # another instance: its own engine and connections
        slack_poster(slack_api) as slack_a,
        slack_poster(slack_api) as slack_b,
        discord_poster(fake_discord) as discord_a,
        discord_poster(fake_discord) as discord_b,
    ):
        for channel in ("C1", "C2", "C3"):
            subscribe(first.store, "slack", channel)
        subscribe(first.store, "discord", "700")
        a = DigestRunner(first, {"slack": slack_a, "discord": discord_a}, clock=clock, instance="a")
        b = DigestRunner(second, {"slack": slack_b, "discord": discord_b}, clock=clock, instance="b")
        results = await asyncio.gather(a.run_once(), b.run_once(), a.run_once(), b.run_once())

    posted = sorted(o.channel for outcomes in results for o in outcomes if o.status == "posted")
    assert posted == ["700", "C1", "C2", "C3"]
    assert sorted(p.args["channel"] for p in slack_posts(slack_api)) == ["C1", "C2", "C3"]
    assert len([r for r in fake_discord.requests if r.path == "/channels/700/messages"]) == 1


async def test_a_channel_that_fails_is_paused_and_the_others_still_get_theirs(slack_api, fake_discord, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api, discord=fake_discord)
    clock = FrozenClock(rome(2025, 11, 4, 8, 30))
    slack_api.fail("chat.postMessage", "channel_not_found")  # the first Slack channel in order: C1
    fake_discord.fail("POST", r"/channels/701/messages", 403, code=50001)
    async with (
        real_briefer(settings) as briefer,
        slack_poster(slack_api) as slack,
        discord_poster(fake_discord) as discord,
    ):
        for platform, channel in [("slack", "C1"), ("slack", "C2"), ("discord", "701"), ("discord", "702")]:
            subscribe(briefer.store, platform, channel)
        # one channel at a time, so the scripted Slack failure lands on C1, the first in order
        outcomes = await runner(briefer, clock, concurrency=1, slack=slack, discord=discord).run_once()
        clock.set(rome(2025, 11, 5, 8, 30))
        next_day = await runner(briefer, clock, slack=slack, discord=discord).run_once()
        store = briefer.store

    assert {(o.platform, o.channel): o.status for o in outcomes} == {
        ("slack", "C1"): "paused", ("slack", "C2"): "posted", ("discord", "701"): "paused",
        ("discord", "702"): "posted",
    }  # fmt: skip
    assert "channel_not_found" in store.subscription("slack", "C1").paused_reason
    assert "HTTP 403" in store.subscription("discord", "701").paused_reason
    assert {(o.channel, o.status) for o in next_day} == {("C2", "skipped"), ("702", "skipped")}  # paused: no tries


async def test_a_refused_post_is_released_and_retried_on_the_next_pass(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    clock = FrozenClock(rome(2025, 11, 4, 8, 30))
    slack_api.fail("chat.postMessage", "internal_error")
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1")
        digest = runner(briefer, clock, slack=poster)
        [first] = await digest.run_once()
        clock.advance(seconds=10)
        assert await digest.run_once() == []  # backing off
        clock.advance(seconds=20)
        [second] = await digest.run_once()
    assert (first.status, first.detail) == ("retry", "internal_error")
    assert second.status == "posted"
    assert len(slack_posts(slack_api)) == 2  # the refused attempt, then the digest


async def test_an_unknown_outcome_keeps_the_claim_so_nothing_is_posted_twice(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    clock = FrozenClock(rome(2025, 11, 4, 8, 30))
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1")
        await slack_api.stop()  # the connection fails: did the post go through? Unknown.
        [first] = await runner(briefer, clock, slack=poster).run_once()
        clock.advance(minutes=5)
        again = await runner(briefer, clock, slack=poster).run_once()
        row = briefer.store.digest_post("slack", "C1", "2025-11-04")
    assert first.status == "unconfirmed" and again == []
    assert row.status == "unconfirmed"


async def test_nothing_new_means_no_post_and_a_changed_article_is_digested_again(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    clock = FrozenClock(rome(2025, 11, 4, 8, 30))
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1", language="en")
        await runner(briefer, clock, slack=poster).run_once()
        clock.advance(days=1)
        [skipped] = await runner(briefer, clock, slack=poster).run_once()
    change_article(settings)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:  # restarted with the edit
        clock.advance(days=1)
        [updated] = await runner(briefer, clock, slack=poster).run_once()
    assert (skipped.status, updated.status) == ("skipped", "posted")
    first, second = slack_posts(slack_api)
    assert "New: OpenAI picks AWS" in first.args["text"] and "Updated: OpenAI picks AWS" in second.args["text"]


async def test_the_briefing_is_generated_once_per_language_for_every_channel(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        calls = []
        original = briefer.brief

        async def counting_brief(**kwargs):
            calls.append(kwargs["lang"])
            return await original(**kwargs)

        briefer.brief = counting_brief
        for channel, lang in [("C1", "it"), ("C2", "it"), ("C3", "en"), ("C4", "it")]:
            subscribe(briefer.store, "slack", channel, language=lang)
        await runner(briefer, FrozenClock(rome(2025, 11, 4, 8, 30)), slack=poster).run_once()
    assert sorted(calls) == ["en", "it"]
    assert len(slack_posts(slack_api)) == 4


async def test_discord_digest_starts_a_thread_holding_the_conversation(fake_discord, tmp_path):
    settings = digest_settings(tmp_path, discord=fake_discord)
    async with real_briefer(settings) as briefer, discord_poster(fake_discord) as poster:
        subscribe(briefer.store, "discord", "700", language="en")
        [outcome] = await runner(briefer, FrozenClock(rome(2025, 11, 4, 8, 30)), discord=poster).run_once()
        [message] = [r for r in fake_discord.requests if r.path == "/channels/700/messages"]
        [thread] = [r for r in fake_discord.requests if r.path.endswith("/threads")]
        assert await briefer.has_conversation(f"discord:{GUILD_ID}:{outcome.message_id}")  # thread id = message id
    assert message.body["allowed_mentions"] == {"parse": []}
    assert "Today's digest" in message.body["content"] and "OpenAI picks AWS" in message.body["content"]
    assert thread.body["name"] == "Today's digest — 2025-11-04"


async def test_a_broken_subscription_does_not_stop_the_others(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1", timezone="Mars/Olympus_Mons")  # e.g. a zone gone from tzdata
        subscribe(briefer.store, "slack", "C2")
        outcomes = await runner(briefer, FrozenClock(rome(2025, 11, 4, 8, 30)), slack=poster).run_once()
    assert [(o.channel, o.status) for o in outcomes] == [("C1", "error"), ("C2", "posted")]


async def test_a_failing_briefing_releases_the_slot(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1")

        async def broken_brief(**_):
            raise RuntimeError("the database went away")

        briefer.brief = broken_brief
        [outcome] = await runner(briefer, FrozenClock(rome(2025, 11, 4, 8, 30)), slack=poster).run_once()
        assert briefer.store.digest_post("slack", "C1", "2025-11-04") is None
    assert outcome.status == "error" and slack_posts(slack_api) == []


async def test_a_platform_without_a_token_is_reported_and_left_unclaimed(tmp_path):
    settings = digest_settings(tmp_path)
    async with real_briefer(settings) as briefer:
        subscribe(briefer.store, "discord", "700")
        [outcome] = await runner(briefer, FrozenClock(rome(2025, 11, 4, 8, 30))).run_once()
        assert briefer.store.digest_post("discord", "700", "2025-11-04") is None
    assert outcome.status == "not-configured"


async def test_dry_run_says_what_would_be_posted_where_and_posts_nothing(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    async with real_briefer(settings) as briefer:
        subscribe(briefer.store, "slack", "C1", "08:30", language="en")
        subscribe(briefer.store, "slack", "C2", "18:00")
        subscribe(briefer.store, "slack", "C3", "08:00")
        briefer.store.pause_subscription("slack", "C3", "the bot cannot post in this channel (not_in_channel)")
        outcomes = await runner(briefer, FrozenClock(rome(2025, 11, 4, 8, 31))).run_once(dry_run=True)
        assert briefer.store.digest_post("slack", "C1", "2025-11-04") is None
    lines = "\n".join(o.line() for o in outcomes)
    assert "slack C1 (2025-11-04): dry-run: would post:\n**Today's digest — 2025-11-04**" in lines
    assert "slack C2: dry-run: not due, next at 2025-11-04 18:00 CET" in lines
    assert "slack C3: dry-run: paused: the bot cannot post in this channel (not_in_channel)" in lines
    assert slack_api.calls == []


async def test_the_scheduler_loop_ticks_and_survives_a_failing_pass(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    clock = FrozenClock(rome(2025, 11, 4, 8, 0))
    stop_after = rome(2025, 11, 4, 9, 0)

    class Stop(Exception):
        pass

    async def sleep(seconds):  # the injected wait moves the frozen clock instead of waiting
        clock.advance(seconds=seconds)
        if clock.now >= stop_after:
            raise Stop

    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1", "08:30")
        digest = runner(briefer, clock, slack=poster)
        real_run_once = digest.run_once
        failures = iter([RuntimeError("database restarting")])

        async def flaky_run_once(**kwargs):
            for failure in failures:  # the first pass fails, the loop carries on
                raise failure
            return await real_run_once(**kwargs)

        digest.run_once = flaky_run_once
        with pytest.raises(Stop):
            await DigestScheduler(digest, interval=60, sleep=sleep).run()
    [post] = slack_posts(slack_api)
    assert post.args["channel"] == "C1"


async def test_pacing_keeps_one_post_a_second_per_channel():
    now = [0.0]
    waits = []

    async def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    pacer = ChannelPacer(1.0, clock=lambda: now[0], sleep=sleep)
    await pacer.wait("slack:C1")
    await pacer.wait("slack:C2")  # another channel: no wait
    now[0] += 0.25
    await pacer.wait("slack:C1")
    now[0] += 5
    await pacer.wait("slack:C1")
    assert waits == [0.75]


async def test_long_digests_continue_in_their_thread_paced(slack_api, tmp_path):
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    settings = digest_settings(tmp_path, slack=slack_api)
    async with real_briefer(settings) as briefer, slack_poster(slack_api, pacer=ChannelPacer(sleep=sleep)) as poster:
        sub = subscribe(briefer.store, "slack", "C1")
        from bot.answers.reply import Reply

        long_reply = Reply("\n\n".join(f"Paragraph {n}. " + "word " * 150 for n in range(12)), language="en")
        posted = await poster.post(sub, long_reply, title="Digest")
    posts = slack_api.calls_to("chat.postMessage")
    assert len(posts) >= 2
    assert all(p.args["thread_ts"] == posted.message_id for p in posts[1:])
    assert len(waits) == len(posts) - 1  # every post after the first waited for its second


async def test_a_transient_error_backs_off_30s_then_doubles_then_posts(slack_api, tmp_path):
    settings = digest_settings(tmp_path, slack=slack_api)
    start = rome(2025, 11, 4, 9, 0)
    clock = FrozenClock(start)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", "C1")
        digest = runner(briefer, clock, slack=poster)
        slack_api.fail("chat.postMessage", "internal_error", times=2)

        [first] = await digest.run_once()
        assert first.status == "retry"
        clock.set(start + dt.timedelta(seconds=29))
        assert await digest.run_once() == []  # still inside the first 30 s wait: no call at all
        clock.set(start + dt.timedelta(seconds=31))
        [second] = await digest.run_once()
        assert second.status == "retry"
        clock.set(start + dt.timedelta(seconds=31 + 59))
        assert await digest.run_once() == []  # the second wait is a minute
        clock.set(start + dt.timedelta(seconds=31 + 61))
        [third] = await digest.run_once()

    assert third.status == "posted"
    calls = slack_api.calls_to("chat.postMessage")
    assert [call.response["ok"] for call in calls] == [False, False, True]  # two failures, then one post
