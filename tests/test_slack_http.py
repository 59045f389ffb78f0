"""The Slack adapter in HTTP mode, end to end: signed requests in, Web API calls out to the fake Slack."""

import asyncio
import json
import time
from contextlib import asynccontextmanager

import aiohttp
import pytest

from bot.answers.reply import Citation, Reply
from bot.engines.model.chat_model import ModelUnavailable
from bot.platforms.slack.listeners import channel_conversation_id
from bot.store.database import Store
from tests.fakes.slack_server import BOT_ID, BOT_USER_ID, TEAM_ID
from tests.slack_helpers import (
    CHANNEL,
    DM_CHANNEL,
    USER,
    blocks_text,
    mention,
    message,
    running_http_app,
    slack_settings,
)
from tests.support import CannedBriefer, ScriptedModel, conversation_stored, real_briefer


@asynccontextmanager
async def slack_bot(fake, tmp_path, model=None, **overrides):
    settings = slack_settings(fake, tmp_path, **overrides)
    async with (
        real_briefer(settings, model or ScriptedModel()) as briefer,
        running_http_app(fake, settings, briefer) as running,
    ):
        yield running


@asynccontextmanager
async def fixed_bot(fake, tmp_path, reply):
    settings = slack_settings(fake, tmp_path)
    store = Store(settings.database_url)
    try:
        async with running_http_app(fake, settings, CannedBriefer(reply, store)) as running:
            yield running
    finally:
        store.close()


def dm(text: str, ts: str) -> dict:
    return message(text, ts, channel=DM_CHANNEL, channel_type="im")


async def settle(fake, running, count_before: int) -> None:
    """A sentinel DM that is answered: once its reply is in, every earlier request has been handled."""
    await running.sender.event(dm("sentinel: how much is the deal?", "999.9"))
    await fake.wait_for("chat.update", count_before + 1)


async def test_ask_is_acknowledged_before_the_slow_model_answers(slack_api, tmp_path):
    gate = asyncio.Event()
    model = ScriptedModel(gate=gate)
    async with slack_bot(slack_api, tmp_path, model) as running:
        status, body = await running.sender.command("/ask", "How much is the deal worth?")
        assert status == 200 and "hourglass" in body  # the ack is the sign of work its asker sees
        await model.started.wait()  # the model is busy with the question and the ack is already back
        assert slack_api.calls_to("chat.postMessage") == []

        gate.set()
        [answer] = await slack_api.wait_for("chat.postMessage")
    assert answer.args["channel"] == CHANNEL and "thread_ts" not in answer.args
    shown = blocks_text(answer)
    assert "38 billion" in shown and "openai-aws/p3" in shown
    assert f"<@{USER}>" in shown and "How much is the deal worth?" in shown


async def test_empty_ask_gets_the_usage_line_and_nothing_is_posted(slack_api, tmp_path):
    async with slack_bot(slack_api, tmp_path) as running:
        status, body = await running.sender.command("/ask", "   ")
        assert status == 200 and body.startswith("Usage: `/ask`")
        await settle(slack_api, running, 0)
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # the sentinel's placeholder only


async def test_brief_posts_a_briefing_and_its_thread_follows_up(slack_api, tmp_path):
    model = ScriptedModel(default="- OpenAI and AWS signed a seven-year deal worth $38 billion [openai-aws/p3].")
    async with slack_bot(slack_api, tmp_path, model) as running:
        status, _ = await running.sender.command("/brief", "en")
        assert status == 200
        [briefing] = await slack_api.wait_for("chat.postMessage")
        assert "38 billion" in blocks_text(briefing)
        briefing_ts = briefing.response["ts"]
        await conversation_stored(running.briefer, channel_conversation_id(TEAM_ID, CHANNEL, briefing_ts))

        follow_up = message("And how long does it last?", "200.1", thread_ts=briefing_ts, parent_user_id=BOT_USER_ID)
        await running.sender.event(follow_up)
        [follow_up] = await slack_api.wait_for("chat.update")
    assert slack_api.calls_to("chat.postMessage")[1].args["thread_ts"] == briefing_ts
    assert "seven-year" in blocks_text(follow_up)
    earlier = json.dumps(model.requests[-1])
    assert "38 billion" in earlier and "how long does it last" in earlier


