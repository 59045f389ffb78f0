"""Every Slack listener in one table. Each turns one event into one core call and posts the reply.

Acks are immediate; the work runs as a bolt lazy listener (an asyncio task in ``AsyncApp``),
so many questions are answered concurrently however slow the model is.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.answers.reply import Reply
from bot.core.handoff import LOST_QUESTION_TEXT, Handoff, Ticket
from bot.language.languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from bot.platforms.base import answer_or_busy, conversation_id
from bot.platforms.slack.actions import (
    FEEDBACK_ACTION,
    FOLLOW_UP_ACTION,
    REASON_VIEW,
    FeedbackHandlers,
    reply_blocks,
    with_blocks,
)
from bot.platforms.slack.posting import QUIET, STOPPING, THINKING, WORKING, SlackPoster
from bot.platforms.slack.render import (
    SlackMessage,
    context_blocks,
    escape,
    plain_text_from_slack,
    render_reply,
    render_text,
)
from bot.platforms.slack.streaming import SlackStreamer
from bot.store.records import AcceptedQuestion, StoreError

ASK_USAGE = "Usage: `/ask` followed by your question, e.g. `/ask How long does the OpenAI-AWS deal last?`"
BRIEF_USAGE = "Usage: `/brief [it|en]` posts a briefing on the news to this channel."
MENTION_USAGE = "Ask me about the news, e.g. “@briefbot how much is the deal worth?”, or run `/brief en`."
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
COMMANDS = ("/ask", "/brief")  # recorded for the hand-off with the command as their target

logger = logging.getLogger(__name__)


def channel_conversation_id(team: str, channel: str, thread_ts: str) -> str:
    return conversation_id("slack", team, channel, thread_ts)


def dm_conversation_id(team: str, channel: str) -> str:
    return conversation_id("slack", team, "dm", channel)


async def prepare(call: Callable[[], Awaitable[Reply]]) -> tuple[Reply | None, list[SlackMessage]]:
    """The shared "answer or say busy", rendered for Slack."""
    return await answer_or_busy(call, render_reply, lambda text: [render_text(text)])


@dataclass(frozen=True)
class Listener:
    kind: str  # "command", "event", "action" or "view"
    name: str | re.Pattern  # "/ask", "app_mention", an action id...
    ack: Callable[..., Awaitable[None]]
    work: list[Callable[..., Awaitable[None]]] = field(default_factory=list)


async def ack_now(ack) -> None:
    await ack()


class SlackListeners:
    """The handlers; ``briefer`` is the core (``bot.core.briefer.Briefer`` or anything with its methods)."""

    def __init__(
        self,
        briefer,
        client: AsyncWebClient,
        *,
        mention_only: bool = False,
        on_file_shared: Callable[[dict], Awaitable[None]] | None = None,
    ):
        self.briefer = briefer
        self.client = client
        self.poster = SlackPoster(client)
        self.streamer = SlackStreamer(client)
        self.feedback = FeedbackHandlers(briefer.store)
        self.handoff = Handoff.for_briefer(briefer)
        self.mention_only = mention_only
        self.on_file_shared = on_file_shared  # a file shared in a DM (an article, for /news)

    def table(self) -> list[Listener]:
        return [
            Listener("command", "/brief", self.ack_brief, [self.brief]),
            Listener("command", "/ask", self.ack_ask, [self.ask]),
            # "/digest" comes from bot.platforms.slack.digest_command.digest_listener (see build_slack_app).
            Listener("event", "app_mention", ack_now, [self.mention]),
            Listener("event", "message", ack_now, [self.message]),
            Listener("action", FEEDBACK_ACTION, self.feedback.on_button),
            Listener("view", REASON_VIEW, self.feedback.on_reason),
            Listener("action", FOLLOW_UP_ACTION, ack_now, [self.follow_up]),
        ]

    # -- slash commands

    async def ack_ask(self, ack, command) -> None:
        await ack(text=WORKING if _question(command) else ASK_USAGE)

    async def ask(self, command, context, respond) -> None:
        if question := _question(command):
            await self._answer_command(_command_question(command, context, question), respond)

    async def ack_brief(self, ack, command) -> None:
        await ack(text=WORKING if _brief_language(command) else BRIEF_USAGE)

    async def brief(self, command, context, respond) -> None:
        if lang := _brief_language(command):
            await self._answer_command(_command_question(command, context, lang), respond)

    async def _answer_command(self, command: AcceptedQuestion, respond, ticket: Ticket | None = None) -> None:
        """Answer ``/ask`` (the question) or ``/brief`` (its language) in the channel, or through
        the response_url where the bot may not post. In a channel the answer opens a thread whose
        conversation starts with it; in a DM the whole DM is one conversation. (The acknowledgement
        already showed the sign of work.) Recorded for the durable hand-off like a mention
        (``ticket``: one recovered from a process that stopped)."""
        channel, cid = command.channel, command.conversation_id or None
        user = _user(command.workspace, command.user_id)
        asker = f"<@{command.user_id}>" if _USER_ID.match(command.user_id) else ""
        question = "" if command.target == "/brief" else command.question
        if question:
            where = conversation_id("slack", command.workspace, channel)
            call = lambda: self.briefer.answer(question, conversation_id=cid, user=user, channel=where)  # noqa: E731
            header = f"{asker} “{escape(question)}”"
        else:
            call = lambda: self.briefer.brief(lang=command.question, conversation_id=cid, user=user)  # noqa: E731
            header = f"{asker} /brief {command.question}"
        with self.briefer.lifecycle.work():
            ticket = ticket or await self.handoff.accept(command)
            async with ticket.holding():
                try:
                    reply, messages = await prepare(call)
                except asyncio.CancelledError:  # shutting down: the acknowledgement's ⏳ gets an honest end
                    if await ticket.confirm():
                        await self.poster.respond_all(respond, [render_text(STOPPING)], ephemeral=True)
                        await ticket.done("abandoned", "stopped")
                    raise
                if not await ticket.confirm():
                    return
                if reply is not None and reply.extras.get("transient"):  # "not now" is for the asker's eyes only
                    await self.poster.respond_all(respond, messages, ephemeral=True)
                    await ticket.done()
                    return
                if reply is not None:
                    blocks = await reply_blocks(self.briefer.store, reply, question=question, channel=channel,
                                                conversation_id=cid or "")  # fmt: skip
                    messages = with_blocks(messages, blocks)
                messages = _with_header(messages, header)
                first_ts = await self.poster.deliver(channel, messages, placeholder_ts=None)
                if first_ts is None:
                    await self.poster.respond_all(respond, messages, user=command.user_id)
                await ticket.done()
                if first_ts and reply is not None and cid is None:
                    thread = channel_conversation_id(command.workspace, channel, first_ts)
                    await self.briefer.remember(thread, reply, question=question or None)

    def _respond_to(self, response_url: str) -> AsyncRespond:
        """A recovered command's ``respond``, as bolt builds it for a live one."""
        return AsyncRespond(response_url=response_url, proxy=self.client.proxy, ssl=self.client.ssl)

    # -- events

    async def mention(self, event, body, context) -> None:
        if event.get("bot_id") or not await self.claim(body):
            return
        question = plain_text_from_slack(event.get("text", ""), bot_user_id=context.bot_user_id or "")
        thread_ts = event.get("thread_ts") or event["ts"]
        cid = channel_conversation_id(context.team_id, event["channel"], thread_ts)
        await self.answer_in_thread(event["channel"], thread_ts, cid, question, team=context.team_id,
                                    user=event.get("user", ""), body=body)  # fmt: skip

    async def message(self, event, body, context) -> None:
        shared_in_dm = event.get("subtype") == "file_share" and event.get("channel_type") == "im"
        if shared_in_dm and self.on_file_shared and event.get("user") and not event.get("bot_id"):
            if await self.claim(body):
                await self.on_file_shared(event)
            return
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return  # edits, deletions, joins, other bots (bolt already drops the bot's own messages)
        channel = event["channel"]
        question = plain_text_from_slack(event.get("text", ""), bot_user_id=context.bot_user_id or "")
        if event.get("channel_type") == "im":
            cid, thread_ts = dm_conversation_id(context.team_id, channel), event.get("thread_ts")
        else:
            thread_ts = event.get("thread_ts")
            if self.mention_only or not thread_ts or _mentions(event, context.bot_user_id):
                return  # not a follow-up, or app_mention answers it
            cid = channel_conversation_id(context.team_id, channel, thread_ts)
            started_by_bot = event.get("parent_user_id") == context.bot_user_id  # e.g. an /ask answer
            if not started_by_bot and not await self.briefer.has_conversation(cid):
                return
        if await self.claim(body):
            await self.answer_in_thread(channel, thread_ts, cid, question, team=context.team_id,
                                        user=event["user"], body=body)  # fmt: skip

    async def follow_up(self, body, context) -> None:
        """A suggested follow-up was pressed: it is asked in the thread (or DM) it was offered in."""
        question = ((body.get("actions") or [{}])[0].get("value") or "").strip()
        channel = (body.get("channel") or {}).get("id", "")
        message = body.get("message") or {}
        user = (body.get("user") or {}).get("id", "")
        if not question or not channel or not message.get("ts"):
            return
        if channel.startswith("D") and not message.get("thread_ts"):  # the DM's main view: one conversation
            cid, thread_ts = dm_conversation_id(context.team_id, channel), None
        else:  # a channel thread or an assistant thread (a thread in the DM)
            thread_ts = message.get("thread_ts") or message["ts"]
            cid = channel_conversation_id(context.team_id, channel, thread_ts)
        asked = f"<@{user}> “{escape(question)}”" if _USER_ID.match(user) else f"“{escape(question)}”"
        try:
            await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=asked,
                                               blocks=context_blocks([asked]), **QUIET)  # fmt: skip
        except Exception:
            logger.warning("could not show the chosen follow-up in %s", channel)
        # In an assistant thread (a thread in the DM) the sign of work is the thread's own status,
        # set after the line above, since any message from the bot clears it.
        in_dm_thread = channel.startswith("D") and thread_ts is not None
        thinking = in_dm_thread and await self._show_thinking(channel, thread_ts)
        await self.answer_in_thread(channel, thread_ts, cid, question, team=context.team_id, user=user,
                                    placeholder=not thinking, body=body)  # fmt: skip

    async def _show_thinking(self, channel: str, thread_ts: str) -> bool:
        """Slack's "is thinking…" status in an assistant thread; False where Slack refuses it (a
        DM thread of an app without the assistant view), so the caller shows ⏳ instead."""
        try:
            await self.client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread_ts, status=THINKING)
            return True
        except Exception as error:
            logger.info("no assistant status in %s (%s): showing a placeholder", channel, type(error).__name__)
            return False

    async def answer_in_thread(self, channel: str, thread_ts: str | None, cid: str, question: str, *,
                               team: str = "", user: str = "", placeholder: bool = True,
                               body: dict | None = None, ticket: Ticket | None = None) -> None:  # fmt: skip
        """Answer ``question`` where it was asked (streamed when the model streams), with the
        follow-up and feedback buttons under it; ``placeholder``: show ⏳ until the answer is in.
        The question is recorded for the durable hand-off (``ticket``: one recovered from a process
        that stopped, answered in one piece in place of its ⏳). The answer counts as work in flight
        for a graceful shutdown; cancelled past the grace period, it says so and hands the event
        (``body``) back."""
        async def finish(reply):
            return await reply_blocks(self.briefer.store, reply, question=question, channel=channel,
                                      conversation_id=cid)  # fmt: skip

        asker = _user(team, user)
        with self.briefer.lifecycle.work():
            recovered = ticket is not None
            if ticket is None:
                ticket = await self.handoff.accept(AcceptedQuestion(
                    key=_question_key(body), platform="slack", channel=channel, question=question,
                    conversation_id=cid, workspace=team, thread=thread_ts or "", user_id=user,
                ))  # fmt: skip
            async with ticket.holding():
                if question and not recovered and await self.briefer.streams():
                    if not await ticket.confirm():
                        return
                    replies = self.briefer.answer_stream(question, conversation_id=cid, user=asker)
                    try:
                        await self.streamer.show(replies, channel, thread_ts=thread_ts, team_id=team,
                                                 user_id=user, finish=finish)  # fmt: skip
                    except asyncio.CancelledError:  # the streamer has said so in the message
                        await ticket.done("abandoned", "stopped")
                        await self._release(body)
                        raise
                    await ticket.done()
                    return
                placeholder_ts = ticket.question.placeholder or None
                try:
                    if placeholder and placeholder_ts is None:
                        placeholder_ts = await self.poster.placeholder(channel, thread_ts=thread_ts)
                        if placeholder_ts:
                            await ticket.update(placeholder=placeholder_ts)
                    if question:
                        async with self.poster.still_working(channel, placeholder_ts):
                            reply, messages = await prepare(
                                lambda: self.briefer.answer(question, conversation_id=cid, user=asker)
                            )
                        if reply is not None:
                            messages = with_blocks(messages, await finish(reply))
                    else:
                        messages = [render_text(MENTION_USAGE)]
                except asyncio.CancelledError:  # shutting down past the grace period: hand the question back
                    if await ticket.confirm():
                        await self.poster.deliver(channel, [render_text(STOPPING)], placeholder_ts=placeholder_ts,
                                                  thread_ts=thread_ts)  # fmt: skip
                        await ticket.done("abandoned", "stopped")
                    await self._release(body)
                    raise
                if await ticket.confirm():
                    await self.poster.deliver(channel, messages, placeholder_ts=placeholder_ts, thread_ts=thread_ts)
                    await ticket.done()

    async def answer_recovered(self, ticket: Ticket) -> None:
        """Answer a question whose process stopped before posting (``bot.core.handoff``)."""
        q = ticket.question
        if q.target in COMMANDS:
            await self._answer_command(q, self._respond_to(q.reply_url), ticket)
            return
        await self.answer_in_thread(q.channel, q.thread or None, q.conversation_id, q.question, team=q.workspace,
                                    user=q.user_id, ticket=ticket)  # fmt: skip

    async def apologize(self, question: AcceptedQuestion) -> None:
        """A question given up on: say so where its answer would have gone, instead of silence
        (a command's asker alone, as its acknowledgement was)."""
        messages = [render_text(LOST_QUESTION_TEXT)]
        if question.target in COMMANDS:
            await self.poster.respond_all(self._respond_to(question.reply_url), messages, ephemeral=True)
            return
        await self.poster.deliver(question.channel, messages, placeholder_ts=question.placeholder or None,
                                  thread_ts=question.thread or None)  # fmt: skip

    async def _release(self, body: dict | None) -> None:
        """Release the event's claim so that a redelivery (or another instance) may answer it."""
        event_id = (body or {}).get("event_id")
        if event_id:
            try:
                await asyncio.to_thread(self.briefer.store.release_event, "slack:" + event_id)
            except StoreError as error:
                logger.warning("could not release event %s: %s", event_id, error)

    async def claim(self, body) -> bool:
        """True the first time this event is seen by any instance; Slack's retries are then dropped."""
        event_id = body.get("event_id")
        if not event_id:
            return True
        # The store is synchronous (SQLAlchemy Core): keep its short write off the event loop.
        try:
            return await asyncio.to_thread(self.briefer.store.claim_event, "slack:" + event_id)
        except StoreError as error:  # acknowledged already: answering twice beats never answering
            logger.warning("store unavailable, answering event %s without de-duplication: %s", event_id, error)
            return True


