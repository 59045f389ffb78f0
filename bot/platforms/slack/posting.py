"""Posting on Slack: a reply's messages, the first one standing in for a placeholder, the rest in its thread.

The visible sign of work: for a mention or a DM, a placeholder posted right away that the
answer then replaces (no ``reactions:write`` scope needed); for a slash command, the
acknowledgement itself, which Slack shows to the person who ran it. A reply longer than one
message continues in the thread of its first part; answers and digests post through ``post_parts``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.digest.posters import ChannelPacer
from bot.language.phrases import BUSY_TEXT
from bot.platforms.slack.render import SlackMessage, render_text

WORKING = ":hourglass_flowing_sand: …"
THINKING = "is thinking…"  # an assistant thread's status while the core works; Slack clears it on the reply
STILL_WORKING = ":hourglass_flowing_sand: Ci sto ancora lavorando… / Still working on it…"
STILL_WORKING_AFTER = 8.0  # seconds before the placeholder says so
STOPPING = (
    ":arrows_counterclockwise: Mi sto riavviando e non ho potuto finire questa risposta: chiedimelo di nuovo tra un "
    "minuto. / I'm restarting and couldn't finish this answer: please ask again in a minute."
)
CONTINUED_IN_DM = (
    ":page_facing_up: La risposta è troppo lunga per questo canale: il resto è nei tuoi messaggi diretti con me. "
    "/ This answer is too long for this channel: the rest is in your direct messages with me."
)
CUT_SHORT = (
    ":scissors: La risposta è troppo lunga per questo canale ed è stata tagliata: invitami con `/invite @briefbot` "
    "o chiedimelo in un messaggio diretto. / This answer was too long for this channel and was cut: invite me "
    "with `/invite @briefbot` or ask me in a direct message."
)
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
    timeout: float | None = None,
) -> str:
    """Post a reply's messages: the first in place of ``replace_ts`` (a placeholder; posted anew if it
    is gone) or in ``thread_ts``, the rest in ``thread_ts`` or else the first message's thread.
    ``pace`` is awaited before each post. Returns the first message's ``ts``; an error posting the
    first message is raised, one posting a continuation is logged and ends the reply. ``timeout``
    bounds each post (a first post that times out raises ``TimeoutError``: its outcome is unknown)."""
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
        async with asyncio.timeout(timeout):
            response = await client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, **first.as_kwargs(), **QUIET
            )
        first_ts = response["ts"]
    for message in rest:
        if pace:
            await pace()
        try:
            async with asyncio.timeout(timeout):
                await client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts or first_ts, **message.as_kwargs(), **QUIET
                )
        except Exception as error:
            logger.warning("could not post the rest of a reply in %s: %s", channel, reason(error))
            break
    return first_ts


class SlackPoster:
    """``pacer`` spaces the posts of one channel (Slack allows about one message a second per
    channel): a long answer's continuations are paced instead of drawing a 429 each."""

    def __init__(self, client: AsyncWebClient, pacer: ChannelPacer | None = None):
        self.client = client
        self.pacer = pacer or ChannelPacer()

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
        """``post_parts``, paced, with errors logged: the first message's ``ts``, or None when it
        could not be posted. Slack asking for a longer wait than the client's cap: the placeholder
        says the bot is busy."""

        first = True

        async def pace() -> None:  # an answer's first message goes at once, its continuations wait their turn
            nonlocal first
            if first:
                first = False
                self.pacer.note(channel)
            else:
                await self.pacer.wait(channel)

        try:
            return await post_parts(
                self.client, channel, messages, thread_ts=thread_ts, replace_ts=placeholder_ts, pace=pace
            )
        except Exception as error:
            logger.warning("could not post the reply in %s: %s", channel, reason(error))
            if reason(error) == "ratelimited" and placeholder_ts:
                try:
                    await self.client.chat_update(channel=channel, ts=placeholder_ts, text=BUSY_TEXT)
                except Exception as again:
                    logger.warning("could not say the bot is busy in %s: %s", channel, reason(again))
            return None

    @contextlib.asynccontextmanager
    async def still_working(self, channel: str, placeholder_ts: str | None) -> AsyncIterator[None]:
        """While the block runs: if it takes longer than ``STILL_WORKING_AFTER`` seconds, the
        placeholder says the bot is still at it (a slow model; the answer deadline bounds it)."""
        if placeholder_ts is None:
            yield
            return

        async def say_so() -> None:
            await asyncio.sleep(STILL_WORKING_AFTER)
            try:
                await self.client.chat_update(channel=channel, ts=placeholder_ts, text=STILL_WORKING)
            except Exception as error:
                logger.warning("could not update the placeholder in %s: %s", channel, reason(error))

        task = asyncio.create_task(say_so())
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)  # never lands after the answer

    async def respond_all(
        self, respond, messages: list[SlackMessage], *, ephemeral: bool = False, user: str = ""
    ) -> None:
        """Send through a command's ``response_url``, for channels the bot cannot post in. Slack
        takes five posts per response_url: a longer reply continues in the asker's DM with the
        bot, and the fifth post says so (or, if even that fails, that the answer was cut)."""
        if len(messages) > RESPONSE_URL_POSTS:
            head = messages[: RESPONSE_URL_POSTS - 1]
            moved = await self._continue_in_dm(user, messages[RESPONSE_URL_POSTS - 1 :])
            messages = [*head, render_text(CONTINUED_IN_DM if moved else CUT_SHORT)]
        for message in messages:
            try:
                await respond(response_type="ephemeral" if ephemeral else "in_channel", **message.as_kwargs())
            except Exception as error:
                logger.error("could not answer through the response_url: %s", reason(error))
                return

    async def _continue_in_dm(self, user: str, messages: list[SlackMessage]) -> bool:
        if not user:
            return False
        try:
            for message in messages:
                await self.pacer.wait(user)
                await self.client.chat_postMessage(channel=user, **message.as_kwargs(), **QUIET)
        except Exception as error:
            logger.warning("could not continue a long answer in the asker's DM: %s", reason(error))
            return False
        return True


def reason(error: Exception) -> str:
    """A short, secret-free description: a SlackApiError's error code (its HTTP status when the body
    was not Slack's JSON), else the error's type."""
    response = getattr(error, "response", None)
    data = getattr(response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    status = getattr(response, "status_code", None)
    return f"HTTP {status}" if status else type(error).__name__
