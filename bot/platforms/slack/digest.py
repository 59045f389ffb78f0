"""The digest on Slack: ``/digest`` (one entry of the app's listener table) and the digest poster.

Who may manage a channel's digest: workspace admins and owners (``users.info``, which needs
the ``users:read`` scope) and the user ids in ``BRIEFBOT_ADMINS``. Replies are ephemeral.
The poster posts through the Web API (no Socket Mode or HTTP server needed), with the same
``post_parts`` as the answers: a long digest continues in its own thread.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.answers.reply import Reply
from bot.config import Settings
from bot.digest.chat_command import Channel, digest_commands
from bot.digest.posters import ChannelGone, ChannelPacer, Posted, PostFailed
from bot.platforms.slack.listeners import Listener, ack_now, channel_conversation_id
from bot.platforms.slack.posting import post_parts, reason
from bot.platforms.slack.render import render_reply, render_text
from bot.platforms.slack.web_client import slack_web_client
from bot.store.database import Subscription

GONE = ("not_in_channel", "channel_not_found", "is_archived")

log = logging.getLogger(__name__)


def digest_listener(settings: Settings, briefer, client: AsyncWebClient) -> Listener:
    """``/digest``; ``client`` posts ``/digest now`` and checks who is an admin."""
    return Listener("command", "/digest", ack_now, [SlackDigestCommand(settings, briefer, client).run])


class SlackDigestCommand:
    def __init__(self, settings: Settings, briefer, client) -> None:
        self.admins = settings.admins
        self.client = client
        self.commands = digest_commands(briefer, SlackDigestPoster(client, ChannelPacer()))

    async def run(self, command, respond) -> None:
        user = command.get("user_id", "")
        where = Channel("slack", command["channel_id"], command.get("team_id", ""))
        text = await self.commands.handle(
            command.get("text") or "", where, user=user, may_manage=lambda: self.may_manage(user)
        )
        await respond(response_type="ephemeral", **render_text(text).as_kwargs())

    async def may_manage(self, user: str) -> bool:
        if user in self.admins:
            return True
        try:
            response = await self.client.users_info(user=user)
        except SlackApiError as error:  # e.g. missing_scope: nobody but BRIEFBOT_ADMINS then
            log.warning("cannot check whether %s is a Slack admin: %s", user, reason(error))
            return False
        person = response.get("user") or {}
        return bool(person.get("is_admin") or person.get("is_owner") or person.get("is_primary_owner"))


class SlackDigestPoster:
    platform = "slack"

    def __init__(self, client, pacer: ChannelPacer) -> None:
        self.client = client  # slack_sdk AsyncWebClient
        self.pacer = pacer

    async def post(self, sub: Subscription, reply: Reply, *, title: str) -> Posted:
        async def pace() -> None:
            await self.pacer.wait(f"slack:{sub.channel}")

        try:
            ts = await post_parts(self.client, sub.channel, render_reply(reply), pace=pace)
        except SlackApiError as error:
            code = reason(error)
            raise (ChannelGone if code in GONE else PostFailed)(code) from None
        return Posted(ts, channel_conversation_id(sub.workspace, sub.channel, ts))


@asynccontextmanager
async def slack_digest_poster(settings: Settings, pacer: ChannelPacer) -> AsyncIterator[SlackDigestPoster]:
    """A poster on one Web API client with one connection pool, for the life of the block."""
    async with aiohttp.ClientSession() as session:
        yield SlackDigestPoster(slack_web_client(settings, session=session), pacer)
