"""``/digest`` on Slack: one entry of the adapter's listener table (``bot.adapters.slack``).

Who may manage a channel's digest: workspace admins and owners (``users.info``, which needs
the ``users:read`` scope) and the user ids in ``BRIEFBOT_ADMINS``. Replies are ephemeral.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_listeners import Listener
from bot.config import Settings
from bot.digest.commands import Channel, DigestCommands
from bot.digest.posters import ChannelPacer, SlackDigestPoster, slack_error
from bot.digest.runner import DigestRunner
from bot.render.slack import render_text

log = logging.getLogger(__name__)


def digest_listener(settings: Settings, briefer, client: AsyncWebClient, command=None) -> Listener:
    """``/digest``; ``client`` posts ``/digest now`` and checks who is an admin."""
    return Listener("command", "/digest", _ack, [(command or SlackDigestCommand(settings, briefer, client)).run])


async def _ack(ack) -> None:
    await ack()


class SlackDigestCommand:
    def __init__(self, settings: Settings, briefer, client) -> None:
        self.admins = settings.admins
        self.client = client
        runner = DigestRunner(briefer, {"slack": SlackDigestPoster(client, ChannelPacer())})
        self.commands = DigestCommands(briefer.store, runner)

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
            log.warning("cannot check whether %s is a Slack admin: %s", user, slack_error(error))
            return False
        person = response.get("user") or {}
        return bool(person.get("is_admin") or person.get("is_owner") or person.get("is_primary_owner"))
