"""Messages: which ones are questions, where the answer goes, which conversation they continue.

- DM: every message is a question; the DM is one conversation.
- Guild text channel: a mention starts a thread from the message and is answered there (a reply
  that does not ping if the thread cannot be created); a message replying to the bot continues
  the channel's conversation in place.
- Thread: a mention, or any message once the thread holds a conversation with the bot (that needs
  the MESSAGE_CONTENT intent: without it Discord sends empty content for messages that do not
  mention the bot).
Bots (the bot itself included), webhooks and system messages are ignored.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass
from enum import Enum

import discord

from bot.core.handoff import LOST_QUESTION_TEXT, Handoff, Ticket
from bot.platforms.discord.actions import reply_view
from bot.platforms.discord.posting import RESTARTING_MESSAGE, conversation_id, send_messages, thread_name
from bot.platforms.discord.render import question_from_message
from bot.platforms.discord.streaming import show_reply
from bot.store.records import AcceptedQuestion, StoreError

log = logging.getLogger(__name__)

_USER_MESSAGE_TYPES = (discord.MessageType.default, discord.MessageType.reply)


class Where(Enum):
    IN_PLACE = "in place"  # a DM or a thread: answer in the same channel
    REPLY = "reply"  # a reply to the question, in the same channel
    NEW_THREAD = "new thread"  # a thread started from the question


@dataclass(frozen=True)
class Plan:
    question: str  # empty when the bot was only mentioned: it then gives the briefing
    conversation_id: str
    where: Where


async def plan_for(message: discord.Message, me: discord.abc.User, briefer) -> Plan | None:
    """How to answer ``message``, or None when it is not a question for the bot."""
    if message.author.bot or message.webhook_id is not None or message.type not in _USER_MESSAGE_TYPES:
        return None
    question = question_from_message(message.content, me.id)
    channel = message.channel
    if message.guild is None:
        return Plan(question, conversation_id(None, channel.id), Where.IN_PLACE) if question else None

    here = conversation_id(message.guild.id, channel.id)
    mentioned = any(user.id == me.id for user in message.mentions)
    if isinstance(channel, discord.Thread):
        if mentioned or (question and await briefer.has_conversation(here)):
            return Plan(question, here, Where.IN_PLACE)
        return None
    if _replies_to(message, me) and (mentioned or question):
        return Plan(question, here, Where.REPLY)
    if not mentioned:
        return None
    return Plan(question, here, Where.NEW_THREAD if isinstance(channel, discord.TextChannel) else Where.REPLY)


async def answer_message(message: discord.Message, plan: Plan, briefer, handoff: Handoff) -> None:
    """Give ``plan`` its one reply, with the typing indicator on while the core works; the question
    is recorded for the durable hand-off while it is being answered."""
    ticket = await handoff.accept(AcceptedQuestion(
        key=f"discord:{message.id}", platform="discord", channel=str(message.channel.id), question=plan.question,
        conversation_id=plan.conversation_id, workspace=str(message.guild.id) if message.guild else "",
        thread=str(message.id), target=plan.where.value, user_id=str(message.author.id),
    ))  # fmt: skip
    async with ticket.holding():
        await _answer_planned(message, message.channel, plan.where, plan.question, plan.conversation_id, briefer,
                              ticket, user=f"discord:{message.author.id}")  # fmt: skip


async def answer_recovered(client: discord.Client, ticket: Ticket, briefer) -> None:
    """Answer a question whose process stopped before posting (``bot.core.handoff``), where it was asked."""
    q = ticket.question
    channel = client.get_partial_messageable(int(q.channel))
    message = channel.get_partial_message(int(q.thread))
    with briefer.lifecycle.work():
        async with ticket.holding():
            await _answer_planned(message, channel, Where(q.target), q.question, q.conversation_id, briefer, ticket,
                                  user=f"discord:{q.user_id}")  # fmt: skip


async def apologize(client: discord.Client, question: AcceptedQuestion) -> None:
    """A question given up on: say so where it was asked, instead of silence."""
    channel = client.get_partial_messageable(int(question.channel))
    reply_to = None if Where(question.target) is Where.IN_PLACE else channel.get_partial_message(int(question.thread))
    await send_messages(channel, [LOST_QUESTION_TEXT], reply_to=reply_to)


async def _answer_planned(message, channel, where: Where, question: str, conversation: str, briefer,
                          ticket: Ticket, *, user: str) -> None:  # fmt: skip
    target: discord.abc.Messageable = channel
    reply_to = message if where is Where.REPLY else None
    if where is Where.NEW_THREAD:
        try:
            target = await message.create_thread(name=thread_name(question))
        except discord.HTTPException as error:
            log.warning("could not start a thread (HTTP %s): replying in the channel", error.status)
            reply_to = message
        else:
            conversation = conversation_id(message.guild.id if message.guild else int(ticket.question.workspace),
                                           target.id)  # fmt: skip
            await ticket.update(channel=str(target.id), target=Where.IN_PLACE.value, conversation_id=conversation)

    try:
        await answer_in(target, question, conversation, briefer, user=user, reply_to=reply_to,
                        nonce_base=message.id, may_post=ticket.confirm)  # fmt: skip
    except asyncio.CancelledError:  # shutting down past the grace period: say so, release the claim
        if await ticket.confirm():
            with suppress(discord.HTTPException, discord.RateLimited):
                await send_messages(target, [RESTARTING_MESSAGE], reply_to=reply_to)
            await ticket.done("abandoned", "stopped")
        with suppress(StoreError):
            await asyncio.to_thread(briefer.store.release_event, f"discord:{message.id}")
        raise
    await ticket.done()


async def answer_in(target: discord.abc.Messageable, question: str, conversation: str, briefer, *, user: str,
                    reply_to: discord.Message | None = None, nonce_base: int | None = None,
                    may_post=None) -> None:  # fmt: skip
    """Answer ``question`` (the briefing when empty) in ``target`` for ``user`` (as the rate limit
    knows them), streamed when the model streams, with the feedback and follow-up buttons under it;
    ``may_post``: see ``show_reply``."""
    streaming = bool(question) and await briefer.streams()
    if streaming:
        replies = briefer.answer_stream(question, conversation_id=conversation, user=user)
    elif question:
        replies = _once(briefer.answer(question, conversation_id=conversation, user=user))
    else:
        replies = _once(briefer.brief(conversation_id=conversation, user=user))

    async def finish(reply):
        return await reply_view(briefer.store, reply, question=question, channel=str(getattr(target, "id", "")),
                                conversation_id=conversation)  # fmt: skip

    await show_reply(target, replies, finish=finish, streaming=streaming, reply_to=reply_to, nonce_base=nonce_base,
                     may_post=may_post)  # fmt: skip


async def _once(reply):
    yield await reply


def _replies_to(message: discord.Message, me: discord.abc.User) -> bool:
    resolved = message.reference.resolved if message.reference else None
    return isinstance(resolved, discord.Message) and resolved.author.id == me.id
