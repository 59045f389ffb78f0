"""Slack's assistant threads and App Home, end to end through bolt against the fake Slack."""

import json
from contextlib import asynccontextmanager

from bot.store.database import Subscription
from tests.fakes.slack_server import TEAM_ID
from tests.slack_helpers import (
    CHANNEL,
    DM_CHANNEL,
    USER,
    block_action,
    block_values,
    blocks_text,
    interaction_payload,
    running_http_app,
    send_interaction,
    slack_settings,
)
from tests.support import ScriptedModel, real_briefer

THREAD = "1729999327.187299"


@asynccontextmanager
async def bot(slack_api, tmp_path, model=None, **overrides):
    settings = slack_settings(slack_api, tmp_path, **overrides)
    async with real_briefer(settings, model) as briefer, running_http_app(slack_api, settings, briefer) as running:
        yield running


def thread_started() -> dict:
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": USER,
            "context": {"channel_id": CHANNEL, "team_id": TEAM_ID, "enterprise_id": None},
            "channel_id": DM_CHANNEL,
            "thread_ts": THREAD,
        },
        "event_ts": "1729999327.187400",
    }


def in_thread(text: str, ts: str) -> dict:
    return {"type": "message", "user": USER, "text": text, "ts": ts, "thread_ts": THREAD, "channel": DM_CHANNEL,
            "channel_type": "im", "event_ts": ts}  # fmt: skip


def view_of(call) -> dict:
    view = call.args["view"]
    return view if isinstance(view, dict) else json.loads(view)


def home_text(call) -> str:
    return "\n".join(json.dumps(block, ensure_ascii=False) for block in view_of(call)["blocks"])


async def test_a_new_assistant_thread_is_greeted_with_prompts_the_bot_can_answer(slack_api, tmp_path):
    async with bot(slack_api, tmp_path) as running:
        await running.sender.event(thread_started())
        [prompts] = await slack_api.wait_for("assistant.threads.setSuggestedPrompts")
        [greeting] = await slack_api.wait_for("chat.postMessage")
        assert (greeting.args["channel"], greeting.args["thread_ts"]) == (DM_CHANNEL, THREAD)
        assert "OpenAI picks AWS" in greeting.args["text"]
        suggested = prompts.args["prompts"]
        suggested = suggested if isinstance(suggested, list) else json.loads(suggested)
        assert 1 < len(suggested) <= 4 and prompts.args["thread_ts"] == THREAD
        for prompt in suggested:
            reply = await running.briefer.answer(prompt["message"])
            assert not reply.refused, prompt


async def test_messages_in_the_thread_set_a_status_a_title_and_are_answered_as_a_conversation(slack_api, tmp_path):
    async with bot(slack_api, tmp_path) as running:
        await running.sender.event(in_thread("Who is the AWS chief?", "1729999400.000100"))
        await slack_api.wait_for("chat.postMessage")
        await running.sender.event(in_thread("What did he say?", "1729999500.000100"))
        await slack_api.wait_for("chat.postMessage", 2)
    methods = [c.method for c in slack_api.calls if c.method.startswith(("assistant.", "chat."))]
    assert methods == [
        "assistant.threads.setTitle", "assistant.threads.setStatus", "chat.postMessage",
        "assistant.threads.setStatus", "chat.postMessage",
    ]  # fmt: skip
    [title] = slack_api.calls_to("assistant.threads.setTitle")
    assert title.args["title"] == "Who is the AWS chief?"
    assert slack_api.calls_to("assistant.threads.setStatus")[0].args["status"] == "is thinking…"
    first, second = slack_api.calls_to("chat.postMessage")
    assert all(p.args["thread_ts"] == THREAD for p in (first, second)) and "hourglass" not in first.args["text"]
    assert "openai-aws/p8" in blocks_text(second)  # "he" is the AWS chief of the first question
    assert block_values(second, "context_actions")  # feedback buttons in the assistant thread too


async def test_a_follow_up_button_in_an_assistant_thread_continues_that_threads_conversation(slack_api, tmp_path):
    model = ScriptedModel()
    async with bot(slack_api, tmp_path, model, engine="openai") as running:
        await running.sender.event(in_thread("How much is the deal worth?", "1729999400.000100"))
        [answer] = await slack_api.wait_for("chat.postMessage")
        [follow_ups] = block_values(answer, "actions")
        first = follow_ups["elements"][0]
        message = {"type": "message", "ts": answer.response["ts"], "thread_ts": THREAD, "user": "UBOT0001", "text": ""}
        press = block_action(first["action_id"], first["value"], message=message, channel=DM_CHANNEL)
        await send_interaction(running.sender, press)
        _, asked, second = await slack_api.wait_for("chat.postMessage", 3)
        _, status = await slack_api.wait_for("assistant.threads.setStatus", 2)
    assert asked.args["thread_ts"] == THREAD and second.args["thread_ts"] == THREAD
    # The thread's own "is thinking…" status, set after the chosen question is shown (a bot message
    # clears it), stands for the work: no ⏳ is posted and replaced.
    assert status.args["status"] == "is thinking…" and status.args["thread_ts"] == THREAD
    assert asked.at < status.at < second.at
    assert "hourglass" not in second.args["text"] and "openai-aws/" in blocks_text(second)
    assert not slack_api.calls_to("chat.update")
    assert first["value"] in model.requests[1][-1]["content"]
    assert "How much is the deal worth?" in " ".join(m["content"] for m in model.requests[1])  # same conversation


