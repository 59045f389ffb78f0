"""Which language a question is in, restricted to the languages the bot answers in."""

from __future__ import annotations

from functools import cache

from bot.language.languages import DEFAULT_LANGUAGE


@cache
def _identifier():
    from bot.language.identifier import load_identifier

    return load_identifier()


def detect_language(text: str, *, default: str = DEFAULT_LANGUAGE) -> str:
    """``it`` or ``en``; texts with too few letters to tell fall back to ``default``."""
    if sum(ch.isalpha() for ch in text) < 3:
        return default
    language, confidence = _identifier().classify(text)
    return language if confidence >= 0.6 else default
