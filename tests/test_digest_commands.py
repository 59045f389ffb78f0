"""``/digest`` through the real bolt app (signed HTTP requests) and the real discord.py client (fake gateway)."""

import asyncio
from contextlib import asynccontextmanager, suppress

import aiohttp
import pytest
from aiohttp import web

from bot.platforms.discord.client import build_discord_client
from bot.platforms.discord.digest_command import register_discord_digest
from bot.platforms.slack.app import build_slack_app, http_server
from bot.platforms.slack.web_client import slack_web_client
from tests.digest_helpers import (
    DISCORD_TOKEN,
    digest_settings,
    slack_posts,
)
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, USER_ID, WAIT_TIMEOUT, FakeDiscord
from tests.fakes.slack_server import FakeSlack
from tests.slack_helpers import (
    CHANNEL,
    SIGNING_SECRET,
    USER,
    SlackSender,
    blocks_text,
)
from tests.support import real_briefer

MANAGE_CHANNELS = 1 << 4
ADMIN = "UADMIN01"


class FakeSlackWithUsers(FakeSlack):
    """The fake Slack, with ``users.info`` knowing one workspace admin. slack_sdk calls users.info
    with GET, which the shared fake does not route yet: added here."""

    async def start(self):
        await super().start()
        app = web.Application()
        app.add_routes([web.get("/api/{method}", self._api), web.post("/api/{method}", self._api),
                        web.post("/response/{name}", self._response_url)])  # fmt: skip
        await self._runner.cleanup()
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    def _answer(self, method, args, authorization):
        if method == "users.info":
            is_admin = args.get("user") == ADMIN
            return {"ok": True, "user": {"id": args.get("user"), "is_admin": is_admin, "is_owner": False}}
        return super()._answer(method, args, authorization)


@pytest.fixture
async def slack_fake():
    fake = await FakeSlackWithUsers().start()
    try:
        yield fake
    finally:
        await fake.stop()


@asynccontextmanager
async def slack_app(fake, tmp_path, **overrides):
    settings = digest_settings(tmp_path, slack=fake, slack_signing_secret=SIGNING_SECRET, **overrides)
    async with real_briefer(settings) as briefer, aiohttp.ClientSession() as session:
        client = slack_web_client(settings, session=session, jitter=0)
        app = build_slack_app(settings, briefer, client=client)
        async with http_server(app, "127.0.0.1", 0, signing_secret=settings.slack_signing_secret) as port:
            sender = SlackSender(session, f"http://127.0.0.1:{port}/slack/events", fake)

            async def digest(text: str, *, user: str = USER) -> str:
                """Run ``/digest text`` and return the (ephemeral) reply the user sees."""
                before = len(fake.calls_to("response_url"))
                status, _ = await sender.command("/digest", text, user_id=user)
                assert status == 200
                replies = await fake.wait_for("response_url", before + 1)
                assert replies[-1].args["response_type"] == "ephemeral"
                return blocks_text(replies[-1])

            yield digest, briefer.store


async def test_slack_non_admin_is_refused_politely(slack_fake, tmp_path):
    async with slack_app(slack_fake, tmp_path) as (digest, store):
        reply = await digest("on 08:30 Europe/Rome it")
        assert store.subscription("slack", CHANNEL) is None
    assert "Sorry, only people who can manage this channel" in reply


async def test_slack_workspace_admin_subscribes_sees_status_and_unsubscribes(slack_fake, tmp_path):
    async with slack_app(slack_fake, tmp_path) as (digest, store):
        on = await digest("on 08:30 Europe/Rome en always", user=ADMIN)
        sub = store.subscription("slack", CHANNEL)
        status = await digest("status")  # anyone may look
        off = await digest("off", user=ADMIN)
        gone = store.subscription("slack", CHANNEL)
    assert "Done: this channel gets the daily digest at 08:30 (Europe/Rome), in English" in on
    assert (sub.time_of_day, sub.timezone, sub.language, sub.always, sub.created_by) == (
        "08:30", "Europe/Rome", "en", True, ADMIN,
    )  # fmt: skip
    assert "Daily digest at 08:30 (Europe/Rome), in English" in status and "Next:" in status
    assert "no more daily digest" in off and gone is None


async def test_slack_briefbot_admins_may_manage_and_invalid_input_names_the_form(slack_fake, tmp_path):
    async with slack_app(slack_fake, tmp_path, admins=frozenset({USER})) as (digest, store):
        bad_time = await digest("on 8h30 Europe/Rome")
        bad_zone = await digest("on 08:30 Rome")
        assert store.subscription("slack", CHANNEL) is None
    assert "use 24-hour HH:MM" in bad_time and "/digest on HH:MM Zone/City" in bad_time
    assert "IANA name like Europe/Rome" in bad_zone


async def test_slack_status_shows_why_a_subscription_is_paused(slack_fake, tmp_path):
    async with slack_app(slack_fake, tmp_path, admins=frozenset({USER})) as (digest, store):
        assert "has no daily digest" in await digest("status")
        await digest("on 08:30 Europe/Rome")
        store.pause_subscription("slack", CHANNEL, "the bot cannot post in this channel (not_in_channel)")
        store.claim_digest("slack", CHANNEL, "2025-11-04")  # a claim whose post never got confirmed
        status = await digest("status")
        await digest("on 08:30 Europe/Rome")  # on again resumes
        resumed = store.subscription("slack", CHANNEL)
    assert "*Paused*: the bot cannot post in this channel (not_in_channel)" in status
    assert "Last: 2025-11-04, claimed but not confirmed posted" in status
    assert not resumed.paused


