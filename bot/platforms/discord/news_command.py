"""``/news add|list|remove`` on Discord: a command group added to the adapter's ``CommandTree``.

Admins as for ``/digest``: Manage Channels in the channel, or a user id in ``BRIEFBOT_ADMINS``.
Progress shows in the admin's own (ephemeral) "thinking" message; the new article's briefing
is posted for the whole channel.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.config import Settings
from bot.news.chat_command import NewsCommands
from bot.platforms.discord.digest_command import defer_privately, manager_check
from bot.platforms.discord.render import render_reply, render_text

log = logging.getLogger(__name__)

LANGUAGES = [app_commands.Choice(name="Italiano", value="it"), app_commands.Choice(name="English", value="en")]


def register_discord_news(tree: app_commands.CommandTree, settings: Settings, briefer) -> None:
    handler = DiscordNewsCommand(settings, briefer)
    group = app_commands.Group(name="news", description="The articles the bot knows", guild_only=True)

    @group.command(name="add", description="Add (or update) an article from a web page (admins)")
    @app_commands.describe(url="The article's address", language="Language of the briefing (default: Italiano)")
    @app_commands.choices(language=LANGUAGES)
    async def add(interaction: discord.Interaction, url: str, language: app_commands.Choice[str] | None = None):
        await handler.run(interaction, f"add {url} {language.value if language else 'it'}")

    @group.command(name="list", description="The articles the bot knows, newest first")
    async def list_(interaction: discord.Interaction):
        await handler.run(interaction, "list")

    @group.command(name="remove", description="Stop using an article (admins)")
    @app_commands.describe(article="The article's id, as /news list shows it")
    async def remove(interaction: discord.Interaction, article: str):
        await handler.run(interaction, f"remove {article}")

    tree.add_command(group)


class DiscordNewsCommand:
    def __init__(self, settings: Settings, briefer) -> None:
        self.admins = settings.admins
        self.commands = NewsCommands(briefer, settings)

    async def run(self, interaction: discord.Interaction, text: str) -> None:
        if not await defer_privately(interaction, "/news"):
            return

        async def progress(line: str) -> None:
            try:
                await interaction.edit_original_response(content=render_text(line)[0])
            except discord.HTTPException as error:
                log.warning("could not show /news progress (HTTP %s)", error.status)

        result = await self.commands.handle(text, may_manage=manager_check(interaction, self.admins), progress=progress)
        try:
            await interaction.edit_original_response(content=render_text(result.text)[0])
            if result.briefing is not None:
                for part in render_reply(result.briefing):
                    await interaction.followup.send(part, ephemeral=False)
        except discord.HTTPException as error:
            log.warning("could not answer /news (HTTP %s)", error.status)
