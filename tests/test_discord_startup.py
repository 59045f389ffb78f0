"""Starting and stopping the Discord adapter: configuration errors, endpoints, cancellation."""

import asyncio

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import ConfigError
from bot.platforms.discord.client import serve_discord
from bot.platforms.discord.endpoints import discord_endpoints
from tests.discord_helpers import (
    TOKEN,
    discord_settings,
    is_message_to,
)
from tests.fakes.discord_server import WAIT_TIMEOUT
from tests.support import real_briefer


async def test_serve_discord_answers_until_cancelled_then_restores_the_endpoints(fake_discord, tmp_path):
    defaults = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings) as briefer:
        serving = asyncio.create_task(serve_discord(settings, briefer))
        await fake_discord.wait_for(lambda r: r.method == "PUT")  # logged in, commands synced
        await fake_discord.wait_for_identify()
        question = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        await fake_discord.wait_for(is_message_to(int(question["id"])))

        serving.cancel()
        with pytest.raises(asyncio.CancelledError):
            await serving

    assert defaults == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


async def test_a_missing_token_is_a_one_line_config_error(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path, discord_token="")
    with pytest.raises(ConfigError, match="DISCORD_TOKEN must be set"):
        await serve_discord(settings, briefer=None)


async def test_a_rejected_token_is_a_config_error_without_the_token(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    fake_discord.fail("GET", r"/users/@me", 401, code=0)
    async with real_briefer(settings) as briefer:
        with pytest.raises(ConfigError, match="DISCORD_TOKEN was rejected") as error:
            await asyncio.wait_for(serve_discord(settings, briefer), WAIT_TIMEOUT)
    assert TOKEN not in str(error.value)


async def test_an_unapproved_message_content_intent_is_a_config_error(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    fake_discord.close_code_on_identify = 4014
    async with real_briefer(settings) as briefer:
        with pytest.raises(ConfigError, match="Message Content intent"):
            await asyncio.wait_for(serve_discord(settings, briefer, message_content=True), WAIT_TIMEOUT)


def test_endpoints_are_restored_even_when_the_client_fails():
    defaults = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    with pytest.raises(RuntimeError), discord_endpoints("http://127.0.0.1:9/api/v10/", "ws://127.0.0.1:9/gw"):
        assert Route.BASE == "http://127.0.0.1:9/api/v10"
        assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:9/gw"
        raise RuntimeError("boom")
    assert defaults == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


def test_without_a_gateway_url_the_default_gateway_is_kept():
    default_gateway = DiscordWebSocket.DEFAULT_GATEWAY
    with discord_endpoints("https://proxy.internal/api/v10", ""):
        assert Route.BASE == "https://proxy.internal/api/v10"
        assert default_gateway == DiscordWebSocket.DEFAULT_GATEWAY