async def test_slack_digest_now_posts_in_the_channel_then_has_nothing_new(slack_fake, tmp_path):
    async with slack_app(slack_fake, tmp_path, admins=frozenset({USER})) as (digest, _):
        first = await digest("now")
        second = await digest("now")
        refused = await digest("now", user="UOTHER01")
    assert "Digest posted." in first
    assert "Nothing new since this channel's last digest" in second
    assert "Sorry" in refused
    [post] = slack_posts(slack_fake, CHANNEL)
    assert "Il digest di oggi" in post.args["text"]


async def test_slack_digest_now_in_a_channel_without_the_bot(slack_fake, tmp_path):
    slack_fake.fail("chat.postMessage", "not_in_channel")
    async with slack_app(slack_fake, tmp_path, admins=frozenset({USER})) as (digest, _):
        reply = await digest("now")
    assert "I can't post in this channel" in reply and "not_in_channel" in reply


async def test_slack_admin_check_failing_means_no(slack_fake, tmp_path):
    slack_fake.fail("users.info", "missing_scope")
    async with slack_app(slack_fake, tmp_path) as (digest, store):
        reply = await digest("on 08:30 Europe/Rome", user=ADMIN)
        assert store.subscription("slack", CHANNEL) is None
    assert "Sorry" in reply


# --- Discord ---------------------------------------------------------------------------------


@asynccontextmanager
async def discord_bot(fake: FakeDiscord, tmp_path, **overrides):
    settings = digest_settings(tmp_path, discord=fake, discord_gateway_url=fake.gateway_url, **overrides)
    async with real_briefer(settings) as briefer:
        client = build_discord_client(settings, briefer, guild_ready_timeout=0.01)
        if client.tree.get_command("digest") is None:  # until the adapter's builder registers it itself
            register_discord_digest(client.tree, settings, briefer)

        async def run():
            async with client:
                await client.start(DISCORD_TOKEN)

        running = asyncio.create_task(run())
        await asyncio.wait_for(client.wait_until_ready(), WAIT_TIMEOUT)

        async def digest(sub: str, options: dict | None = None, *, permissions: int = 0) -> str:
            payload = fake.interaction("digest", {})
            payload["data"]["options"] = [{"name": sub, "type": 1, "options": [
                {"name": k, "type": 5 if isinstance(v, bool) else 3, "value": v} for k, v in (options or {}).items()
            ]}]  # fmt: skip
            payload["member"]["permissions"] = str(permissions)
            before = len([r for r in fake.requests if r.path.startswith("/webhooks/")])
            await fake.dispatch("INTERACTION_CREATE", payload)
            replies = await fake.wait_for(lambda r: r.path.startswith("/webhooks/"), before + 1)
            assert replies[-1].body["flags"] & 64  # ephemeral
            return replies[-1].body["content"]

        try:
            yield digest, briefer.store
        finally:
            await client.close()
            with suppress(asyncio.CancelledError):
                await running


async def test_discord_without_manage_channels_is_refused(fake_discord, tmp_path):
    async with discord_bot(fake_discord, tmp_path) as (digest, store):
        reply = await digest("on", {"time": "08:30", "timezone": "Europe/Rome"})
        assert store.subscription("discord", str(CHANNEL_ID)) is None
    assert "Sorry, only people who can manage this channel" in reply


async def test_discord_manage_channels_subscribes_and_posts_now(fake_discord, tmp_path):
    async with discord_bot(fake_discord, tmp_path) as (digest, store):
        on = await digest("on", {"time": "7:05", "timezone": "Asia/Tokyo", "language": "en", "always": True},
                          permissions=MANAGE_CHANNELS)  # fmt: skip
        sub = store.subscription("discord", str(CHANNEL_ID))
        now = await digest("now", permissions=MANAGE_CHANNELS)
        status = await digest("status")
        off = await digest("off", permissions=MANAGE_CHANNELS)
    assert "Done: this channel gets the daily digest at 07:05 (Asia/Tokyo), in English" in on
    assert (sub.workspace, sub.time_of_day, sub.language, sub.always) == (str(GUILD_ID), "07:05", "en", True)
    assert now == "Digest posted."
    [post] = [r for r in fake_discord.requests if r.path == f"/channels/{CHANNEL_ID}/messages"]
    assert "Today's digest" in post.body["content"] and post.body["allowed_mentions"] == {"parse": []}
    assert "Daily digest at 07:05 (Asia/Tokyo)" in status
    assert "no more daily digest" in off


async def test_discord_briefbot_admins_may_manage_and_errors_name_the_form(fake_discord, tmp_path):
    async with discord_bot(fake_discord, tmp_path, admins=frozenset({str(USER_ID)})) as (digest, _):
        reply = await digest("on", {"time": "25:99", "timezone": "Europe/Rome"})
        ok = await digest("on", {"time": "08:30", "timezone": "Europe/Rome"})
    assert "use 24-hour HH:MM" in reply
    assert ok.startswith("Done")
