"""``serve_all``: every configured adapter plus the digest scheduler in one process."""

import asyncio
import datetime as dt
import logging

import pytest

from bot.cli.serve import run_together, serve_all
from bot.config import ConfigError
from tests.digest_helpers import (
    FrozenClock,
    digest_settings,
    subscribe,
)
from tests.fakes.discord_server import WAIT_TIMEOUT
from tests.slack_helpers import (
    SIGNING_SECRET,
)
from tests.support import real_briefer


async def test_serves_slack_discord_and_the_scheduler_and_posts_a_due_digest(slack_api, fake_discord, tmp_path,
                                                                            caplog):  # fmt: skip
    caplog.set_level(logging.INFO)
    settings = digest_settings(tmp_path, slack=slack_api, discord=fake_discord, slack_signing_secret=SIGNING_SECRET,
                               discord_gateway_url=fake_discord.gateway_url)  # fmt: skip
    clock = FrozenClock(dt.datetime(2025, 11, 4, 7, 30, tzinfo=dt.UTC))  # 08:30 in Rome
    async with real_briefer(settings) as briefer:
        subscribe(briefer.store, "slack", "C1")
        subscribe(briefer.store, "discord", "700")
        serving = asyncio.create_task(serve_all(settings, briefer, host="127.0.0.1", port=0, clock=clock,
                                                interval=0.05))  # fmt: skip
        try:
            await slack_api.wait_for("chat.postMessage")
            await fake_discord.wait_for(lambda r: r.path == "/channels/700/messages")
            await fake_discord.wait_for(lambda r: r.path.startswith("/applications/"))  # the bot's commands synced
        finally:
            serving.cancel()
            with pytest.raises(asyncio.CancelledError):
                await serving
    assert "Slack: HTTP mode on 127.0.0.1:0" in caplog.text and "Discord: starting" in caplog.text


async def test_says_plainly_what_is_not_configured(tmp_path, caplog, fake_discord):
    caplog.set_level(logging.INFO)
    async with real_briefer(digest_settings(tmp_path)) as briefer:
        with pytest.raises(ConfigError, match="nothing to serve"):
            await serve_all(briefer.settings, briefer, host="127.0.0.1", port=0)
    assert "Slack: not configured (SLACK_BOT_TOKEN is not set)" in caplog.text
    assert "Discord: not configured (DISCORD_TOKEN is not set)" in caplog.text
    assert "Digest scheduler: not started" in caplog.text


async def test_a_slack_token_without_secret_or_app_token_still_posts_digests(tmp_path, caplog, slack_api):
    caplog.set_level(logging.INFO)
    settings = digest_settings(tmp_path, slack=slack_api)
    clock = FrozenClock(dt.datetime(2025, 11, 4, 7, 30, tzinfo=dt.UTC))
    async with real_briefer(settings) as briefer:
        subscribe(briefer.store, "slack", "C1")
        serving = asyncio.create_task(serve_all(settings, briefer, host="127.0.0.1", port=0, clock=clock))
        try:
            await slack_api.wait_for("chat.postMessage")
        finally:
            serving.cancel()
            with pytest.raises(asyncio.CancelledError):
                await serving
    assert "Slack: adapter not started: set SLACK_SIGNING_SECRET" in caplog.text


async def test_a_piece_that_fails_stops_the_process_with_its_error(fake_discord, tmp_path):
    fake_discord.fail("GET", r"/users/@me", 401, times=2)  # the bot's login and the digest poster's
    settings = digest_settings(tmp_path, discord=fake_discord, discord_gateway_url=fake_discord.gateway_url)
    async with real_briefer(settings) as briefer:
        with pytest.raises(ConfigError, match="DISCORD_TOKEN was rejected"):
            await asyncio.wait_for(serve_all(settings, briefer, host="127.0.0.1", port=0), WAIT_TIMEOUT)


async def test_a_piece_that_stops_stops_the_others(caplog):
    stopped = asyncio.Event()

    async def forever():
        try:
            await asyncio.Event().wait()
        finally:
            stopped.set()

    async def returns():
        return None

    await run_together({"discord": returns(), "digest": forever()})
    assert stopped.is_set() and "discord stopped: stopping the other pieces" in caplog.text
