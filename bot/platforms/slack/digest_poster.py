"""The digest poster on Slack: posts through the Web API (no Socket Mode or HTTP server needed),
with the same ``post_parts`` as the answers, so a long digest continues in its own thread."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.answers.reply import Reply
from bot.config import Settings
from bot.digest.posters import POST_TIMEOUT, ChannelGone, ChannelPacer, Posted, PostFailed
from bot.platforms.slack.actions import feedback_block, with_blocks
from bot.platforms.slack.listeners import channel_conversation_id
from bot.platforms.slack.posting import post_parts, reason
from bot.platforms.slack.render import render_reply
from bot.platforms.slack.web_client import slack_web_client
from bot.store.records import Subscription

# Errors that the same post would get again and again: the subscription is paused, and says why.
GONE = (
    "not_in_channel", "channel_not_found", "is_archived", "invalid_blocks", "invalid_blocks_format", "msg_too_long",
    "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "missing_scope",
    "restricted_action", "no_permission", "team_access_not_granted",
)  # fmt: skip


class SlackDigestPoster:
    platform = "slack"

    def __init__(self, client, pacer: ChannelPacer, *, timeout: float = POST_TIMEOUT) -> None:
        self.client = client  # slack_sdk AsyncWebClient
        self.pacer = pacer
        self.timeout = timeout

    async def post(self, sub: Subscription, reply: Reply, *, title: str, rating_id: str | None = None) -> Posted:
        async def pace() -> None:
            await self.pacer.wait(f"slack:{sub.channel}")

        messages = render_reply(reply)
        if rating_id is not None:
            messages = with_blocks(messages, [feedback_block(rating_id, reply.language)])
        try:
            ts = await post_parts(self.client, sub.channel, messages, pace=pace, timeout=self.timeout)
        except SlackApiError as error:
            code = reason(error)
            raise (ChannelGone if code in GONE else PostFailed)(code) from None
        return Posted(ts, channel_conversation_id(sub.workspace, sub.channel, ts))


@asynccontextmanager
async def slack_digest_poster(settings: Settings, pacer: ChannelPacer) -> AsyncIterator[SlackDigestPoster]:
    """A poster on one Web API client with one connection pool, for the life of the block."""
    async with aiohttp.ClientSession() as session:
        client = slack_web_client(settings, session=session)
        yield SlackDigestPoster(client, pacer, timeout=settings.digest_post_timeout)
