"""Posting one reply per question.

The visible sign of work: for a mention or a DM, a placeholder posted right away that the
answer then replaces (no ``reactions:write`` scope needed); for a slash command, the
acknowledgement itself, which Slack shows to the person who ran it. A reply longer than one
message continues in the thread of its first part.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.digest.posters import ChannelPacer
from bot.render.slack import SlackMessage, render_reply, render_text
from bot.reply import Reply

WORKING = ":hourglass_flowing_sand: …"
STILL_WORKING = ":hourglass_flowing_sand: Ci sto ancora lavorando… / Still working on it…"
STILL_WORKING_AFTER = 8.0  # seconds before the placeholder says so
BUSY = (
    ":warning: Non riesco a rispondere in questo momento, riprova tra poco. "
    "/ I can't answer right now, please try again shortly."
)
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


async def prepare(work: Callable[[], Awaitable[Reply]]) -> tuple[Reply | None, list[SlackMessage]]:
    """Run one core call and render its reply; a core failure becomes the short busy message."""
    try:
        reply = await work()
    except Exception:
        logger.exception("the core failed to answer; sending the busy message")
        return None, [render_text(BUSY)]
    return reply, render_reply(reply)


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
            logger.warning("could not post the placeholder in %s: %s", channel, _reason(error))
            return None
        return response["ts"]

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
                logger.warning("could not update the placeholder in %s: %s", channel, _reason(error))

        task = asyncio.create_task(say_so())
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)  # never lands after the answer

    async def deliver(
        self,
        channel: str,
        messages: list[SlackMessage],
        *,
        placeholder_ts: str | None,
        thread_ts: str | None = None,
    ) -> str | None:
        """Put the first message in the placeholder's place (or post it) and the rest in its
        thread; the first message's ``ts``, or None when it could not be posted."""
        first, rest = messages[0], messages[1:]
        first_ts = None
        if placeholder_ts:
            try:
                await self.client.chat_update(channel=channel, ts=placeholder_ts, **first.as_kwargs())
                first_ts = placeholder_ts
            except Exception as error:  # e.g. someone deleted the placeholder: post the answer anew
                logger.warning("could not update the placeholder in %s: %s", channel, _reason(error))
        try:
            if first_ts is None:
                response = await self.client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts, **first.as_kwargs(), **QUIET
                )
                first_ts = response["ts"]
            for message in rest:
                await self.pacer.wait(channel)
                await self.client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts or first_ts, **message.as_kwargs(), **QUIET
                )
        except Exception as error:
            logger.warning("could not post the reply in %s: %s", channel, _reason(error))
            if _reason(error) == "ratelimited" and placeholder_ts:  # Slack asked for a long wait: say so
                try:
                    await self.client.chat_update(channel=channel, ts=placeholder_ts, text=BUSY)
                except Exception as again:
                    logger.warning("could not say the bot is busy in %s: %s", channel, _reason(again))
        return first_ts

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
                logger.error("could not answer through the response_url: %s", _reason(error))
                return

    async def _continue_in_dm(self, user: str, messages: list[SlackMessage]) -> bool:
        if not user:
            return False
        try:
            for message in messages:
                await self.pacer.wait(user)
                await self.client.chat_postMessage(channel=user, **message.as_kwargs(), **QUIET)
        except Exception as error:
            logger.warning("could not continue a long answer in the asker's DM: %s", _reason(error))
            return False
        return True


def _reason(error: Exception) -> str:
    """A short, secret-free description (SlackApiError carries the API's error code)."""
    response = getattr(error, "response", None)
    if response is not None and hasattr(response, "get"):
        return str(response.get("error") or type(error).__name__)
    return type(error).__name__
