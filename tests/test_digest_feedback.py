"""👍/👎 under the daily digest, end to end: the runner posts through the real Slack and Discord
clients to the fakes, and the bot's own process (bolt, discord.py) records a press on it."""

import asyncio

from bot.answers.reply import Reply
from tests.digest_helpers import FrozenClock, discord_poster, runner, slack_poster, slack_posts, subscribe
from tests.discord_helpers import discord_settings, running_bot
from tests.slack_helpers import (
    CHANNEL,
    USER,
    block_action,
    block_values,
    running_http_app,
    send_interaction,
    slack_settings,
)
from tests.support import real_briefer
from tests.test_digest_runner import rome
from tests.test_discord_experience import custom_ids, is_callback


async def ratings_of(store, count: int = 1) -> list:
    for _ in range(300):
        ratings = store.ratings()
        if len(ratings) >= count:
            return ratings
        await asyncio.sleep(0.01)
    return store.ratings()


async def test_a_slack_digest_carries_feedback_buttons_and_a_press_is_recorded(slack_api, tmp_path):
    settings = slack_settings(slack_api, tmp_path)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", CHANNEL, language="en")
        [outcome] = await runner(briefer, FrozenClock(rome(2025, 11, 4, 8, 30)), slack=poster).run_once()
        [post] = slack_posts(slack_api)
        [feedback] = block_values(post, "context_actions")
        buttons = feedback["elements"][0]
        assert buttons["type"] == "feedback_buttons"

        async with running_http_app(slack_api, settings, briefer) as running:
            message = {"type": "message", "ts": post.response["ts"], "user": "UBOT0001", "text": ""}
            down = block_action("briefbot_feedback", buttons["negative_button"]["value"], message=message,
                                action_type="feedback_buttons")  # fmt: skip
            await send_interaction(running.sender, down)
            await slack_api.wait_for("views.open")  # a 👎 asks why, as under an answer
            [rating] = await ratings_of(briefer.store)
    assert outcome.status == "posted"
    assert (rating.user_id, rating.rating) == (USER, "down")
    assert rating.answer.kind == "briefing" and rating.answer.channel == CHANNEL
    assert "openai-aws/p3" in rating.answer.citations and rating.answer.language == "en"


async def test_each_channel_rates_its_own_digest(slack_api, tmp_path):
    settings = slack_settings(slack_api, tmp_path)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        subscribe(briefer.store, "slack", CHANNEL, language="en")
        subscribe(briefer.store, "slack", "C0OTHER01", language="en")
        await runner(briefer, FrozenClock(rome(2025, 11, 4, 8, 30)), slack=poster).run_once()
        values = {
            post.args["channel"]: block_values(post, "context_actions")[0]["elements"][0]["positive_button"]["value"]
            for post in slack_posts(slack_api)
        }
    assert len(set(values.values())) == 2  # one briefing, two posts, each rated apart


async def test_a_long_slack_digest_has_its_buttons_under_its_last_part(slack_api, tmp_path):
    settings = slack_settings(slack_api, tmp_path)
    async with real_briefer(settings) as briefer, slack_poster(slack_api) as poster:
        sub = subscribe(briefer.store, "slack", CHANNEL)
        long_reply = Reply("\n\n".join(f"Paragraph {n}. " + "word " * 150 for n in range(12)), language="en")
        await poster.post(sub, long_reply, title="Digest", rating_id="a" * 32)
    first, *rest = slack_api.calls_to("chat.postMessage")
    assert rest and not block_values(first, "context_actions")
    assert block_values(rest[-1], "context_actions")[0]["elements"][0]["type"] == "feedback_buttons"


async def test_a_discord_digest_carries_feedback_buttons_that_the_bot_records(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings) as briefer, discord_poster(fake_discord) as poster:
        subscribe(briefer.store, "discord", "700", language="en")
        [outcome] = await runner(briefer, FrozenClock(rome(2025, 11, 4, 8, 30)), discord=poster).run_once()
        [digest] = [m for m in fake_discord.created_messages if m["channel_id"] == "700"]
        up = next(i for i in custom_ids(digest) if i.startswith("briefbot:fb:up:"))
        async with running_bot(settings, briefer):
            await fake_discord.dispatch("INTERACTION_CREATE", fake_discord.component_interaction(up, digest))
            [thanks] = await fake_discord.wait_for(is_callback)
            [rating] = await ratings_of(briefer.store)
    assert outcome.status == "posted" and thanks.body["data"]["flags"] == 64  # only the presser sees the thanks
    assert rating.rating == "up" and rating.answer.kind == "briefing" and rating.answer.channel == "700"