async def test_brief_with_an_unknown_language_gets_the_usage_line(slack_api, tmp_path):
    async with slack_bot(slack_api, tmp_path) as running:
        status, body = await running.sender.command("/brief", "fr")
        assert status == 200 and "`/brief [it|en]`" in body
        await settle(slack_api, running, 0)
    assert len(slack_api.calls_to("chat.update")) == 1


async def test_mention_is_answered_in_a_thread_under_it(slack_api, tmp_path):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model) as running:
        assert (await running.sender.event(mention("how much is the deal worth?", "100.1")))[0] == 200
        [update] = await slack_api.wait_for("chat.update")
    [placeholder] = slack_api.calls_to("chat.postMessage")
    assert placeholder.args["thread_ts"] == "100.1" and placeholder.args["channel"] == CHANNEL
    assert "38 billion" in blocks_text(update)
    assert BOT_USER_ID not in json.dumps(model.requests[0])  # the bot's own mention is not part of the question


async def test_empty_mention_gets_a_hint(slack_api, tmp_path):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model) as running:
        await running.sender.event(mention("", "100.1"))
        [update] = await slack_api.wait_for("chat.update")
    assert "Ask me about the news" in blocks_text(update)
    assert model.requests == []


async def test_thread_follow_up_without_a_mention_uses_the_earlier_turn(slack_api, tmp_path):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model) as running:
        await running.sender.event(mention("how much is the deal worth?", "100.1"))
        await slack_api.wait_for("chat.update")
        await running.sender.event(message("and for how many years?", "100.5", thread_ts="100.1"))
        await slack_api.wait_for("chat.update", 2)
    assert slack_api.calls_to("chat.postMessage")[1].args["thread_ts"] == "100.1"
    follow_up = json.dumps(model.requests[1])
    assert "how much is the deal worth?" in follow_up and "and for how many years?" in follow_up


async def test_chatter_in_threads_and_channels_that_are_not_bot_conversations_is_ignored(slack_api, tmp_path):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model) as running:
        await running.sender.event(message("unrelated thread reply", "300.2", thread_ts="300.1"))
        await running.sender.event(message("top-level channel chatter", "300.3"))
        await settle(slack_api, running, 0)
    assert len(model.requests) == 1  # the sentinel


async def test_a_reply_in_a_thread_the_bot_started_is_answered_even_when_its_conversation_expired(
    slack_api, tmp_path
):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model) as running:
        reply = message("How much is the deal worth?", "400.2", thread_ts="400.1", parent_user_id=BOT_USER_ID)
        await running.sender.event(reply)  # no stored turns for thread 400.1 (expired, or never kept)
        [update] = await slack_api.wait_for("chat.update")
    assert "38 billion" in blocks_text(update)
    assert slack_api.calls_to("chat.postMessage")[0].args["thread_ts"] == "400.1"


async def test_mention_only_mode_ignores_thread_follow_ups(slack_api, tmp_path):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model, slack_mention_only=True) as running:
        await running.sender.event(mention("how much is the deal worth?", "100.1"))
        await slack_api.wait_for("chat.update")
        await running.sender.event(message("and for how many years?", "100.5", thread_ts="100.1"))
        await running.sender.event(mention("and for how many years?", "100.6", thread_ts="100.1"))
        await slack_api.wait_for("chat.update", 2)
        await settle(slack_api, running, 2)
    assert len(model.requests) == 3  # first mention, the mention in the thread, the sentinel
    assert "how much is the deal worth?" in json.dumps(model.requests[1])  # the mention still follows up


async def test_direct_messages_are_one_conversation(slack_api, tmp_path):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model) as running:
        await running.sender.event(dm("how much is the deal worth?", "400.1"))
        await slack_api.wait_for("chat.update")
        await running.sender.event(dm("for how long?", "400.2"))
        await slack_api.wait_for("chat.update", 2)
    placeholders = slack_api.calls_to("chat.postMessage")
    assert [p.args["channel"] for p in placeholders] == [DM_CHANNEL, DM_CHANNEL]
    assert all("thread_ts" not in p.args for p in placeholders)  # a DM is answered in place, not in threads
    assert "how much is the deal worth?" in json.dumps(model.requests[1])


