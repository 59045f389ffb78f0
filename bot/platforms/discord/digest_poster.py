"""The digest poster on Discord: posts through the REST API (no gateway), then starts a thread
from the digest, where replies are follow-ups; the rest of a long digest goes in that thread."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
from discord.http import HTTPClient, Route, handle_message_parameters

from bot.answers.reply import Reply
from bot.config import ConfigError, Settings
from bot.digest.posters import POST_TIMEOUT, ChannelGone, ChannelPacer, Posted, PostFailed
from bot.platforms.discord.actions import with_feedback
from bot.platforms.discord.posting import conversation_id, send_parts, thread_name
from bot.platforms.discord.rate_limit_waits import count_rate_limit_waits
from bot.platforms.discord.render import render_reply
from bot.store.records import Subscription

GONE = (401, 403, 404)  # the same post would fail again: the subscription is paused, and says why
THREAD_ARCHIVE_MINUTES = 1440

log = logging.getLogger(__name__)


class DiscordDigestPoster:
    """Posts the digest, then starts a thread from it: replies in the thread are follow-ups."""

    platform = "discord"

    def __init__(self, http, pacer: ChannelPacer, *, timeout: float = POST_TIMEOUT) -> None:
        self.http = http  # a logged-in discord.http.HTTPClient (a bot client's, or ``discord_rest``'s)
        self.pacer = pacer
        self.timeout = timeout

    async def post(self, sub: Subscription, reply: Reply, *, title: str, rating_id: str | None = None) -> Posted:
        first, *rest = render_reply(reply)
        # The 👍/👎 go under the last part, as under an answer; the bot's gateway client handles them.
        buttons = with_feedback(discord.ui.View(timeout=None), rating_id) if rating_id else None
        await self.pacer.wait(f"discord:{sub.channel}")
        try:
            async with asyncio.timeout(self.timeout):
                params = _message_params(first, None if rest else buttons)
                message = await self.http.send_message(sub.channel, params=params)
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

        async def send(index: int, part: str) -> None:
            await self.pacer.wait(f"discord:{sub.channel}")
            last = index == len(rest) - 1
            async with asyncio.timeout(self.timeout):
                await self.http.send_message(where, params=_message_params(part, buttons if last else None))

        await send_parts(rest, send, what="digest continuation")
        guild = int(sub.workspace) if sub.workspace.isdigit() else None
        return Posted(message_id, conversation_id(guild, int(where)))


def _message_params(content: str, view: discord.ui.View | None = None):
    return handle_message_parameters(content=content, allowed_mentions=discord.AllowedMentions.none(),
                                     view=view or discord.utils.MISSING)  # fmt: skip


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

    count_rate_limit_waits()
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
        yield DiscordDigestPoster(http, pacer, timeout=settings.digest_post_timeout)
