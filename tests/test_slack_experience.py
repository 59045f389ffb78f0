"""Slack end to end with a streaming model: verified claims streamed into the thread, the
chat.update fallback, 👍/👎 with a reason, and suggested follow-ups answered in the thread.
Real slack-bolt and openai SDK against the fake Slack and the fake OpenAI server."""

import asyncio
import json
import os
import re
import subprocess
import sys
from contextlib import asynccontextmanager
from pathlib import Path

from bot.engines.model.openai_client import OpenAIChatModel
from tests.fakes.openai_server import Stream
from tests.fakes.slack_server import TEAM_ID
from tests.slack_helpers import (
    CHANNEL,
    DM_CHANNEL,
    USER,
    block_action,
    block_values,
    blocks_text,
    mention,
    message,
    running_http_app,
    send_interaction,
    slack_settings,
    view_submission,
)
from tests.support import real_briefer

ROOT = Path(__file__).resolve().parent.parent
TRUE_1 = "OpenAI and AWS signed a seven-year deal [openai-aws/p3]. "
FALSE = "Sam Altman signed it in Paris for $50 billion [openai-aws/p3]. "
TRUE_2 = "It ends the exclusivity with Microsoft's Azure [openai-aws/p7]."
PLANTED = ("Sam Altman", "Paris", "$50", "50 billion")  # (a bare "50" can be in a random id)


