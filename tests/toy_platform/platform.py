"""Toy: a third chat platform, written the way a new one would be, using only the seam.

``ToyChat`` stands in for the platform's servers (its users, channels and threads); ``ToyPlatform``
is what would live in ``bot/platforms/toy/``. It renders a Reply as plain text with numbered
sources, splits long replies, answers mentions through ``answer_or_busy``, wires ``/digest`` to
the shared digest commands and posts digests with the same ``post_parts`` as its answers.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.answers.reply import Reply
from bot.digest.chat_command import Channel, digest_commands
from bot.digest.posters import ChannelGone, ChannelPacer, Posted
from bot.platforms.base import answer_or_busy, conversation_id
from bot.platforms.split import split_message
from bot.store.database import Subscription

MESSAGE_LIMIT = 200
MENTION = "@toy"


@dataclass
class ToyMessage:
    id: str
    channel: str
    author: str
    text: str
    thread: str | None = None  # the id of the message that started the thread


@dataclass
class ToyChat:
    """The toy platform's service: what users say arrives in ``inbox``; posts land in ``messages``."""

    inbox: asyncio.Queue = field(default_factory=asyncio.Queue)
    messages: list[ToyMessage] = field(default_factory=list)
    closed_channels: set[str] = field(default_factory=set)
    posted: asyncio.Event = field(default_factory=asyncio.Event)

    def user_says(self, channel: str, text: str, *, thread: str | None = None) -> ToyMessage:
        message = ToyMessage(f"m{len(self.messages) + 1}", channel, "alice", text, thread)
        self.messages.append(message)
        self.inbox.put_nowait(message)
        return message

    def post(self, channel: str, text: str, *, thread: str | None = None) -> ToyMessage:
        if channel in self.closed_channels:
            raise PermissionError(f"the bot was removed from {channel}")
        message = ToyMessage(f"m{len(self.messages) + 1}", channel, "toy-bot", text, thread)
        self.messages.append(message)
        self.posted.set()
        return message

    def bot_posts(self, channel: str) -> list[ToyMessage]:
        return [m for m in self.messages if m.channel == channel and m.author == "toy-bot"]


def render_reply(reply: Reply) -> list[str]:
    sources = [f"[{n}] {c.id}" for n, c in enumerate(reply.citations, start=1)]
    return split_message("\n".join([reply.text.strip(), *sources]).strip(), MESSAGE_LIMIT)


def render_text(text: str) -> list[str]:
    return split_message(text, MESSAGE_LIMIT)


async def post_parts(chat: ToyChat, channel: str, parts: list[str], *, thread: str | None = None) -> str:
    """The first part in ``thread`` (or the channel), the rest in the first part's thread; its id."""
    first = chat.post(channel, parts[0], thread=thread)
    for part in parts[1:]:
        chat.post(channel, part, thread=thread or first.id)
    return first.id


class ToyDigestPoster:
    platform = "toy"

    def __init__(self, chat: ToyChat, pacer: ChannelPacer) -> None:
        self.chat = chat
        self.pacer = pacer

    async def post(self, sub: Subscription, reply: Reply, *, title: str, rating_id: str | None = None) -> Posted:
        await self.pacer.wait(f"toy:{sub.channel}")
        try:
            first = await post_parts(self.chat, sub.channel, render_reply(reply))
        except PermissionError as error:
            raise ChannelGone(str(error)) from None
        return Posted(first, conversation_id("toy", sub.channel, first))


class ToyPlatform:
    name = "toy"
    title = "Toy"
    run_hint = "a ToyChat"
    post_hint = "a ToyChat"

    def __init__(self, chat: ToyChat) -> None:
        self.chat = chat

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--room", default="general", help="the toy room to join")

    def not_runnable(self, settings) -> str | None:
        return None

    def can_post(self, settings) -> bool:
        return True

    async def run(self, settings, briefer, options: argparse.Namespace) -> None:
        commands = digest_commands(briefer, ToyDigestPoster(self.chat, ChannelPacer()))
        while True:
            message = await self.chat.inbox.get()
            if message.text.startswith("/digest"):
                where = Channel("toy", message.channel, "toy-workspace")
                text = await commands.handle(
                    message.text.removeprefix("/digest"), where, user=message.author, may_manage=_anyone
                )
                await post_parts(self.chat, message.channel, render_text(text), thread=message.id)
            elif MENTION in message.text:
                await self.answer(briefer, message)

    async def answer(self, briefer, message: ToyMessage) -> None:
        thread = message.thread or message.id
        question = message.text.replace(MENTION, "").strip()
        here = conversation_id("toy", message.channel, thread)
        _, parts = await answer_or_busy(
            lambda: briefer.answer(question, conversation_id=here), render_reply, render_text
        )
        await post_parts(self.chat, message.channel, parts, thread=thread)

    @asynccontextmanager
    async def digest_poster(self, settings, pacer: ChannelPacer) -> AsyncIterator[ToyDigestPoster]:
        yield ToyDigestPoster(self.chat, pacer)


async def _anyone() -> bool:
    return True
