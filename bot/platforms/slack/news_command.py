"""``/news`` on Slack: one entry of the adapter's listener table (``bot.platforms.slack.app``).

Admins as for ``/digest``. The acknowledgement and the progress lines are ephemeral (only the
admin sees them); the new article's briefing is posted in the channel for everyone.
"""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.news.chat_command import NewsCommands
from bot.platforms.slack.digest_command import is_slack_admin
from bot.platforms.slack.listeners import Listener
from bot.platforms.slack.posting import SlackPoster
from bot.platforms.slack.render import render_reply, render_text

WORKING = ":hourglass_flowing_sand: Working on it…"


def news_listener(settings: Settings, briefer, client: AsyncWebClient) -> Listener:
    return Listener("command", "/news", _ack, [SlackNewsCommand(settings, briefer, client).run])


async def _ack(ack, command) -> None:
    is_add = (command.get("text") or "").strip().lower().startswith("add")
    await ack(**(render_text(WORKING).as_kwargs() if is_add else {}))


class SlackNewsCommand:
    def __init__(self, settings: Settings, briefer, client: AsyncWebClient) -> None:
        self.admins = settings.admins
        self.client = client
        self.poster = SlackPoster(client)
        self.commands = NewsCommands(briefer, settings)

    async def run(self, command, respond) -> None:
        user = command.get("user_id", "")

        async def progress(line: str) -> None:
            await respond(response_type="ephemeral", replace_original=False, **render_text(line).as_kwargs())

        result = await self.commands.handle(
            command.get("text") or "", may_manage=lambda: is_slack_admin(self.client, self.admins, user),
            progress=progress,
        )  # fmt: skip
        await respond(response_type="ephemeral", replace_original=False, **render_text(result.text).as_kwargs())
        if result.briefing is not None:
            messages = render_reply(result.briefing)
            if await self.poster.deliver(command["channel_id"], messages, placeholder_ts=None) is None:
                await self.poster.respond_all(respond, messages)
