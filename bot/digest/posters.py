"""Posting a digest to a channel: Slack through the Web API, Discord through its REST API (no gateway).

A poster returns where the digest landed (message id, and the conversation id under which
thread replies are answered), or raises:
- ``ChannelGone``: the bot may no longer post there (removed, channel deleted or archived);
- ``PostFailed``: the platform answered with an error, so nothing was posted;
- anything else: the outcome is unknown (a timeout may hide a post that went through).
Posts are paced to at most one per second per channel (Slack's and Discord's rule of thumb).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from bot.config import ConfigError, Settings
from bot.reply import Reply
from bot.store import Subscription

# Errors that the same post would get again and again: the subscription is paused, and says why.
SLACK_GONE = (
    "not_in_channel", "channel_not_found", "is_archived", "invalid_blocks", "invalid_blocks_format", "msg_too_long",
    "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "missing_scope",
    "restricted_action", "no_permission", "team_access_not_granted",
)  # fmt: skip
DISCORD_GONE = (401, 403, 404)
POST_TIMEOUT = 30.0  # seconds for one post: past it the outcome is unknown (never posted twice)
THREAD_ARCHIVE_MINUTES = 1440
QUIET = {"unfurl_links": False, "unfurl_media": False}

log = logging.getLogger(__name__)


class ChannelGone(Exception):
    """The bot cannot post in this channel (removed, channel gone, token or content refused) and
    retrying will not help: the subscription is paused; ``str()`` is the platform's reason."""


class PostFailed(Exception):
    """The platform refused the post: nothing was posted."""


@dataclass(frozen=True)
class Posted:
    message_id: str
    conversation_id: str


class ChannelPacer:
    """At most one post per ``interval`` seconds per channel; the clock and the wait are injectable."""

    def __init__(
        self,
        interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def wait(self, channel_key: str) -> None:
        async with self._locks[channel_key]:
            last = self._last.get(channel_key)
            if last is not None:
                delay = last + self.interval - self.clock()
                if delay > 0:
                    await self.sleep(delay)
            self._last[channel_key] = self.clock()


class SlackDigestPoster:
    platform = "slack"

    def __init__(self, client, pacer: ChannelPacer) -> None:
        self.client = client  # slack_sdk AsyncWebClient
        self.pacer = pacer

    async def post(self, sub: Subscription, reply: Reply, *, title: str) -> Posted:
        from slack_sdk.errors import SlackApiError

        from bot.adapters.slack_listeners import channel_conversation_id
        from bot.render.slack import render_reply

        first, *rest = render_reply(reply)
        await self.pacer.wait(f"slack:{sub.channel}")
        try:
            async with asyncio.timeout(POST_TIMEOUT):
                response = await self.client.chat_postMessage(channel=sub.channel, **first.as_kwargs(), **QUIET)
        except SlackApiError as error:
            code = slack_error(error)
            raise (ChannelGone if code in SLACK_GONE else PostFailed)(code) from None
        ts = response["ts"]
        for part in rest:  # the digest continues in its own thread
            await self.pacer.wait(f"slack:{sub.channel}")
            try:
                async with asyncio.timeout(POST_TIMEOUT):
                    await self.client.chat_postMessage(channel=sub.channel, thread_ts=ts, **part.as_kwargs(), **QUIET)
            except (SlackApiError, TimeoutError) as error:
                reason = slack_error(error) if isinstance(error, SlackApiError) else "timed out"
                log.warning("digest continuation not posted in slack %s: %s", sub.channel, reason)
                break
        return Posted(ts, channel_conversation_id(sub.workspace, sub.channel, ts))


def slack_error(error) -> str:
    """The error code of a SlackApiError; its HTTP status when the body was not Slack's JSON."""
    data = error.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {error.response.status_code}"


class DiscordDigestPoster:
    """Posts the digest, then starts a thread from it: replies in the thread are follow-ups."""

    platform = "discord"

    def __init__(self, http, pacer: ChannelPacer) -> None:
        self.http = http  # a logged-in discord.http.HTTPClient (a bot client's, or ``discord_rest``'s)
        self.pacer = pacer

    async def post(self, sub: Subscription, reply: Reply, *, title: str) -> Posted:
        import discord

        from bot.adapters.discord_replies import conversation_id, thread_name
        from bot.render.discord import render_reply

        first, *rest = render_reply(reply)
        await self.pacer.wait(f"discord:{sub.channel}")
        try:
            async with asyncio.timeout(POST_TIMEOUT):
                message = await self.http.send_message(sub.channel, params=_message_params(first))
        except discord.HTTPException as error:
            reason = f"HTTP {error.status}: {error.text}".strip(": ")
            raise (ChannelGone if error.status in DISCORD_GONE else PostFailed)(reason) from None
        message_id = str(message["id"])
        where = sub.channel
        try:
            thread = await self.http.start_thread_with_message(
                sub.channel, message_id, name=thread_name(title), auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
            where = str(thread["id"])
        except discord.HTTPException as error:  # follow-ups then continue in the channel, replying to the bot
            log.warning("no thread for the digest in discord %s (HTTP %s)", sub.channel, error.status)
        for part in rest:
            await self.pacer.wait(f"discord:{sub.channel}")
            try:
                async with asyncio.timeout(POST_TIMEOUT):
                    await self.http.send_message(where, params=_message_params(part))
            except (discord.HTTPException, TimeoutError) as error:
                reason = f"HTTP {error.status}" if isinstance(error, discord.HTTPException) else "timed out"
                log.warning("digest continuation not posted in discord %s (%s)", where, reason)
                break
        guild = int(sub.workspace) if sub.workspace.isdigit() else None
        return Posted(message_id, conversation_id(guild, int(where)))


def _message_params(content: str):
    import discord
    from discord.http import handle_message_parameters

    return handle_message_parameters(content=content, allowed_mentions=discord.AllowedMentions.none())


@asynccontextmanager
async def slack_client(settings: Settings) -> AsyncIterator:
    """One Slack Web API client with one connection pool, for the life of the block."""
    import aiohttp

    from bot.adapters.slack_client import slack_web_client

    async with aiohttp.ClientSession() as session:
        yield slack_web_client(settings, session=session)


@asynccontextmanager
async def discord_rest(settings: Settings) -> AsyncIterator:
    """A logged-in discord.py REST client on ``DISCORD_API_URL``, without a gateway connection."""
    import discord
    from discord.http import HTTPClient, Route

    base = settings.discord_api_url.rstrip("/")

    class RestClient(HTTPClient):
        # discord.py builds every URL from the process-wide Route.BASE, which a running bot
        # client may be changing (bot.adapters.discord_endpoints): rebase each request here.
        async def request(self, route, **kwargs):
            route.url = base + route.url.removeprefix(Route.BASE)
            return await super().request(route, **kwargs)

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
async def configured_posters(settings: Settings) -> AsyncIterator[dict]:
    """A poster for each platform with a token (platform -> poster); says which ones are missing."""
    pacer = ChannelPacer()
    async with AsyncExitStack() as stack:
        posters: dict = {}
        if settings.slack_bot_token:
            posters["slack"] = SlackDigestPoster(await stack.enter_async_context(slack_client(settings)), pacer)
        else:
            log.info("digest: Slack not configured (SLACK_BOT_TOKEN is not set): no digests posted to Slack")
        if settings.discord_token:
            posters["discord"] = DiscordDigestPoster(await stack.enter_async_context(discord_rest(settings)), pacer)
        else:
            log.info("digest: Discord not configured (DISCORD_TOKEN is not set): no digests posted to Discord")
        yield posters