async def test_a_retried_event_is_answered_once_and_a_retry_of_an_unseen_event_is_answered(slack_api, tmp_path):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model) as running:
        event = mention("how much is the deal worth?", "500.1")
        for retry in (None, "1", "2"):
            headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
            assert (await running.sender.event(event, event_id="EvSAME", headers=headers))[0] == 200
        unseen = mention("how long does it last?", "500.2")
        headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
        await running.sender.event(unseen, event_id="EvFIRSTLOST", headers=headers)
        await slack_api.wait_for("chat.update", 2)
        await settle(slack_api, running, 2)
    threads = [p.args.get("thread_ts") for p in slack_api.calls_to("chat.postMessage")]
    assert sorted(threads[:2]) == ["500.1", "500.2"] and len(threads) == 3


async def test_a_mention_also_delivered_as_a_message_event_is_answered_once(slack_api, tmp_path):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model) as running:
        await running.sender.event(mention("how much is the deal worth?", "100.1"))
        await slack_api.wait_for("chat.update")
        await running.sender.event(message(f"<@{BOT_USER_ID}> and for how long?", "100.2", thread_ts="100.1"))
        await running.sender.event(mention("and for how long?", "100.2", thread_ts="100.1"))
        await slack_api.wait_for("chat.update", 2)
        await settle(slack_api, running, 2)
    assert len(model.requests) == 3


