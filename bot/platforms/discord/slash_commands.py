"""Slash commands: ``/brief [language]`` and ``/ask question:``, deferred at once, answered as a follow-up.

Deferring ("thinking") answers Discord within its 3-second window however slow the model is;
the follow-up can come up to 15 minutes later.
"""

import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

import discord
from discord import app_commands

from bot.answers.reply import Reply
from bot.language.languages import NATIVE_NAMES, SUPPORTED_LANGUAGES
from bot.language.phrases import BUSY_TEXT
from bot.platforms.discord.actions import reply_view
from bot.platforms.discord.posting import conversation_id, reply_and_messages, send_parts

log = logging.getLogger(__name__)

LANGUAGE_CHOICES = [app_commands.Choice(name=NATIVE_NAMES[code], value=code) for code in SUPPORTED_LANGUAGES]
QUESTION_LIMIT = 2000


def register_commands(tree: app_commands.CommandTree, briefer) -> None:
    """Add briefbot's commands to ``tree``."""

    @tree.command(name="brief", description="A short briefing on the news articles")
    @app_commands.describe(language="Language of the briefing (default: your Discord language)")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def brief(interaction: discord.Interaction, language: app_commands.Choice[str] | None = None):
        lang = language.value if language else language_for(interaction.locale)
        here = conversation_id(interaction.guild_id, interaction.channel_id)
        user = f"discord:{interaction.user.id}"
        with briefer.lifecycle.work():
            await respond(interaction, lambda: briefer.brief(lang=lang, conversation_id=here, user=user), briefer, here)

    @tree.command(name="ask", description="Ask a question about the news articles")
    @app_commands.describe(question="Your question")
    async def ask(interaction: discord.Interaction, question: app_commands.Range[str, 1, QUESTION_LIMIT]):
        here = conversation_id(interaction.guild_id, interaction.channel_id)
        user = f"discord:{interaction.user.id}"
        with briefer.lifecycle.work():
            call = lambda: briefer.answer(question, conversation_id=here, user=user)  # noqa: E731
            await respond(interaction, call, briefer, here, question)

    # /digest is registered next to these by bot.platforms.discord.digest_command (see BriefbotDiscordClient).


def language_for(locale: discord.Locale) -> str:
    """The client's language when the bot speaks it, English otherwise."""
    return next((code for code in SUPPORTED_LANGUAGES if locale.value.startswith(code)), "en")


async def respond(interaction: discord.Interaction, call: Callable[[], Awaitable[Reply]], briefer=None,
                  conversation: str = "", question: str = "") -> None:  # fmt: skip
    """Defer with the "thinking" state, then send the reply as follow-ups, the buttons under the last."""
    try:
        await interaction.response.defer(thinking=True)
    except discord.HTTPException as error:  # the interaction expired or was answered elsewhere
        log.warning("could not defer a Discord interaction (HTTP %s)", error.status)
        return
    reply, parts = await reply_and_messages(call)
    view = None
    if reply is not None and briefer is not None:
        view = await reply_view(briefer.store, reply, question=question, channel=str(interaction.channel_id),
                                conversation_id=conversation)  # fmt: skip
    last = len(parts) - 1

    async def send(index: int, part: str):
        extra = {"view": view} if view is not None and index == last else {}
        return await interaction.followup.send(part, **extra)

    try:
        await send_parts(parts, send, what="follow-up")
    except discord.RateLimited as limited:
        log.warning("Discord asks to wait %.0f s before this follow-up, over the cap: telling the asker "
                    "the bot is busy", limited.retry_after)  # fmt: skip
        with suppress(discord.HTTPException, discord.RateLimited):
            await interaction.followup.send(BUSY_TEXT, ephemeral=True)
