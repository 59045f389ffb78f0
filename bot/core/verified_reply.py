"""What the user gets from a verified model answer.

- Every claim holds: the answer as written.
- Some claims fail and what remains still answers: the answer without them (whole bullets,
  or a sentence with its bracket), plus one short line saying so.
- Nothing stands: the passages the model cited, in their own words with citations, under
  "I couldn't verify the model's answer, so here is what the article says:", unless those
  passages are off the question; then the caller falls back to the offline engine.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot.grounding import Verification
from bot.knowledge.articles import KnowledgeBase, Passage

logger = logging.getLogger("bot.grounding")


@dataclass(frozen=True)
class Outcome:
    kind: str  # "shown", "trimmed", "quoted" or "fallback"
    text: str = ""  # the answer the user reads, without the notice


def log_failures(verification: Verification, engine: str) -> None:
    for problem in verification.problems:
        logger.info("%s answer not verified: %s", engine, problem)
    for result in verification.failed:
        logger.info("%s claim not verified: %r: %s", engine, result.claim.text, "; ".join(result.problems))


def decide(verification: Verification, knowledge: KnowledgeBase, language: str, on_question) -> Outcome:
    if verification.grounded:
        return Outcome("shown", verification.answer.text)
    if not verification.problems:
        trimmed = _without_failed(verification)
        if trimmed:
            return Outcome("trimmed", trimmed)
    passages = [knowledge.passage(i) for i in verification.cited_given if knowledge.passage(i) is not None]
    passages = [p for p in passages if p.role == "body"] or passages
    if passages and on_question(passages):
        return Outcome("quoted", quote(passages[:3], language))
    return Outcome("fallback")


def _without_failed(verification: Verification) -> str:
    """The answer with every unit (bullet, or stretch up to its bracket) holding a failed claim
    removed; empty when no cited fact is left standing."""
    answer = verification.answer
    failed_units = {r.claim.unit for r in verification.failed}
    standing = [r for r in verification.results if r.claim.unit not in failed_units]
    if not any(r.cites and not r.claim.intro for r in standing):
        return ""
    text = answer.text
    for index in sorted(failed_units, reverse=True):
        unit = answer.units[index]
        end = unit.end + 1 if unit.bullet and text[unit.end : unit.end + 1] == "\n" else unit.end
        text = text[: unit.start] + text[end:]
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = re.sub(r"^(?:[\s,;:—–]|-(?!\s))+", "", text)  # a cut's leftover ", and ..." (not a bullet's "- ")
    text = re.sub(r"(?<=[.!?])\s*[,;]\s*", " ", text)  # "… [p9]. , and …" after a cut
    return text[:1].upper() + text[1:] if text else ""


def quote(passages: list[Passage], language: str) -> str:
    open_, close = ("«", "»") if language == "it" else ("\u201c", "\u201d")
    return "\n".join(f"{open_}{p.text_in(language)}{close} [{p.id}]" for p in passages)
