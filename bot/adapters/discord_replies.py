"""One accepted question, exactly one reply: call the core, render, send; what both entry points share."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

import discord

from bot.messages import message
from bot.render.discord import render_reply
from bot.reply import Reply

log = logging.getLogger(__name__)

# Shown when the core itself fails (a bug, the database down): the model failing never gets here,
# the core falls back to the offline engine. Bilingual because the question's language is unknown.
UNAVAILABLE_MESSAGE = f"{message('busy', 'it')} / {message('busy', 'en')}"
THREAD_NAME_LIMIT = 100  # Discord's limit for a thread name


def conversation_id(guild_id: int | None, channel_id: int) -> str:
    """Where a conversation lives: a guild thread or channel, or a DM."""
    return f"discord:dm:{channel_id}" if guild_id is None else f"discord:{guild_id}:{channel_id}"


def thread_name(question: str, fallback: str = "Briefing") -> str:
    name = " ".join(question.split()) or fallback
    return name if len(name) <= THREAD_NAME_LIMIT else name[: THREAD_NAME_LIMIT - 1].rstrip() + "…"


async def reply_and_messages(call: Callable[[], Awaitable[Reply]]) -> tuple[Reply | None, list[str]]:
    """The core's reply and its Discord messages, or no reply and the short "unavailable" message
    if the core raised."""
    try:
        reply = await call()
    except Exception:
        log.exception("the core failed to answer a Discord question")
        return None, [UNAVAILABLE_MESSAGE]
    return reply, render_reply(reply) or [UNAVAILABLE_MESSAGE]


async def send_messages(
    channel: discord.abc.Messageable,
    parts: Sequence[str],
    *,
    reply_to: discord.Message | None = None,
    nonce_base: int | None = None,
    view: discord.ui.View | None = None,
    first_index: int = 0,
) -> None:
    """Send ``parts`` in order; the first one as a reply that does not ping when ``reply_to`` is given;
    ``view`` (buttons) under the last one.

    With ``nonce_base`` each part carries an enforced nonce, so Discord creates it once even if the
    request is retried or a second instance answers the same message.
    """
    for index, part in enumerate(parts, start=first_index):
        nonce = None if nonce_base is None else f"{nonce_base}{index:02d}"
        extra = {"view": view} if view is not None and index == first_index + len(parts) - 1 else {}
        try:
            if index == 0 and reply_to is not None:
                await reply_to.reply(part, mention_author=False, nonce=nonce, **extra)
            else:
                await channel.send(part, nonce=nonce, **extra)
        except discord.HTTPException as error:
            log.warning("could not send a Discord reply (HTTP %s): %s", error.status, error.text)
            return
