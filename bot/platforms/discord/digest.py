"""The digest on Discord: ``/digest on|off|status|now`` (a command group on the client's
``CommandTree``) and the digest poster.

    register_discord_digest(tree, settings, briefer)

``/digest`` is shown by default only to members with Manage Channels (server admins can change
that), and checked again here: Manage Channels in the channel, or a user id in ``BRIEFBOT_ADMINS``.
Replies are ephemeral; the work is deferred, so a slow briefing never misses Discord's 3 s.
The poster posts through the REST API (no gateway), then starts a thread from the digest:
replies in the thread are follow-ups.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
from discord import app_commands
from discord.http import HTTPClient, Route, handle_message_parameters

from bot.answers.reply import Reply
from bot.config import ConfigError, Settings
from bot.digest.chat_command import Channel, digest_commands
from bot.digest.posters import ChannelGone, ChannelPacer, Posted, PostFailed
from bot.language.languages import DEFAULT_LANGUAGE
from bot.platforms.discord.posting import conversation_id, send_parts, thread_name
from bot.platforms.discord.render import render_reply, render_text
from bot.platforms.discord.slash_commands import LANGUAGE_CHOICES
from bot.store.database import Subscription

GONE = (403, 404)
THREAD_ARCHIVE_MINUTES = 1440

log = logging.getLogger(__name__)


def register_discord_digest(tree: app_commands.CommandTree, settings: Settings, briefer) -> None:
    """Add the ``/digest`` group to ``tree``; ``/digest now`` posts through the tree's client."""
    handler = DiscordDigestCommand(settings, briefer, tree.client)
    group = app_commands.Group(
        name="digest",
        description="The daily news digest in this channel",
        guild_only=True,
        default_permissions=discord.Permissions(manage_channels=True),
    )

    @group.command(name="on", description="Post the digest here every day at a local time")
    @app_commands.describe(
        time="Local time, 24-hour HH:MM (e.g. 08:30)",
        timezone="IANA time zone (e.g. Europe/Rome)",
        language="Language of the digest (default: Italiano)",
        always="Post one line even on days with nothing new",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def on(
        interaction: discord.Interaction,
        time: str,
        timezone: str,
        language: app_commands.Choice[str] | None = None,
        always: bool = False,
    ):
        lang = language.value if language else DEFAULT_LANGUAGE
        text = f"on {time} {timezone} {lang}" + (" always" if always else "")
        await handler.run(interaction, text)

    @group.command(name="off", description="Stop the daily digest in this channel")
    async def off(interaction: discord.Interaction):
        await handler.run(interaction, "off")

    @group.command(name="status", description="Show this channel's digest schedule")
    async def status(interaction: discord.Interaction):
        await handler.run(interaction, "status")

    @group.command(name="now", description="Post what is new since the last digest, now")
    async def now(interaction: discord.Interaction):
        await handler.run(interaction, "now")

    tree.add_command(group)


class DiscordDigestCommand:
    def __init__(self, settings: Settings, briefer, client: discord.Client) -> None:
        self.admins = settings.admins
        self.commands = digest_commands(briefer, DiscordDigestPoster(client.http, ChannelPacer()))

    async def run(self, interaction: discord.Interaction, text: str) -> None:
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException as error:
            log.warning("could not defer /digest (HTTP %s)", error.status)
            return
        user = str(interaction.user.id)
        where = Channel("discord", str(interaction.channel_id), str(interaction.guild_id or ""))

        async def may_manage() -> bool:
            return user in self.admins or interaction.permissions.manage_channels

        reply = await self.commands.handle(text, where, user=user, may_manage=may_manage)
        await send_parts(
            render_text(reply), lambda _, part: interaction.followup.send(part, ephemeral=True), what="/digest answer"
        )


class DiscordDigestPoster:
    """Posts the digest, then starts a thread from it: replies in the thread are follow-ups."""

    platform = "discord"

    def __init__(self, http, pacer: ChannelPacer) -> None:
        self.http = http  # a logged-in discord.http.HTTPClient (a bot client's, or ``discord_rest``'s)
        self.pacer = pacer

    async def post(self, sub: Subscription, reply: Reply, *, title: str) -> Posted:
        first, *rest = render_reply(reply)
        await self.pacer.wait(f"discord:{sub.channel}")
        try:
            message = await self.http.send_message(sub.channel, params=_message_params(first))
        except discord.HTTPException as error:
            reason = f"HTTP {error.status}: {error.text}".strip(": ")
            raise (ChannelGone if error.status in GONE else PostFailed)(reason) from None
        message_id = str(message["id"])
        where = sub.channel
        try:
            thread = await self.http.start_thread_with_message(
                sub.channel, message_id, name=thread_name(title), auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
            where = str(thread["id"])
        except discord.HTTPException as error:  # follow-ups then continue in the channel, replying to the bot
            log.warning("no thread for the digest in discord %s (HTTP %s)", sub.channel, error.status)

        async def send(_: int, part: str) -> None:
            await self.pacer.wait(f"discord:{sub.channel}")
            await self.http.send_message(where, params=_message_params(part))

        await send_parts(rest, send, what="digest continuation")
        guild = int(sub.workspace) if sub.workspace.isdigit() else None
        return Posted(message_id, conversation_id(guild, int(where)))


def _message_params(content: str):
    return handle_message_parameters(content=content, allowed_mentions=discord.AllowedMentions.none())


@asynccontextmanager
async def discord_rest(settings: Settings) -> AsyncIterator[HTTPClient]:
    """A logged-in discord.py REST client on ``DISCORD_API_URL``, without a gateway connection."""
    base = settings.discord_api_url.rstrip("/")

    class RestClient(HTTPClient):
        # discord.py builds every URL from the process-wide Route.BASE, which a running bot
        # client may be changing (bot.platforms.discord.endpoints): rebase each request here.
        async def request(self, route, **kwargs):
            route.url = base + route.url.removeprefix(Route.BASE)
            return await super().request(route, **kwargs)

    http = RestClient(asyncio.get_running_loop())
    try:
        try:
            await http.static_login(settings.discord_token)
        except discord.LoginFailure:
            raise ConfigError("DISCORD_TOKEN was rejected by Discord: copy the bot token again") from None
        yield http
    finally:
        await http.close()


@asynccontextmanager
async def discord_digest_poster(settings: Settings, pacer: ChannelPacer) -> AsyncIterator[DiscordDigestPoster]:
    """A poster on its own REST client, for the life of the block."""
    async with discord_rest(settings) as http:
        yield DiscordDigestPoster(http, pacer)
