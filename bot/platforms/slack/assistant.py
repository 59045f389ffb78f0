"""Slack's assistant surface (the split view of AI apps), through bolt's ``AsyncAssistant``.

When someone opens a thread with the bot it greets them and offers suggested prompts drawn from
the newest articles' questions; each message in the thread is answered like any thread
follow-up (streamed claim by claim when the model streams), with Slack's "is thinking…" status
while the core works, and the first question titles the thread.
"""

from __future__ import annotations

import logging

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.assistant.async_assistant import AsyncAssistant

from bot.platforms.slack.listeners import SlackListeners, channel_conversation_id
from bot.platforms.slack.posting import THINKING
from bot.platforms.slack.render import plain_text_from_slack

MAX_PROMPTS = 4  # Slack shows at most four suggested prompts
TITLE_LIMIT = 80

log = logging.getLogger(__name__)


def build_assistant(listeners: SlackListeners) -> AsyncAssistant:
    briefer = listeners.briefer
    assistant = AsyncAssistant(logger=logging.getLogger("bot.adapters.slack.assistant"))

    @assistant.thread_started
    async def greet(say, set_suggested_prompts) -> None:
        articles = sorted(briefer.knowledge.articles, key=lambda a: a.published, reverse=True)
        newest = "; ".join(f"«{a.title_in('en')}» ({a.published.isoformat()})" for a in articles[:3])
        await say(
            f"Ciao! Hi! I brief you on the news I was given, newest first: {newest}. "
            "Ask me about it in Italian or English: every answer cites the article."
        )
        prompts = suggested_prompts(briefer)
        if prompts:
            await set_suggested_prompts(prompts=prompts, title="Try asking / Prova a chiedere")

    @assistant.user_message
    async def answer(payload: dict, body: dict, context: AsyncBoltContext, set_status, set_title) -> None:
        question = plain_text_from_slack(payload.get("text", ""), bot_user_id=context.bot_user_id or "")
        channel, thread_ts = payload["channel"], payload["thread_ts"]
        if not question or not await listeners.claim(body):
            return
        cid = channel_conversation_id(context.team_id, channel, thread_ts)
        try:
            if not await briefer.has_conversation(cid):
                await set_title(_title(question))
            await set_status(THINKING)
        except Exception as error:  # no status or title is no reason not to answer
            log.warning("could not set the assistant thread's status or title: %s", type(error).__name__)
        await listeners.answer_in_thread(channel, thread_ts, cid, question, team=context.team_id,
                                         user=payload.get("user", ""), placeholder=False, body=body)  # fmt: skip

    return assistant


def suggested_prompts(briefer) -> list[dict[str, str]]:
    """Up to four prompts, alternating English and Italian, each a question the bot answers."""
    english, italian = briefer.follow_ups.prompts("en", limit=2), briefer.follow_ups.prompts("it", limit=2)
    mixed = [q for pair in zip(english, italian, strict=False) for q in pair]
    mixed += [q for q in (*english, *italian) if q not in mixed]
    return [{"title": q, "message": q} for q in mixed[:MAX_PROMPTS]]


def _title(question: str) -> str:
    return question if len(question) <= TITLE_LIMIT else question[: TITLE_LIMIT - 1].rstrip() + "…"
