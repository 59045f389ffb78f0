"""``/digest`` on Slack: one entry of the app's listener table (``bot.platforms.slack.app``).

Who may manage a channel's digest: workspace admins and owners (``users.info``, which needs
the ``users:read`` scope) and the user ids in ``BRIEFBOT_ADMINS``. Replies are ephemeral.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.digest.chat_command import Channel, digest_commands
from bot.digest.posters import ChannelPacer
from bot.platforms.slack.digest_poster import SlackDigestPoster
from bot.platforms.slack.listeners import Listener, ack_now
from bot.platforms.slack.posting import reason
from bot.platforms.slack.render import render_text

log = logging.getLogger(__name__)


def digest_listener(settings: Settings, briefer, client: AsyncWebClient, command=None) -> Listener:
    """``/digest``; ``client`` posts ``/digest now`` and checks who is an admin."""
    return Listener("command", "/digest", ack_now, [(command or SlackDigestCommand(settings, briefer, client)).run])


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
        return await is_slack_admin(self.client, self.admins, user)


async def is_slack_admin(client, admins: frozenset[str], user: str) -> bool:
    """A workspace admin or owner, or one of ``BRIEFBOT_ADMINS``."""
    if user in admins:
        return True
    try:
        response = await client.users_info(user=user)
    except SlackApiError as error:  # e.g. missing_scope: nobody but BRIEFBOT_ADMINS then
        log.warning("cannot check whether %s is a Slack admin: %s", user, reason(error))
        return False
    person = response.get("user") or {}
    return bool(person.get("is_admin") or person.get("is_owner") or person.get("is_primary_owner"))
