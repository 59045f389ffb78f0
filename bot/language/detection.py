"""Which language a question is in, restricted to the languages the bot answers in."""

from __future__ import annotations

import threading
from functools import cache

from bot.language.languages import DEFAULT_LANGUAGE

_loading = threading.Lock()  # start-up loads it in a worker thread; a caller meanwhile waits for that one


def _identifier():
    with _loading:
        return _load()


@cache
def _load():
    from bot.language.identifier import load_identifier

    return load_identifier()


def detect_language(text: str, *, default: str = DEFAULT_LANGUAGE) -> str:
    """``it`` or ``en``; texts with too few letters to tell fall back to ``default``."""
    if sum(ch.isalpha() for ch in text) < 3:
        return default
    language, confidence = _identifier().classify(text)
    return language if confidence >= 0.6 else default
