"""One record per question the core answers: the ``briefbot_questions`` counter, the latency
histogram and one structured log line (ids, outcome, timings, tokens; the question and answer
text only with ``BRIEFBOT_LOG_TEXT=true``).

The user id is logged hashed (the same user gives the same hash, so an operator can follow one
person's questions without the log holding who they are); conversation ids are logged as given
(``slack:T1:C1:1700000000.1``: team, channel and thread, no text).
"""

from __future__ import annotations

import hashlib
import logging

from bot.answers.reply import Reply
from bot.observability.metrics import ANSWER_SECONDS, QUESTIONS
from bot.observability.trace import AnswerTrace

logger = logging.getLogger("bot.answers")


def outcome_of(reply: Reply) -> str:
    """answered | refused | fallback | verification_failed | busy | rate_limited."""
    transient = reply.extras.get("transient")
    if transient:
        return transient if transient in ("busy", "rate_limited") else "busy"
    fallback = reply.extras.get("fallback")
    verification = reply.extras.get("verification") or {}
    if fallback == "not_verified" or verification.get("outcome") == "quoted":
        return "verification_failed"  # the model's answer failed the checks: not shown as written
    if fallback:
        return "fallback"  # the model was unavailable (or a bug): the offline engine answered
    return "refused" if reply.refused else "answered"


def platform_of(user: str | None, conversation_id: str | None) -> str:
    """``slack``, ``discord``... from the ids the adapters pass (``slack:T1:U1``); ``cli`` without."""
    for ident in (user, conversation_id):
        if ident and ":" in ident:
            return ident.split(":", 1)[0]
    return "cli"


def hashed(user: str | None) -> str:
    return hashlib.sha256(user.encode()).hexdigest()[:16] if user else ""


def record_answer(
    reply: Reply,
    *,
    engine: str,
    seconds: float,
    trace: AnswerTrace,
    user: str | None,
    conversation_id: str | None,
    question: str,
    log_text: bool = False,
) -> None:
    platform = platform_of(user, conversation_id)
    outcome = outcome_of(reply)
    QUESTIONS.labels(platform, engine, outcome).inc()
    ANSWER_SECONDS.labels(platform, engine).observe(seconds)
    fields = {
        "event": "answer",
        "platform": platform,
        "conversation": conversation_id or "",
        "user": hashed(user),
        "engine": engine,
        "answered_by": reply.engine,
        "outcome": outcome,
        "language": reply.language,
        "citations": len(reply.citations),
        "total_ms": round(seconds * 1000, 1),
        "model_ms": round(trace.model_seconds * 1000, 1),
        "verification_ms": round(trace.verification_seconds * 1000, 1),
        "tokens_in": trace.tokens_in,
        "tokens_out": trace.tokens_out,
    }
    if log_text:
        fields.update(question=question, answer=reply.text)
    logger.info("question %s", outcome, extra=fields)
