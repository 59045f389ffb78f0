"""Feedback on answers and briefings: keep what was shown, then record 👍/👎 (and why) on it.

A platform calls ``keep_for_rating`` when it shows a reply with feedback buttons; the buttons
carry the returned id, and pressing one calls ``rate``. Ratings feed ``python -m bot feedback``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING

from bot.answers.reply import Reply
from bot.language.text import clean_input
from bot.store.records import RatedAnswer

if TYPE_CHECKING:
    from bot.store.database import Store

RATINGS = ("up", "down")
MAX_REASON_CHARS = 500

logger = logging.getLogger(__name__)


async def keep_for_rating(
    store: Store, reply: Reply, *, platform: str, question: str = "", channel: str = "", conversation_id: str = ""
) -> str:
    """Store the reply as shown and return the id its feedback buttons carry."""
    answer = RatedAnswer(
        id=uuid.uuid4().hex,
        kind="answer" if question else "briefing",
        platform=platform,
        question=question,
        answer=reply.text,
        citations=tuple(c.id for c in reply.citations),
        language=reply.language,
        engine=reply.engine,
        grounded=reply.grounded,
        refused=reply.refused,
        channel=channel,
        conversation_id=conversation_id or "",
        follow_ups=reply.follow_ups,
    )
    await asyncio.to_thread(store.add_rated_answer, answer)
    return answer.id


async def rating_id_or_none(store: Store, reply: Reply, *, platform: str, question: str, channel: str,
                            conversation_id: str) -> str | None:  # fmt: skip
    """``keep_for_rating``, or None (logged) when the reply cannot be kept (the database is down):
    the platform then shows the reply without feedback buttons rather than not at all."""
    try:
        return await keep_for_rating(store, reply, platform=platform, question=question, channel=channel,
                                     conversation_id=conversation_id)  # fmt: skip
    except Exception:
        logger.exception("could not keep the reply for rating; showing it without feedback buttons")
        return None


async def rate(store: Store, answer_id: str, *, platform: str, user_id: str, rating: str, reason: str = "") -> bool:
    """Record ``user_id``'s rating; False when the answer is unknown (e.g. a forged button)."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}")
    if await asyncio.to_thread(store.rated_answer, answer_id) is None:
        return False
    reason = clean_input(reason)[:MAX_REASON_CHARS] if rating == "down" else ""
    await asyncio.to_thread(store.rate, answer_id, platform, user_id, rating, reason)
    return True


def outcome(answer: RatedAnswer) -> str:
    """How the answer came about, as the feedback report groups it."""
    if answer.kind == "briefing":
        return "briefing"
    if answer.refused:
        return "refused"
    return "answered" if answer.grounded else "not verified"