async def test_a_follow_up_button_in_a_dm_thread_without_the_assistant_view_shows_a_placeholder(slack_api, tmp_path):
    async with bot(slack_api, tmp_path) as running:
        slack_api.fail("assistant.threads.setStatus", "invalid_thread")  # Slack refuses a status there
        message = {"type": "message", "ts": "1729999401.000100", "thread_ts": THREAD, "user": "UBOT0001", "text": ""}
        press = block_action("briefbot_follow_up_0", "Quanto vale l'accordo?", message=message, channel=DM_CHANNEL)
        await send_interaction(running.sender, press)
        _, placeholder = await slack_api.wait_for("chat.postMessage", 2)
        [answer] = await slack_api.wait_for("chat.update")  # the answer, in place of the ⏳
    assert "hourglass" in placeholder.args["text"] and placeholder.args["thread_ts"] == THREAD
    assert answer.args["ts"] == placeholder.response["ts"] and "openai-aws/p3" in blocks_text(answer)


def home_action(action_id: str, value: str) -> dict:
    """A button pressed in the App Home: the payload names the view, not a message or channel."""
    return interaction_payload(
        "block_actions", container={"type": "view", "view_id": "VHOME"},
        view={"id": "VHOME", "type": "home", "blocks": [], "state": {"values": {}}, "hash": "h"},
        actions=[{"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": "1"}],
    )  # fmt: skip


async def test_app_home_lists_articles_and_lets_an_admin_turn_a_digest_off(slack_api, tmp_path):
    async with bot(slack_api, tmp_path, admins=frozenset({USER})) as running:
        store = running.briefer.store
        store.save_subscription(Subscription("slack", CHANNEL, TEAM_ID, "08:30", "Europe/Rome", "it"))
        store.save_subscription(Subscription("slack", "C0OTHERTEAM", "T0OTHER", "09:00", "UTC", "en"))
        await running.sender.event({"type": "app_home_opened", "user": USER, "channel": "D1", "tab": "home",
                                    "event_ts": "1.1"})  # fmt: skip
        [published] = await slack_api.wait_for("views.publish")
        assert published.args["user_id"] == USER and view_of(published)["type"] == "home"
        shown = home_text(published)
        assert "OpenAI sceglie AWS" in shown and "Briefing (IT)" in shown and "Briefing (EN)" in shown
        assert f"<#{CHANNEL}> at 08:30 (Europe/Rome), in Italian" in shown
        assert "C0OTHERTEAM" not in shown  # another workspace's digest is not this one's to manage
        assert "briefbot_home_digest_off" in shown

        await send_interaction(running.sender, home_action("briefbot_home_digest_off", CHANNEL))
        _, republished = await slack_api.wait_for("views.publish", 2)
    assert store.subscription("slack", CHANNEL) is None
    assert "Done: no more daily digest in this channel." in home_text(republished)
    assert "No channel gets the daily digest yet" in home_text(republished)


async def test_app_home_for_someone_who_cannot_manage_digests_shows_them_without_buttons(slack_api, tmp_path):
    async with bot(slack_api, tmp_path) as running:
        running.briefer.store.save_subscription(Subscription("slack", CHANNEL, TEAM_ID, "08:30", "Europe/Rome", "it"))
        await running.sender.event({"type": "app_home_opened", "user": USER, "tab": "home", "event_ts": "1.1"})
        [published] = await slack_api.wait_for("views.publish")
        shown = home_text(published)
        assert f"<#{CHANNEL}>" in shown and "briefbot_home_digest" not in shown
        assert "Only workspace admins and owners" in shown

        # A forged "turn off" from someone who may not manage digests changes nothing.
        await send_interaction(running.sender, home_action("briefbot_home_digest_off", CHANNEL))
        _, republished = await slack_api.wait_for("views.publish", 2)
    assert running.briefer.store.subscription("slack", CHANNEL) is not None
    assert "only people who can manage this channel" in home_text(republished)


async def test_a_briefing_button_posts_the_briefing_to_the_persons_messages_tab(slack_api, tmp_path):
    async with bot(slack_api, tmp_path) as running:
        await send_interaction(running.sender, home_action("briefbot_home_brief_en", "openai-aws"))
        [posted] = await slack_api.wait_for("chat.postMessage")
    assert posted.args["channel"] == USER
    shown = blocks_text(posted)
    assert "OpenAI and AWS signed a seven-year cloud computing deal" in shown and "openai-aws/p3" in shown
    assert block_values(posted, "context_actions") and block_values(posted, "actions")  # feedback, follow-ups


def test_the_manifest_enables_the_assistant_the_home_tab_and_buttons():
    from pathlib import Path

    import yaml

    manifest = yaml.safe_load((Path(__file__).resolve().parent.parent / "slack" / "manifest.yml").read_text())
    features, settings = manifest["features"], manifest["settings"]
    assert "assistant_view" in features and features["app_home"]["home_tab_enabled"]
    assert "assistant:write" in manifest["oauth_config"]["scopes"]["bot"]
    events = settings["event_subscriptions"]["bot_events"]
    wanted = {"assistant_thread_started", "assistant_thread_context_changed", "app_home_opened", "message.im"}
    assert wanted <= set(events)
    assert settings["interactivity"]["is_enabled"]
