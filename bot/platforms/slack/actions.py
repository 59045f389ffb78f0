"""The buttons under every Slack answer and briefing: 👍/👎 (Block Kit ``feedback_buttons``), a
modal for an optional 👎 reason, and up to three suggested follow-up questions.

The feedback buttons carry ``up:<id>`` / ``down:<id>``, the id of the reply as stored for rating
(``bot.feedback``); a follow-up button carries its question.
"""

from __future__ import annotations

import asyncio
import logging
import re

from bot.answers.feedback import RATINGS, rate, rating_id_or_none
from bot.answers.reply import Reply
from bot.platforms.slack.render import SlackMessage, escape

FEEDBACK_ACTION = "briefbot_feedback"
FOLLOW_UP_ACTION = re.compile(r"^briefbot_follow_up_\d$")
REASON_VIEW = "briefbot_feedback_reason"
BUTTON_TEXT_LIMIT = 75  # characters of a button's label

_TEXTS = {
    "it": {"up": "Utile", "down": "Non utile", "thanks": "Grazie del riscontro.",
           "reason_title": "Cosa non andava?", "reason_label": "Cosa non andava nella risposta? (facoltativo)",
           "send": "Invia", "gone": "Questa risposta non è più in archivio: il riscontro non è stato salvato."},
    "en": {"up": "Useful", "down": "Not useful", "thanks": "Thanks for the feedback.",
           "reason_title": "What was wrong?", "reason_label": "What was wrong with the answer? (optional)",
           "send": "Send", "gone": "That answer is no longer on record: the feedback was not saved."},
}  # fmt: skip

logger = logging.getLogger(__name__)


def texts(language: str) -> dict[str, str]:
    return _TEXTS.get(language, _TEXTS["en"])


async def reply_blocks(store, reply: Reply, *, question: str, channel: str, conversation_id: str) -> list[dict]:
    """The follow-up and feedback blocks for a reply about to be shown (kept for rating first).
    If it cannot be kept (the database is down), the reply goes out without feedback buttons.
    A "not now" reply (busy, rate-limited) gets none: it is no answer."""
    if reply.extras.get("transient"):
        return []
    blocks = follow_up_blocks(reply.follow_ups)
    answer_id = await rating_id_or_none(store, reply, platform="slack", question=question, channel=channel,
                                        conversation_id=conversation_id)  # fmt: skip
    return blocks if answer_id is None else [*blocks, feedback_block(answer_id, reply.language)]


def follow_up_blocks(questions: tuple[str, ...]) -> list[dict]:
    if not questions:
        return []
    buttons = [
        {"type": "button", "action_id": f"briefbot_follow_up_{n}", "value": question,
         "text": {"type": "plain_text", "text": _label(question), "emoji": False}}
        for n, question in enumerate(questions)
    ]  # fmt: skip
    return [{"type": "actions", "block_id": "briefbot_follow_ups", "elements": buttons}]


def feedback_block(answer_id: str, language: str) -> dict:
    words = texts(language)

    def button(rating: str, emoji: str) -> dict:
        return {"text": {"type": "plain_text", "text": emoji}, "value": f"{rating}:{answer_id}",
                "accessibility_label": words[rating]}  # fmt: skip

    element = {"type": "feedback_buttons", "action_id": FEEDBACK_ACTION,
               "positive_button": button("up", "👍"), "negative_button": button("down", "👎")}  # fmt: skip
    return {"type": "context_actions", "elements": [element]}


def with_blocks(messages: list[SlackMessage], blocks: list[dict]) -> list[SlackMessage]:
    """``blocks`` under the last message."""
    if not blocks:
        return messages
    last = messages[-1]
    return [*messages[:-1], SlackMessage(text=last.text, blocks=last.blocks + blocks)]


def reason_modal(answer_id: str, language: str) -> dict:
    words = texts(language)
    return {
        "type": "modal",
        "callback_id": REASON_VIEW,
        "private_metadata": answer_id,
        "title": {"type": "plain_text", "text": words["reason_title"]},
        "submit": {"type": "plain_text", "text": words["send"]},
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "optional": True,
                "label": {"type": "plain_text", "text": words["reason_label"]},
                "element": {"type": "plain_text_input", "action_id": "reason", "multiline": True, "max_length": 500},
            }
        ],
    }


class FeedbackHandlers:
    """``app.action(FEEDBACK_ACTION)`` and ``app.view(REASON_VIEW)``."""

    def __init__(self, store) -> None:
        self.store = store

    async def on_button(self, ack, body, client) -> None:
        await ack()
        value = (body.get("actions") or [{}])[0].get("value", "")
        rating, _, answer_id = value.partition(":")
        user = body.get("user", {}).get("id", "")
        known = rating in RATINGS and await rate(self.store, answer_id, platform="slack", user_id=user, rating=rating)
        answer = await _rated(self.store, answer_id) if known else None
        words = texts(answer.language if answer else "en")
        if known and rating == "down" and body.get("trigger_id"):
            try:
                await client.views_open(trigger_id=body["trigger_id"], view=reason_modal(answer_id, answer.language))
                return  # the modal thanks by closing; a reason, if given, comes with its submission
            except Exception as error:
                logger.warning("could not open the feedback reason modal: %s", type(error).__name__)
        await _tell(client, body, words["thanks"] if known else words["gone"])

    async def on_reason(self, ack, body, view) -> None:
        await ack()
        answer_id = view.get("private_metadata", "")
        reason = (((view.get("state") or {}).get("values") or {}).get("reason") or {}).get("reason") or {}
        user = body.get("user", {}).get("id", "")
        reason_text = reason.get("value") or ""
        await rate(self.store, answer_id, platform="slack", user_id=user, rating="down", reason=reason_text)


async def _rated(store, answer_id: str):
    return await asyncio.to_thread(store.rated_answer, answer_id)


async def _tell(client, body, text: str) -> None:
    """A note only the person who pressed the button sees, where the button was."""
    channel = (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    if not channel:
        return
    try:
        await client.chat_postEphemeral(channel=channel, user=body.get("user", {}).get("id", ""), text=escape(text),
                                        thread_ts=message.get("thread_ts"))  # fmt: skip
    except Exception as error:
        logger.warning("could not confirm the feedback in %s: %s", channel, type(error).__name__)


def _label(question: str) -> str:
    return question if len(question) <= BUTTON_TEXT_LIMIT else question[: BUTTON_TEXT_LIMIT - 1].rstrip() + "…"