def tokens(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\S+\s*", text))


async def answered_mention(slack_api, running, ts: str):
    """Mention the bot at ``ts``; the finished streamed answer (its chat.stopStream call) and the
    message a button under it would carry."""
    await running.sender.event(mention("how long is the deal?", ts))
    [stop] = await slack_api.wait_for("chat.stopStream")
    return stop, {"type": "message", "ts": stop.args["ts"], "thread_ts": ts, "user": "UBOT0001", "text": ""}


async def edits_until_complete(slack_api):
    """The placeholder's edits, once the last one is the complete answer (it ends with the note on
    the dropped claim)."""
    updates = await slack_api.wait_for("chat.update")
    for _ in range(1000):
        if "I left out 1" in blocks_text(updates[-1]):
            break
        await asyncio.sleep(0.01)
        updates = slack_api.calls_to("chat.update")
    return updates


@asynccontextmanager
async def streaming_bot(slack_api, fake_openai, tmp_path):
    settings = slack_settings(slack_api, tmp_path, engine="openai")
    model = OpenAIChatModel(api_key="sk-test", base_url=fake_openai.base_url, model="fake", timeout=5, attempts=1)
    async with real_briefer(settings, model) as briefer, running_http_app(slack_api, settings, briefer) as running:
        yield running


def everything_sent(slack_api) -> str:
    return "\n".join(f"{call.args}" for call in slack_api.calls)


async def test_verified_claims_stream_into_the_thread_and_a_false_one_never_does(slack_api, fake_openai, tmp_path):
    fake_openai.enqueue(Stream(tokens(TRUE_1 + FALSE + TRUE_2)))
    async with streaming_bot(slack_api, fake_openai, tmp_path) as running:
        await running.sender.event(mention("tell me about the deal", "100.1"))
        [stop] = await slack_api.wait_for("chat.stopStream")
    [start] = slack_api.calls_to("chat.startStream")
    assert (start.args["channel"], start.args["thread_ts"]) == (CHANNEL, "100.1")
    assert (start.args["recipient_team_id"], start.args["recipient_user_id"]) == (TEAM_ID, USER)
    appended = [call.args["markdown_text"] for call in slack_api.calls_to("chat.appendStream")]
    assert appended[:2] == ["OpenAI and AWS signed a seven-year deal [1].",
                            " It ends the exclusivity with Microsoft's Azure [2]."]  # fmt: skip
    shown = slack_api.streamed_text(start.response["ts"])
    assert shown.startswith("OpenAI and AWS signed a seven-year deal [1]. It ends the exclusivity")
    assert "I left out 1 of the model's statements" in shown
    assert not [p for p in PLANTED if p in everything_sent(slack_api)], everything_sent(slack_api)
    footer = blocks_text(stop)
    assert "openai-aws/p3" in footer and "openai-aws/p7" in footer  # the sources under the text
    assert block_values(stop, "context_actions") and block_values(stop, "actions")  # feedback, follow-ups
    assert slack_api.calls_to("chat.update") == [] and len(slack_api.calls_to("chat.postMessage")) == 0


async def test_where_streaming_is_unavailable_a_placeholder_is_edited(slack_api, fake_openai, tmp_path):
    slack_api.fail("chat.startStream", "unknown_method")
    third = " AWS CEO Matt Garman praised the breadth of AWS infrastructure [openai-aws/p8]."
    fake_openai.enqueue(Stream(tokens(TRUE_1 + FALSE + TRUE_2 + third)))  # unthrottled: 3 edits, then the final
    async with streaming_bot(slack_api, fake_openai, tmp_path) as running:
        await running.sender.event(mention("tell me about the deal", "100.2"))
        updates = await edits_until_complete(slack_api)
    [placeholder] = slack_api.calls_to("chat.postMessage")
    assert placeholder.args["thread_ts"] == "100.2" and "hourglass" in placeholder.args["text"]
    assert all(u.args["ts"] == placeholder.response["ts"] for u in updates)
    assert len(updates) <= 3  # claims arrive within ~0.1 s: throttled to one edit, then the complete answer
    # (3 only if the machine stalls past the 1.2 s interval between two claims)
    final = blocks_text(updates[-1])
    assert "seven-year deal" in final and "Microsoft" in final and "openai-aws/p7" in final
    assert not [p for p in PLANTED if p in everything_sent(slack_api)], everything_sent(slack_api)


async def test_feedback_buttons_store_ratings_and_a_reason(slack_api, fake_openai, tmp_path):
    fake_openai.enqueue(Stream(tokens(TRUE_1)), Stream(tokens(TRUE_2)))
    async with streaming_bot(slack_api, fake_openai, tmp_path) as running:
        stop, message = await answered_mention(slack_api, running, "100.3")
        [feedback] = block_values(stop, "context_actions")
        buttons = feedback["elements"][0]
        assert buttons["type"] == "feedback_buttons" and buttons["action_id"] == "briefbot_feedback"

        down = block_action("briefbot_feedback", buttons["negative_button"]["value"], message=message,
                            action_type="feedback_buttons")  # fmt: skip
        status, _ = await send_interaction(running.sender, down)
        assert status == 200
        [opened] = await slack_api.wait_for("views.open")
        modal = opened.args["view"]
        modal = modal if isinstance(modal, dict) else json.loads(modal)
        assert modal["callback_id"] == "briefbot_feedback_reason" and opened.args["trigger_id"] == down["trigger_id"]
        values = {"reason": {"reason": {"type": "plain_text_input", "value": "it left out the amount"}}}
        submission = view_submission(modal["callback_id"], modal["private_metadata"], values)
        status, body = await send_interaction(running.sender, submission)
        assert status == 200 and body == ""  # the modal closes

        up = block_action("briefbot_feedback", buttons["positive_button"]["value"], message=message,
                          user="U0000002", action_type="feedback_buttons")  # fmt: skip
        await send_interaction(running.sender, up)
        [thanks] = await slack_api.wait_for("chat.postEphemeral")
        assert thanks.args["user"] == "U0000002" and "Thanks" in thanks.args["text"]

        forged = block_action("briefbot_feedback", "up:" + "0" * 32, message=message, action_type="feedback_buttons")
        await send_interaction(running.sender, forged)
        await slack_api.wait_for("chat.postEphemeral", 2)
        assert "no longer on record" in slack_api.calls_to("chat.postEphemeral")[1].args["text"]
        store = running.briefer.store
        for _ in range(200):
            ratings = {r.user_id: (r.rating, r.reason) for r in store.ratings()}
            if ratings.get(USER) == ("down", "it left out the amount"):
                break
            await asyncio.sleep(0.01)
    assert ratings == {USER: ("down", "it left out the amount"), "U0000002": ("up", "")}

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_"))}
    env.update(BRIEFBOT_DATABASE_URL=slack_settings(slack_api, tmp_path).database_url, PYTHONPATH=str(ROOT))
    report = subprocess.run([sys.executable, "-m", "bot", "feedback"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert "2 ratings on 1 reply: 👍 1  👎 1" in report.stdout
    assert "slack user U0000001  [openai, answered]  how long is the deal?" in report.stdout
    assert "reason: it left out the amount" in report.stdout


async def test_a_suggested_follow_up_is_answered_in_the_same_thread(slack_api, fake_openai, tmp_path):
    fake_openai.enqueue(Stream(tokens(TRUE_1)), Stream(tokens(TRUE_2)))
    async with streaming_bot(slack_api, fake_openai, tmp_path) as running:
        stop, message = await answered_mention(slack_api, running, "100.4")
        [follow_ups] = block_values(stop, "actions")
        first = follow_ups["elements"][0]
        assert first["text"]["text"] == first["value"] and first["value"].endswith("?")
        await send_interaction(running.sender, block_action(first["action_id"], first["value"], message=message))
        await slack_api.wait_for("chat.stopStream", 2)
    [asked] = slack_api.calls_to("chat.postMessage")
    assert asked.args["thread_ts"] == "100.4" and first["value"] in asked.args["text"]
    second_start = slack_api.calls_to("chat.startStream")[1]
    assert second_start.args["thread_ts"] == "100.4"
    assert "exclusivity with Microsoft's Azure" in slack_api.streamed_text(second_start.response["ts"])
    question_sent = fake_openai.requests[1].messages[-1]["content"]
    assert first["value"] in question_sent
    assert "seven-year deal" in fake_openai.requests[1].messages[-3]["content"]  # the answer before the instructions


async def test_a_dm_outside_a_thread_streams_by_editing_a_placeholder(slack_api, fake_openai, tmp_path):
    fake_openai.enqueue(Stream(tokens(TRUE_1 + FALSE + TRUE_2)))
    async with streaming_bot(slack_api, fake_openai, tmp_path) as running:
        await running.sender.event(message("tell me about the deal", "200.1", channel=DM_CHANNEL, channel_type="im"))
        updates = await edits_until_complete(slack_api)
    assert slack_api.calls_to("chat.startStream") == []  # streamed messages must be thread replies
    [placeholder] = slack_api.calls_to("chat.postMessage")
    assert placeholder.args["channel"] == DM_CHANNEL and "thread_ts" not in placeholder.args
    final = blocks_text(updates[-1])
    assert "seven-year deal" in final and "Microsoft" in final
    assert not [p for p in PLANTED if p in everything_sent(slack_api)]