async def test_the_bots_own_messages_edits_and_other_bots_are_ignored(slack_api, tmp_path):
    model = ScriptedModel()
    dm = {"channel": DM_CHANNEL, "channel_type": "im"}
    async with slack_bot(slack_api, tmp_path, model) as running:
        own = message("I am the bot", "600.1", **dm) | {"user": BOT_USER_ID, "bot_id": BOT_ID}
        edited = message("", "600.2", **dm) | {"subtype": "message_changed", "message": {"text": "x"}}
        deleted = message("", "600.3", **dm) | {"subtype": "message_deleted"}
        other_bot = message("beep", "600.4", **dm) | {"user": "UOTHERBOT", "bot_id": "BOTHER"}
        bot_mention = mention("hi", "600.5") | {"bot_id": "BOTHER"}
        for event in (own, edited, deleted, other_bot, bot_mention):
            assert (await running.sender.event(event))[0] == 200
        await settle(slack_api, running, 0)
    assert len(model.requests) == 1 and len(slack_api.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize("tamper", ["signature", "stale", "future", "missing"])
async def test_unsigned_or_stale_requests_are_rejected_and_not_answered(slack_api, tmp_path, tamper):
    model = ScriptedModel()
    async with slack_bot(slack_api, tmp_path, model) as running:
        body = running.sender.command_body("/ask", "How much is the deal worth?")
        form = "application/x-www-form-urlencoded"
        if tamper == "signature":
            status, _ = await running.sender.post(body, form, headers={"X-Slack-Signature": "v0=" + "0" * 64})
        elif tamper == "missing":
            status, _ = await running.sender.post(body, form, headers={"X-Slack-Signature": ""})
        else:
            skew = -301 if tamper == "stale" else 301
            status, _ = await running.sender.post(body, form, timestamp=int(time.time()) + skew)
        assert status == 401
        await settle(slack_api, running, 0)
    assert len(model.requests) == 1


async def test_hostile_model_text_is_posted_harmless(slack_api, tmp_path):
    hostile = "Attention <!channel> and <@U123>: log in at <https://evil.example|bank> **now** <!here>"
    async with fixed_bot(slack_api, tmp_path, Reply(text=hostile)) as running:
        await running.sender.command("/ask", "What does the article say?")
        [answer] = await slack_api.wait_for("chat.postMessage")
    shown = blocks_text(answer).replace(f"<@{USER}>", "")  # the asker's own mention is ours, not the model's
    assert "<" not in shown
    assert "&lt;!channel&gt;" in shown and "&lt;@U123&gt;" in shown and "&lt;https://evil.example|bank&gt;" in shown


async def test_a_6000_character_answer_is_split_and_continues_in_the_thread(slack_api, tmp_path):
    sentence = "OpenAI and AWS signed a seven-year deal worth 38 billion dollars. "
    long_text = "\n\n".join(sentence * 10 for _ in range(10))
    assert len(long_text) > 6000
    citation = Citation("openai-aws/p3", "OpenAI e AWS...", "OpenAI sceglie AWS", "2025-11-04")
    async with fixed_bot(slack_api, tmp_path, Reply(text=long_text, citations=(citation,))) as running:
        await running.sender.event(mention("tell me everything", "700.1"))
        [update] = await slack_api.wait_for("chat.update")
        posts = await slack_api.wait_for("chat.postMessage", 3)
    parts = [update, *posts[1:]]
    assert all(len(p.args["text"]) <= 3000 for p in parts)
    assert all(p.args["thread_ts"] == "700.1" for p in posts)
    assert "".join("".join(p.args["text"].split()) for p in parts) == "".join(long_text.split())
    assert "openai-aws/p3" in blocks_text(parts[-1]) and "openai-aws/p3" not in blocks_text(parts[0])


async def test_the_model_failing_gives_the_offline_fallback(slack_api, tmp_path):
    model = ScriptedModel(default=ModelUnavailable("timed out"))
    async with slack_bot(slack_api, tmp_path, model) as running:
        await running.sender.event(mention("how much is the deal worth?", "800.1"))
        [update] = await slack_api.wait_for("chat.update")
    shown = blocks_text(update)
    assert "The model is unavailable" in shown and "openai-aws/p3" in shown


async def test_the_core_failing_gives_the_busy_message(slack_api, tmp_path):
    async with fixed_bot(slack_api, tmp_path, RuntimeError("database is on fire")) as running:
        await running.sender.command("/ask", "How much is the deal worth?")
        [answer] = await slack_api.wait_for("chat.postMessage")
    assert "try again" in blocks_text(answer) and "fire" not in blocks_text(answer)


async def test_ask_where_the_bot_cannot_post_answers_through_the_response_url(slack_api, tmp_path):
    slack_api.fail("chat.postMessage", "not_in_channel")
    async with slack_bot(slack_api, tmp_path) as running:
        await running.sender.command("/ask", "How much is the deal worth?")
        [response] = await slack_api.wait_for("response_url")
    assert response.args["response_type"] == "in_channel" and "38 billion" in blocks_text(response)
    assert slack_api.calls_to("chat.update") == []


async def test_a_deleted_placeholder_means_the_answer_is_posted_anew(slack_api, tmp_path):
    slack_api.fail("chat.update", "message_not_found")
    async with slack_bot(slack_api, tmp_path) as running:
        await running.sender.event(mention("how much is the deal worth?", "900.1"))
        _, answer = await slack_api.wait_for("chat.postMessage", 2)
    assert answer.args["thread_ts"] == "900.1" and "38 billion" in blocks_text(answer)


async def test_slack_rate_limit_is_retried_after_retry_after(slack_api, tmp_path):
    slack_api.rate_limit("chat.update", retry_after=7)
    async with slack_bot(slack_api, tmp_path) as running:
        await running.sender.event(mention("how much is the deal worth?", "950.1"))
        limited, retried = await slack_api.wait_for("chat.update", 2)
    assert running.sleeps.seconds == [7.0]
    assert limited.args == retried.args and "38 billion" in blocks_text(retried)


async def test_healthz(slack_api, tmp_path):
    async with (
        slack_bot(slack_api, tmp_path) as running,
        aiohttp.ClientSession() as session,
        session.get(running.url + "/healthz") as response,
    ):
        assert response.status == 200 and await response.json() == {"ok": True}


async def test_a_slow_answer_says_it_is_still_working_then_the_answer_replaces_it(slack_api, tmp_path, monkeypatch):
    from bot.platforms.slack import posting as slack_replies

    monkeypatch.setattr(slack_replies, "STILL_WORKING_AFTER", 0.1)
    model = ScriptedModel(gate=asyncio.Event())
    settings = slack_settings(slack_api, tmp_path, engine="openai", openai_api_key="k")
    async with real_briefer(settings, model) as briefer, running_http_app(slack_api, settings, briefer) as app:
        await app.sender.event(mention("How much is the deal worth?", "1.1"))
        [still] = await slack_api.wait_for("chat.update")
        assert "Still working on it" in still.args["text"]
        model.gate.set()
        updates = await slack_api.wait_for("chat.update", 2)
    assert updates[-1].args["ts"] == still.args["ts"] and "38 billion" in blocks_text(updates[-1])
