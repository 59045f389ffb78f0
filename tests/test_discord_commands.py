"""End to end: slash commands through the real discord.py client, the real core and the fake Discord."""

import logging
import re

from tests.discord_helpers import (
    ARTICLE_TITLE,
    discord_settings,
    running_bot,
)
from tests.fakes.discord_server import APP_ID, GUILD_ID
from tests.support import ScriptedModel, real_briefer


def for_interaction(interaction: dict):
    """Requests that answer ``interaction``: its callback, then its follow-ups."""
    token = interaction["token"]
    return lambda r: r.method == "POST" and (r.path.endswith(f"/{token}/callback") or r.path.endswith(f"/{token}"))


async def test_ask_is_deferred_first_then_answered_as_a_follow_up(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    model = ScriptedModel()
    async with real_briefer(settings, model) as briefer, running_bot(settings, briefer):
        interaction = fake_discord.interaction("ask", {"question": "How much is the deal worth?"})
        await fake_discord.dispatch("INTERACTION_CREATE", interaction)
        deferral, follow_up = await fake_discord.wait_for(for_interaction(interaction), count=2)

    assert deferral.path == f"/interactions/{interaction['id']}/{interaction['token']}/callback"
    assert deferral.body["type"] == 5  # "thinking"
    assert follow_up.path == f"/webhooks/{APP_ID}/{interaction['token']}"
    assert follow_up.body["allowed_mentions"] == {"parse": []}
    assert "38 billion" in follow_up.body["content"] and f"-# [1] {ARTICLE_TITLE}" in follow_up.body["content"]
    assert "How much is the deal worth?" in model.requests[0][-1]["content"]


async def test_ask_continues_the_channels_conversation(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    model = ScriptedModel()
    async with real_briefer(settings, model) as briefer, running_bot(settings, briefer):
        for question in ("How much is the deal worth?", "And for how long?"):
            interaction = fake_discord.interaction("ask", {"question": question})
            await fake_discord.dispatch("INTERACTION_CREATE", interaction)
            await fake_discord.wait_for(for_interaction(interaction), count=2)

    assert "How much is the deal worth?" in " ".join(m["content"] for m in model.requests[1])


async def test_brief_uses_the_chosen_language_else_the_users_discord_language(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        english = fake_discord.interaction("brief", {"language": "en"}, locale="it")
        italian = fake_discord.interaction("brief", {}, locale="it")
        default_english = fake_discord.interaction("brief", {}, locale="en-GB", guild=False)
        replies = []
        for interaction in (english, italian, default_english):
            await fake_discord.dispatch("INTERACTION_CREATE", interaction)
            replies.append((await fake_discord.wait_for(for_interaction(interaction), count=2))[1])

    english_reply, italian_reply, dm_reply = (r.body["content"] for r in replies)
    assert "signed" in english_reply and "firmato" in italian_reply and "signed" in dm_reply
    assert all(r.body["allowed_mentions"] == {"parse": []} for r in replies)


async def test_an_expired_interaction_is_skipped_and_the_next_one_answered(fake_discord, tmp_path, caplog):
    settings = discord_settings(fake_discord, tmp_path)
    fake_discord.fail("POST", r"/interactions/\d+/[^/]+/callback", 404, code=10062)
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        expired = fake_discord.interaction("ask", {"question": "How much is the deal worth?"})
        fresh = fake_discord.interaction("ask", {"question": "How much is the deal worth?"})
        for interaction in (expired, fresh):
            await fake_discord.dispatch("INTERACTION_CREATE", interaction)
        await fake_discord.wait_for(for_interaction(fresh), count=2)

    assert not [r for r in fake_discord.requests if r.path.startswith(f"/webhooks/{APP_ID}/{expired['token']}")]
    assert "could not defer a Discord interaction (HTTP 404)" in caplog.text


async def test_a_failed_follow_up_is_logged(fake_discord, tmp_path, caplog):
    settings = discord_settings(fake_discord, tmp_path)
    fake_discord.fail("POST", r"/webhooks/\d+/[^/]+", 400, code=50035)
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        interaction = fake_discord.interaction("ask", {"question": "How much is the deal worth?"})
        await fake_discord.dispatch("INTERACTION_CREATE", interaction)
        await fake_discord.wait_for(for_interaction(interaction), count=2)
        fresh = fake_discord.interaction("ask", {"question": "How much is the deal worth?"})
        await fake_discord.dispatch("INTERACTION_CREATE", fresh)
        await fake_discord.wait_for(for_interaction(fresh), count=2)

    assert "could not send a Discord follow-up (HTTP 400)" in caplog.text


async def test_commands_are_synced_globally_and_the_invite_url_is_logged(fake_discord, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.platforms.discord.client")
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        pass

    [sync] = [r for r in fake_discord.requests if r.method == "PUT"]
    assert sync.path == f"/applications/{APP_ID}/commands"
    commands = {c["name"]: c for c in sync.body}
    assert set(commands) == {"brief", "ask", "digest", "news"}
    assert [o["name"] for o in commands["ask"]["options"]] == ["question"]
    assert {c["value"] for c in commands["brief"]["options"][0]["choices"]} == {"it", "en"}
    assert f"client_id={APP_ID}" in caplog.text and "scope=bot+applications.commands" in caplog.text
    view, send, read_history, public_threads, send_in_threads = 1 << 10, 1 << 11, 1 << 16, 1 << 35, 1 << 38
    permissions = view | send | read_history | public_threads | send_in_threads
    assert re.search(rf"permissions={permissions}\b", caplog.text)


async def test_commands_are_synced_to_one_guild_when_configured(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path, discord_guild_id=GUILD_ID)
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        interaction = fake_discord.interaction("ask", {"question": "How much is the deal worth?"})
        await fake_discord.dispatch("INTERACTION_CREATE", interaction)
        await fake_discord.wait_for(for_interaction(interaction), count=2)

    [sync] = [r for r in fake_discord.requests if r.method == "PUT"]
    assert sync.path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"


async def test_a_failed_sync_is_logged_and_mentions_still_work(fake_discord, tmp_path, caplog):
    settings = discord_settings(fake_discord, tmp_path)
    fake_discord.fail("PUT", r"/applications/\d+/commands", 403, code=50001)
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        await fake_discord.wait_for(lambda r: r.path == f"/channels/{question['id']}/messages")

    assert "could not sync the slash commands (HTTP 403)" in caplog.text


async def test_a_command_being_answered_is_one_the_clients_hand_off_scan_leaves_alone(fake_discord, tmp_path):
    """The scan that recovers lapsed questions skips those its own process is answering: a
    command's must be among them, or a lapsed lease under a stalled loop gets it answered twice."""
    import asyncio

    settings = discord_settings(fake_discord, tmp_path)
    model = ScriptedModel(gate=asyncio.Event())
    async with real_briefer(settings, model) as briefer, running_bot(settings, briefer) as client:
        interaction = fake_discord.interaction("ask", {"question": "How much is the deal worth?"})
        await fake_discord.dispatch("INTERACTION_CREATE", interaction)
        await asyncio.wait_for(model.started.wait(), 10)
        assert f"discord:interaction:{interaction['id']}" in client.handoff.in_flight
        model.gate.set()
        await fake_discord.wait_for(for_interaction(interaction), count=2)
        # The answer is posted before the question is marked done: wait for that, not for the post.
        for _ in range(500):
            if not client.handoff.in_flight:
                break
            await asyncio.sleep(0.01)
    assert not client.handoff.in_flight
