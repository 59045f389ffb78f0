"""Showing a streamed answer in Slack as its verified claims arrive.

In a thread, through Slack's chat streaming methods (``chat.startStream`` → ``chat.appendStream``
per verified claim → ``chat.stopStream`` with the citations and buttons under the text). Where
they are not available (the workspace or the API answers an error), or outside a thread (a DM's
main view: streamed messages must be thread replies), a placeholder is edited with ``chat.update``
at most once per ``min_interval`` seconds (Tier 3: about 50 a minute per workspace), and always
once more with the complete answer.

The streamed text is the core's light Markdown with every ``<`` replaced by ``‹``: Slack builds
mentions and links from ``<``, and a model's text must never ping anyone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.answers.reply import Reply
from bot.language.phrases import BUSY_TEXT
from bot.platforms.slack.actions import with_blocks
from bot.platforms.slack.posting import QUIET, STOPPING, SlackPoster, reason
from bot.platforms.slack.render import SlackMessage, render_reply, render_text

MIN_UPDATE_INTERVAL = 1.2  # seconds between chat.update edits of one message

logger = logging.getLogger(__name__)

Finish = Callable[[Reply], Awaitable[list[dict]]]  # the blocks under a complete reply (buttons...)


def stream_markdown(text: str) -> str:
    return text.replace("<", "‹")


class SlackStreamer:
    def __init__(self, client: AsyncWebClient, *, min_interval: float = MIN_UPDATE_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.client = client
        self.poster = SlackPoster(client)
        self.min_interval = min_interval
        self.clock = clock

    async def show(
        self, replies: AsyncIterator[Reply], channel: str, *, thread_ts: str | None, team_id: str, user_id: str,
        finish: Finish,
    ) -> tuple[Reply | None, str | None]:  # fmt: skip
        """Show the growing reply; returns the complete reply (None if the core failed) and the
        ``ts`` of the message that holds it."""
        ts = await self._start(channel, thread_ts, team_id, user_id) if thread_ts else None
        if ts is None:
            return await self._by_updates(replies, channel, thread_ts, finish)
        sent, reply, broken = "", None, False
        try:
            async for reply in replies:
                text = stream_markdown(reply.text)
                if broken or not text.startswith(sent) or len(text) == len(sent):
                    continue
                try:
                    await self.client.chat_appendStream(channel=channel, ts=ts, markdown_text=text[len(sent) :])
                    sent = text
                except Exception as error:  # e.g. the stream expired: the final chat.update shows it all
                    logger.warning("could not append to the stream in %s: %s", channel, reason(error))
                    broken = True
        except asyncio.CancelledError:  # shutting down past the grace period: say so where the answer was
            await self._end(channel, ts, thread_ts, sent, STOPPING)
            raise
        except Exception:
            logger.exception("the core failed while streaming; sending the busy message")
            reply = None
        if reply is None:
            await self._end(channel, ts, thread_ts, sent, BUSY_TEXT)
            return None, ts
        extra = await finish(reply)
        messages = render_reply(reply)
        text = stream_markdown(reply.text)
        if broken or len(messages) > 1 or not text.startswith(sent):
            await self._replace(channel, ts, thread_ts, messages, extra)
            return reply, ts
        final = messages[0]
        footer = [b for b in final.blocks if b.get("type") != "section"] + extra
        try:
            await self.client.chat_stopStream(channel=channel, ts=ts, markdown_text=text[len(sent) :] or None,
                                              blocks=footer)  # fmt: skip
        except Exception as error:
            logger.warning("could not finish the stream in %s: %s", channel, reason(error))
            await self._replace(channel, ts, thread_ts, messages, extra)
        return reply, ts

    async def _start(self, channel: str, thread_ts: str, team_id: str, user_id: str) -> str | None:
        try:
            response = await self.client.chat_startStream(
                channel=channel, thread_ts=thread_ts, recipient_team_id=team_id or None,
                recipient_user_id=user_id or None,
            )  # fmt: skip
        except Exception as error:  # not available here: edit a placeholder instead
            logger.info("chat streaming unavailable in %s (%s): editing a placeholder", channel, reason(error))
            return None
        return response.get("ts")

    async def _by_updates(self, replies, channel: str, thread_ts: str | None, finish: Finish):
        ts = await self.poster.placeholder(channel, thread_ts=thread_ts)
        shown_at, reply = None, None
        try:
            async for reply in replies:
                now = self.clock()
                if ts is None or (shown_at is not None and now - shown_at < self.min_interval):
                    continue  # too soon after the last edit: a later claim or the final edit shows it
                message = render_reply(reply)[0]
                try:
                    await self.client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
                    shown_at = now
                except Exception as error:
                    logger.warning("could not update the placeholder in %s: %s", channel, reason(error))
        except asyncio.CancelledError:  # shutting down past the grace period: say so in the placeholder
            await self.poster.deliver(channel, [render_text(STOPPING)], placeholder_ts=ts, thread_ts=thread_ts)
            raise
        except Exception:
            logger.exception("the core failed while streaming; sending the busy message")
            reply = None
        if reply is None:
            await self.poster.deliver(channel, [render_text(BUSY_TEXT)], placeholder_ts=ts, thread_ts=thread_ts)
            return None, ts
        messages = with_blocks(render_reply(reply), await finish(reply))
        first_ts = await self.poster.deliver(channel, messages, placeholder_ts=ts, thread_ts=thread_ts)
        return reply, first_ts

    async def _replace(self, channel: str, ts: str, thread_ts: str, messages: list[SlackMessage], extra) -> None:
        """Show the complete reply in the streamed message's place (a long one goes on in the thread)."""
        try:
            await self.client.chat_stopStream(channel=channel, ts=ts)
        except Exception as error:
            logger.info("could not stop the stream in %s: %s", channel, reason(error))
        await self.poster.deliver(channel, with_blocks(messages, extra), placeholder_ts=ts, thread_ts=thread_ts)

    async def _end(self, channel: str, ts: str, thread_ts: str, sent: str, text: str) -> None:
        """Stop the stream with ``text`` (busy, restarting): in the message, or after what it shows."""
        try:
            await self.client.chat_stopStream(channel=channel, ts=ts, markdown_text=None if sent else text)
            if sent:
                await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, **QUIET)
        except Exception as error:
            logger.warning("could not finish the stream in %s: %s", channel, reason(error))
