"""Posting on Slack: a reply's messages, the first one standing in for a placeholder, the rest in its thread.

The visible sign of work: for a mention or a DM, a placeholder posted right away that the
answer then replaces (no ``reactions:write`` scope needed); for a slash command, the
acknowledgement itself, which Slack shows to the person who ran it. A reply longer than one
message continues in the thread of its first part; answers and digests post through ``post_parts``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.slack.render import SlackMessage

WORKING = ":hourglass_flowing_sand: …"
RESPONSE_URL_POSTS = 5  # Slack accepts at most five posts to one response_url
# Model text may hold URLs: no previews of pages the bot did not choose.
QUIET = {"unfurl_links": False, "unfurl_media": False}

logger = logging.getLogger(__name__)


async def post_parts(
    client: AsyncWebClient,
    channel: str,
    messages: list[SlackMessage],
    *,
    thread_ts: str | None = None,
    replace_ts: str | None = None,
    pace: Callable[[], Awaitable[None]] | None = None,
) -> str:
    """Post a reply's messages: the first in place of ``replace_ts`` (a placeholder; posted anew if it
    is gone) or in ``thread_ts``, the rest in ``thread_ts`` or else the first message's thread.
    ``pace`` is awaited before each post. Returns the first message's ``ts``; an error posting the
    first message is raised, one posting a continuation is logged and ends the reply."""
    first, rest = messages[0], messages[1:]
    first_ts = None
    if replace_ts:
        try:
            await client.chat_update(channel=channel, ts=replace_ts, **first.as_kwargs())
            first_ts = replace_ts
        except Exception as error:  # e.g. someone deleted the placeholder: post the answer anew
            logger.warning("could not update the placeholder in %s: %s", channel, reason(error))
    if first_ts is None:
        if pace:
            await pace()
        response = await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **first.as_kwargs(), **QUIET)
        first_ts = response["ts"]
    for message in rest:
        if pace:
            await pace()
        try:
            await client.chat_postMessage(
                channel=channel, thread_ts=thread_ts or first_ts, **message.as_kwargs(), **QUIET
            )
        except Exception as error:
            logger.warning("could not post the rest of a reply in %s: %s", channel, reason(error))
            break
    return first_ts


class SlackPoster:
    def __init__(self, client: AsyncWebClient):
        self.client = client

    async def placeholder(self, channel: str, *, thread_ts: str | None = None) -> str | None:
        """Post the working sign; its ``ts``, or None when the bot cannot post in ``channel``."""
        try:
            response = await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=WORKING, **QUIET)
        except Exception as error:
            logger.warning("could not post the placeholder in %s: %s", channel, reason(error))
            return None
        return response["ts"]

    async def deliver(
        self,
        channel: str,
        messages: list[SlackMessage],
        *,
        placeholder_ts: str | None,
        thread_ts: str | None = None,
    ) -> str | None:
        """``post_parts``, with errors logged: the first message's ``ts``, or None when it could not be posted."""
        try:
            return await post_parts(
                self.client, channel, messages, thread_ts=thread_ts, replace_ts=placeholder_ts
            )
        except Exception as error:
            logger.warning("could not post the reply in %s: %s", channel, reason(error))
            return None

    @staticmethod
    async def respond_all(respond, messages: list[SlackMessage]) -> None:
        """Send through a command's ``response_url``, for channels the bot cannot post in."""
        for message in messages[:RESPONSE_URL_POSTS]:
            try:
                await respond(response_type="in_channel", **message.as_kwargs())
            except Exception as error:
                logger.error("could not answer through the response_url: %s", reason(error))
                return


def reason(error: Exception) -> str:
    """A short, secret-free description: a SlackApiError's error code (its HTTP status when the body
    was not Slack's JSON), else the error's type."""
    response = getattr(error, "response", None)
    data = getattr(response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    status = getattr(response, "status_code", None)
    return f"HTTP {status}" if status else type(error).__name__
