"""What a question asks for, and whether a passage holds that kind of answer.

"Who...?" wants a person or role, "when / by when...?" a date or a period, "how much /
quanto...?" an amount, "which companies...?" organisations, "why / perché...?" a reason.
A passage that lacks the kind of answer asked for does not answer, however many of the
question's words it holds. The cues live in ``bot/engines/offline/data/<language>.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.engines.offline.language_data import all_languages, language_data

# Which kinds of evidence satisfy each question type.
ACCEPTS = {
    "date": ("date", "duration"),
    "duration": ("duration", "date"),
    "amount": ("amount",),
    "count": ("count", "amount"),
    "organisation": ("organisation",),
    "role": ("role",),
    "speaker": ("role",),
    "person": ("role", "name", "organisation"),
    "reason": ("reason",),
    "opinion": ("opinion",),
}
# A proper name: a capitalised word that does not start its sentence, or an acronym/camel-case
# word anywhere (AWS, OpenAI).
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][\w'-]+")
_CODE_LIKE = re.compile(r"\b(?:[A-Z]{2,}\w*|[A-Z][a-z]+[A-Z]\w*)\b")
_TWO_NAMES = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")


@dataclass(frozen=True)
class QuestionType:
    name: str | None
    absorbed: frozenset[str]  # the question's words that only named the type
    roles: frozenset[str] = frozenset()  # role words: found in any passage that names a role


def question_type(text: str) -> QuestionType:
    """The first type whose cue the question matches, in either language."""
    lowered = text.lower()
    for data in all_languages():
        for answer_type in data.answer_types:
            if any(cue.search(lowered) for cue in answer_type.cues):
                return QuestionType(answer_type.name, answer_type.absorb, answer_type.roles)
    return QuestionType(None, frozenset())


def is_instruction(text: str) -> bool:
    """Whether the text gives the bot orders ("ignore the article and...") in either language."""
    return any(p.search(text) for data in all_languages() for p in data.instructions)


def evidence_in(texts: dict[str, str]) -> frozenset[str]:
    """The kinds of answer a passage holds, from its text in each language."""
    kinds = set()
    for language, text in texts.items():
        for kind, pattern in _evidence(language).items():
            if pattern.search(text):
                kinds.add(kind)
        if _CODE_LIKE.search(text) or _CAPITALISED.search(text):
            kinds.add("organisation")
        if _TWO_NAMES.search(text):
            kinds.add("name")
    return frozenset(kinds)


@cache
def _evidence(language: str) -> dict[str, re.Pattern[str]]:
    """Each kind's patterns as one alternation: one search per kind (indexing 1,000 articles
    ran about 700,000 searches otherwise). The data's patterns have no backreferences."""
    return {
        kind: re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)
        for kind, patterns in language_data(language).evidence.items()
    }


def holds(kinds: frozenset[str], wanted: str | None) -> bool:
    return wanted is None or any(k in kinds for k in ACCEPTS[wanted])
