"""Showing a reply in a Discord channel: at once when it is complete, or, with a model that
streams, claim by claim as each passes verification: the first verified claim is sent as a
message, later ones edit it no more than once every ``MIN_EDIT_INTERVAL`` seconds (Discord
allows about five edits per five seconds in a channel), and a last edit shows the complete
answer with its sources and buttons."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, suppress

import discord

from bot.answers.reply import Reply
from bot.language.phrases import BUSY_TEXT
from bot.platforms.discord.posting import send_messages
from bot.platforms.discord.render import render_reply, render_text

MIN_EDIT_INTERVAL = 1.0  # seconds between edits of one message

log = logging.getLogger(__name__)

Finish = Callable[[Reply], Awaitable["discord.ui.View | None"]]


async def show_reply(
    target: discord.abc.Messageable, replies: AsyncIterator[Reply], *, finish: Finish, streaming: bool = True,
    reply_to: discord.Message | None = None, nonce_base: int | None = None,
    min_interval: float = MIN_EDIT_INTERVAL, clock: Callable[[], float] = time.monotonic,
    may_post: Callable[[], Awaitable[bool]] | None = None,
) -> Reply | None:  # fmt: skip
    """Show the reply ``replies`` builds up (each one extends the last; the last is complete),
    with the typing indicator on while the core works. Not ``streaming``: ``replies`` yields the
    complete reply only, sent once. Returns the complete reply. ``may_post`` is asked once, just
    before the first message goes out: False (the question was handed to another process) sends nothing."""
    sent: discord.Message | None = None
    attempted, shown_at, shown, reply = False, 0.0, "", None
    async with AsyncExitStack() as typing:
        with suppress(discord.HTTPException):  # no typing indicator is no reason not to answer
            await typing.enter_async_context(target.typing())
        try:
            async for reply in replies:
                if not streaming:
                    continue  # one complete reply: sent once below, with its buttons
                first = render_reply(reply)[0]
                if not attempted:
                    if may_post is not None and not await may_post():
                        return None
                    attempted = True
                    sent = await _send_first(target, first, reply_to, nonce_base)
                    shown_at, shown = clock(), first
                elif first != shown and clock() - shown_at >= min_interval:
                    with suppress(discord.HTTPException):
                        await sent.edit(content=first)
                        shown_at, shown = clock(), first
        except Exception:
            log.exception("the core failed to answer a Discord question")
            reply = None
    if attempted and sent is None:
        return reply  # the first part could not be sent (logged): nor will the rest
    if not attempted and may_post is not None and not await may_post():
        return None
    if reply is None:
        await _finish(target, sent, render_text(BUSY_TEXT), None, reply_to, nonce_base)
        return None
    await _finish(target, sent, render_reply(reply), await finish(reply), reply_to, nonce_base)
    return reply


async def _send_first(target, content: str, reply_to, nonce_base) -> discord.Message | None:
    nonce = None if nonce_base is None else f"{nonce_base}00"
    try:
        if reply_to is not None:
            return await reply_to.reply(content, mention_author=False, nonce=nonce)
        return await target.send(content, nonce=nonce)
    except discord.HTTPException as error:
        log.warning("could not send a Discord reply (HTTP %s): %s", error.status, error.text)
        return None


async def _finish(target, sent, parts: list[str], view, reply_to, nonce_base) -> None:
    """The complete reply: in place of the streamed message (its first part), the rest after it;
    the buttons go under the last part."""
    if sent is None:
        await send_messages(target, parts, reply_to=reply_to, nonce_base=nonce_base, view=view)
        return
    last_view = view if len(parts) == 1 else None
    try:
        await sent.edit(content=parts[0], view=last_view)
    except discord.HTTPException as error:
        log.warning("could not edit the streamed Discord reply (HTTP %s): %s", error.status, error.text)
    if len(parts) > 1:
        await send_messages(target, parts[1:], nonce_base=nonce_base, view=view, first_index=1)
