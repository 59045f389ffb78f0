"""Slash commands: ``/brief [language]`` and ``/ask question:``, deferred at once, answered as a follow-up.

Deferring ("thinking") answers Discord within its 3-second window however slow the model is;
the follow-up can come up to 15 minutes later, through the interaction's token, from any process:
a command is recorded for the durable hand-off (``bot.core.handoff``) with that token, so that
another process answers it when the one that deferred it dies.
"""

import logging
from contextlib import suppress

import discord
from discord import app_commands

from bot.core.handoff import LOST_QUESTION_TEXT, Handoff, Ticket
from bot.language.languages import NATIVE_NAMES, SUPPORTED_LANGUAGES
from bot.language.phrases import BUSY_TEXT
from bot.platforms.discord.actions import reply_view
from bot.platforms.discord.posting import conversation_id, reply_and_messages, send_parts
from bot.store.records import AcceptedQuestion

log = logging.getLogger(__name__)

LANGUAGE_CHOICES = [app_commands.Choice(name=NATIVE_NAMES[code], value=code) for code in SUPPORTED_LANGUAGES]
QUESTION_LIMIT = 2000
COMMANDS = ("/ask", "/brief")  # recorded for the hand-off with the command as their target


def register_commands(tree: app_commands.CommandTree, briefer, handoff: Handoff) -> None:
    """Add briefbot's commands to ``tree``; ``handoff``: the client's, whose scan must know the
    commands this process is answering."""

    @tree.command(name="brief", description="A short briefing on the news articles")
    @app_commands.describe(language="Language of the briefing (default: your Discord language)")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def brief(interaction: discord.Interaction, language: app_commands.Choice[str] | None = None):
        lang = language.value if language else language_for(interaction.locale)
        await respond(interaction, command_question(interaction, "/brief", lang), briefer, handoff)

    @tree.command(name="ask", description="Ask a question about the news articles")
    @app_commands.describe(question="Your question")
    async def ask(interaction: discord.Interaction, question: app_commands.Range[str, 1, QUESTION_LIMIT]):
        await respond(interaction, command_question(interaction, "/ask", question), briefer, handoff)

    # /digest is registered next to these by bot.platforms.discord.digest_command (see BriefbotDiscordClient).


def language_for(locale: discord.Locale) -> str:
    """The client's language when the bot speaks it, English otherwise."""
    return next((code for code in SUPPORTED_LANGUAGES if locale.value.startswith(code)), "en")


def command_question(interaction: discord.Interaction, command: str, text: str) -> AcceptedQuestion:
    """A slash command as the hand-off records it: ``text`` is /ask's question or /brief's language;
    the follow-up webhook (application id and interaction token) is where its answer goes."""
    return AcceptedQuestion(
        key=f"discord:interaction:{interaction.id}", platform="discord", channel=str(interaction.channel_id),
        question=text, conversation_id=conversation_id(interaction.guild_id, interaction.channel_id),
        workspace=str(interaction.guild_id or ""), target=command, user_id=str(interaction.user.id),
        reply_url=f"{interaction.application_id}/{interaction.token}",
    )  # fmt: skip


async def respond(interaction: discord.Interaction, command: AcceptedQuestion, briefer, handoff: Handoff) -> None:
    """Defer with the "thinking" state, then answer ``command`` as follow-ups, the buttons under the last."""
    try:
        await interaction.response.defer(thinking=True)
    except discord.HTTPException as error:  # the interaction expired or was answered elsewhere
        log.warning("could not defer a Discord interaction (HTTP %s)", error.status)
        return
    with briefer.lifecycle.work():
        ticket = await handoff.accept(command)
        async with ticket.holding():
            await answer_command(interaction.followup, command, briefer, ticket)


async def answer_recovered_command(client: discord.Client, ticket: Ticket, briefer) -> None:
    """Answer a command whose process stopped before its follow-up (``bot.core.handoff``)."""
    with briefer.lifecycle.work():
        async with ticket.holding():
            await answer_command(follow_up_webhook(client, ticket.question), ticket.question, briefer, ticket)


async def apologize_for_command(client: discord.Client, question: AcceptedQuestion) -> None:
    """A command given up on: say so in place of its "thinking" message, instead of silence."""
    with suppress(discord.HTTPException):
        await follow_up_webhook(client, question).send(LOST_QUESTION_TEXT)


def follow_up_webhook(client: discord.Client, command: AcceptedQuestion) -> discord.Webhook:
    """The interaction's follow-up webhook, as ``Interaction.followup`` builds it: discord.py has no
    public constructor taking only the application id and the token."""
    application_id, _, token = command.reply_url.partition("/")
    payload = {"id": int(application_id), "type": 3, "token": token}
    return discord.Webhook.from_state(data=payload, state=client._connection)


async def answer_command(followup: discord.Webhook, command: AcceptedQuestion, briefer, ticket: Ticket) -> None:
    """The core's answer to /ask (a briefing for /brief), sent through ``followup`` unless another
    process took the command over meanwhile."""
    user, here = f"discord:{command.user_id}", command.conversation_id
    question = "" if command.target == "/brief" else command.question
    if question:
        reply, parts = await reply_and_messages(lambda: briefer.answer(question, conversation_id=here, user=user))
    else:
        reply, parts = await reply_and_messages(lambda: briefer.brief(lang=command.question, conversation_id=here,
                                                                      user=user))  # fmt: skip
    view = None
    if reply is not None:
        view = await reply_view(briefer.store, reply, question=question, channel=command.channel,
                                conversation_id=here)  # fmt: skip
    if not await ticket.confirm():
        return
    last = len(parts) - 1

    async def send(index: int, part: str):
        extra = {"view": view} if view is not None and index == last else {}
        return await followup.send(part, **extra)

    try:
        await send_parts(parts, send, what="follow-up")
    except discord.RateLimited as limited:
        log.warning("Discord asks to wait %.0f s before this follow-up, over the cap: telling the asker "
                    "the bot is busy", limited.retry_after)  # fmt: skip
        with suppress(discord.HTTPException, discord.RateLimited):
            await followup.send(BUSY_TEXT, ephemeral=True)
    await ticket.done()
