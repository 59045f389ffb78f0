"""``/news`` on Slack: one entry of the adapter's listener table (``bot.platforms.slack.app``),
and articles shared as files in a DM with the bot.

Admins as for ``/digest``. The acknowledgement and the progress lines are ephemeral (only the
admin sees them); the new article's briefing is posted in the channel for everyone. A text,
Markdown or HTML file an admin shares with the bot in a DM is ingested the same way (downloading
it needs the ``files:read`` scope); progress and the briefing then come in the DM.
"""

from __future__ import annotations

import asyncio

from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.language.languages import DEFAULT_LANGUAGE
from bot.news.chat_command import NewsCommands
from bot.platforms.slack.digest_command import is_slack_admin
from bot.platforms.slack.listeners import Listener
from bot.platforms.slack.posting import SlackPoster
from bot.platforms.slack.render import render_reply, render_text

WORKING = ":hourglass_flowing_sand: Working on it…"
ARTICLE_FILE_TYPES = ("text", "markdown", "html", "post")  # Slack's ``filetype`` of a plain text, .md, .html
FILE_REFUSED = "Only admins can add articles. Ask one, or use `/news list` to see what I know."
FILE_USAGE = "To add an article, share it as a text, Markdown or HTML file (or use `/news add <url>`)."


def news_listener(news: SlackNewsCommand) -> Listener:
    return Listener("command", "/news", _ack, [news.run])


async def _ack(ack, command) -> None:
    is_add = (command.get("text") or "").strip().lower().startswith("add")
    await ack(**(render_text(WORKING).as_kwargs() if is_add else {}))


class SlackNewsCommand:
    def __init__(self, settings: Settings, briefer, client: AsyncWebClient) -> None:
        self.admins = settings.admins
        self.token = settings.slack_bot_token
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

    async def file_shared(self, event) -> None:
        """A file shared with the bot in a DM: an admin's article to ingest."""
        channel, user = event["channel"], event.get("user", "")

        async def say(text: str) -> None:
            await self.poster.deliver(channel, [render_text(text)], placeholder_ts=None)

        if not await is_slack_admin(self.client, self.admins, user):
            return await say(FILE_REFUSED)
        shared = [f for f in event.get("files") or [] if f.get("filetype") in ARTICLE_FILE_TYPES]
        if not shared or not shared[0].get("url_private_download"):
            return await say(FILE_USAGE)
        article = shared[0]
        url, name = article["url_private_download"], article.get("name") or "the file"
        await say(f"Reading {name} …")
        from bot.ingest.pipeline import NO_OVERRIDES  # the ingest modules load with the first article added
        from bot.ingest.sources import fetch_url

        headers = {"Authorization": f"Bearer {self.token}"}
        read = lambda: asyncio.to_thread(fetch_url, url, headers=headers)  # noqa: E731
        result = await self.commands.add_from(read, NO_OVERRIDES, DEFAULT_LANGUAGE, say)
        await say(result.text)
        if result.briefing is not None:
            await self.poster.deliver(channel, render_reply(result.briefing), placeholder_ts=None)