def _question_key(body: dict | None) -> str:
    """The hand-off's key: the event's, like its de-duplication claim; actions have no event id."""
    event_id = (body or {}).get("event_id")
    return f"slack:{event_id}" if event_id else f"slack:action:{uuid.uuid4().hex}"


def _user(team: str, user_id: str | None) -> str | None:
    """The asker as the core's rate limit knows them: ``slack:<team>:<user>``."""
    return f"slack:{team}:{user_id}" if user_id else None


def _command_question(command, context, text: str) -> AcceptedQuestion:
    """A slash command as the hand-off records it: ``text`` is /ask's question or /brief's language."""
    channel = command["channel_id"]
    in_dm = command.get("channel_name") == "directmessage"
    return AcceptedQuestion(
        key=f"slack:command:{command.get('trigger_id') or uuid.uuid4().hex}", platform="slack", channel=channel,
        question=text, conversation_id=dm_conversation_id(context.team_id, channel) if in_dm else "",
        workspace=context.team_id or "", target=command.get("command", "/ask"), user_id=command.get("user_id", ""),
        reply_url=command.get("response_url", ""),
    )  # fmt: skip


def _question(command) -> str:
    return plain_text_from_slack(command.get("text") or "")


def _brief_language(command) -> str:
    """A supported language (the default when omitted), or "" for anything else."""
    text = (command.get("text") or "").strip().lower() or DEFAULT_LANGUAGE
    return text if text in SUPPORTED_LANGUAGES else ""


def _mentions(event, bot_user_id: str | None) -> bool:
    return bool(bot_user_id) and f"<@{bot_user_id}" in event.get("text", "")


def _with_header(messages: list[SlackMessage], header: str) -> list[SlackMessage]:
    """The asker and the command, as a context line above the first message."""
    first = messages[0]
    headed = SlackMessage(text=first.text, blocks=context_blocks([header.strip()]) + first.blocks)
    return [headed, *messages[1:]]
