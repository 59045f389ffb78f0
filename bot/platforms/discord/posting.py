"""One accepted question, exactly one reply: call the core, render, send; what every entry point shares.

``send_parts`` is the one way a reply's messages go out, for answers (mentions, DMs, slash
commands) and digests alike: in order, stopping at the first one Discord refuses.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

import discord

from bot.answers.reply import Reply
from bot.language.phrases import BUSY_TEXT
from bot.platforms.base import answer_or_busy
from bot.platforms.base import conversation_id as platform_conversation_id
from bot.platforms.discord.render import render_reply, render_text

log = logging.getLogger(__name__)

RESTARTING_MESSAGE = (
    "Mi sto riavviando e non ho potuto finire questa risposta: chiedimelo di nuovo tra un minuto. / "
    "I'm restarting and couldn't finish this answer: please ask again in a minute."
)
THREAD_NAME_LIMIT = 100  # Discord's limit for a thread name


def conversation_id(guild_id: int | None, channel_id: int) -> str:
    """Where a conversation lives: a guild thread or channel, or a DM."""
    if guild_id is None:
        return platform_conversation_id("discord", "dm", channel_id)
    return platform_conversation_id("discord", guild_id, channel_id)


def thread_name(question: str, fallback: str = "Briefing") -> str:
    name = " ".join(question.split()) or fallback
    return name if len(name) <= THREAD_NAME_LIMIT else name[: THREAD_NAME_LIMIT - 1].rstrip() + "…"


async def reply_messages(call: Callable[[], Awaitable[Reply]]) -> list[str]:
    """The core's reply rendered as Discord messages, or the busy text if the core raised."""
    _, parts = await answer_or_busy(call, render_reply, render_text)
    return parts


async def reply_and_messages(call: Callable[[], Awaitable[Reply]]) -> tuple[Reply | None, list[str]]:
    """The core's reply and its Discord messages, or no reply and the busy text if the core raised."""
    return await answer_or_busy(call, render_reply, render_text)


async def send_parts(
    parts: Sequence[str], send: Callable[[int, str], Awaitable[object]], *, what: str = "reply"
) -> None:
    """Send ``parts`` in order through ``send(index, part)``; a refusal is logged and ends the reply."""
    for index, part in enumerate(parts):
        try:
            await send(index, part)
        except discord.HTTPException as error:
            log.warning("could not send a Discord %s (HTTP %s): %s", what, error.status, error.text)
            return


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

    last = len(parts) - 1

    async def send(index: int, part: str) -> None:
        number = index + first_index
        nonce = None if nonce_base is None else f"{nonce_base}{number:02d}"
        extra = {"view": view} if view is not None and index == last else {}
        if number == 0 and reply_to is not None:
            await reply_to.reply(part, mention_author=False, nonce=nonce, **extra)
        else:
            await channel.send(part, nonce=nonce, **extra)

    try:
        await send_parts(parts, send)
    except discord.RateLimited as limited:
        log.warning("Discord asks to wait %.0f s before this reply, over the cap: telling the asker the bot "
                    "is busy", limited.retry_after)  # fmt: skip
        await _say_busy(channel, reply_to)


async def _say_busy(channel: discord.abc.Messageable, reply_to: discord.Message | None) -> None:
    """Best effort: the channel may refuse this too, then the asker's DM is tried."""
    for target in (channel, getattr(getattr(reply_to, "author", None), "dm_channel", None)):
        if target is None:
            continue
        try:
            await target.send(BUSY_TEXT)
            return
        except (discord.HTTPException, discord.RateLimited):
            continue
