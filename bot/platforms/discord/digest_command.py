"""``/digest on|off|status|now`` on Discord: a command group added to the client's ``CommandTree``.

    register_discord_digest(tree, settings, briefer)

Shown by default only to members with Manage Channels (server admins can change that), and
checked again here: Manage Channels in the channel, or a user id in ``BRIEFBOT_ADMINS``.
Replies are ephemeral; the work is deferred, so a slow briefing never misses Discord's 3 s.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.config import Settings
from bot.language.languages import DEFAULT_LANGUAGE
from bot.platforms.discord.posting import send_parts
from bot.platforms.discord.render import render_text
from bot.platforms.discord.slash_commands import LANGUAGE_CHOICES

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
        self.briefer = briefer
        self.client = client
        self._commands = None

    @property
    def commands(self):
        """Made with the first ``/digest``: the digest's modules load then, not before the process connects."""
        if self._commands is None:
            from bot.digest.chat_command import digest_commands
            from bot.digest.posters import ChannelPacer
            from bot.platforms.discord.digest_poster import DiscordDigestPoster

            self._commands = digest_commands(self.briefer, DiscordDigestPoster(self.client.http, ChannelPacer()))
        return self._commands

    async def run(self, interaction: discord.Interaction, text: str) -> None:
        if not await defer_privately(interaction, "/digest"):
            return
        user = str(interaction.user.id)
        from bot.digest.chat_command import Channel

        where = Channel("discord", str(interaction.channel_id), str(interaction.guild_id or ""))
        reply = await self.commands.handle(text, where, user=user, may_manage=manager_check(interaction, self.admins))
        await send_parts(
            render_text(reply), lambda _, part: interaction.followup.send(part, ephemeral=True), what="/digest answer"
        )


async def defer_privately(interaction: discord.Interaction, command: str) -> bool:
    """Show "thinking" to the person who ran ``command`` only; False when Discord refused."""
    try:
        await interaction.response.defer(ephemeral=True, thinking=True)
    except discord.HTTPException as error:
        log.warning("could not defer %s (HTTP %s)", command, error.status)
        return False
    return True


def manager_check(interaction: discord.Interaction, admins: frozenset[str]):
    """Who may manage: Manage Channels in the channel, or a user id in ``BRIEFBOT_ADMINS``."""

    async def may_manage() -> bool:
        return str(interaction.user.id) in admins or interaction.permissions.manage_channels

    return may_manage
