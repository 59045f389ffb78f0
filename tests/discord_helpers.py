"""Running the real Discord adapter (discord.py) against the fake Discord, with the real core."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager, suppress

from bot.config import Settings
from bot.platforms.discord.client import build_discord_client
from tests.fakes.discord_server import WAIT_TIMEOUT, FakeDiscord

TOKEN = "discord-test-token"
ARTICLE_TITLE = "OpenAI sceglie AWS"
PUBLISHED = "2025-11-04"


def discord_settings(fake: FakeDiscord, tmp_path, **overrides) -> Settings:
    values = {
        "engine": "offline",
        "database_url": f"sqlite:///{tmp_path / 'briefbot.sqlite3'}",
        "discord_token": TOKEN,
        "discord_api_url": fake.api_url,
        "discord_gateway_url": fake.gateway_url,
    }
    return Settings(**{**values, **overrides})


@asynccontextmanager
async def running_bot(settings: Settings, briefer, **options):
    """The adapter's client connected to the fake and ready (guilds received); closed on exit."""
    client = build_discord_client(settings, briefer, guild_ready_timeout=0.01, **options)

    async def run() -> None:
        async with client:
            await client.start(settings.discord_token)

    running = asyncio.create_task(run())
    ready = asyncio.create_task(client.wait_until_ready())
    await asyncio.wait({running, ready}, timeout=WAIT_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    if not ready.done():
        ready.cancel()
        await running if running.done() else running.cancel()
        raise AssertionError("the Discord client did not become ready")
    try:
        yield client
    finally:
        await client.close()
        with suppress(asyncio.CancelledError):
            await running


def is_message_to(channel_id: int):
    return lambda r: r.method == "POST" and r.path == f"/channels/{channel_id}/messages"
