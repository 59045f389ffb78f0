"""Which language a question is in, restricted to the languages the bot answers in."""

from __future__ import annotations

from functools import cache

from bot.language.languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES


@cache
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED_LANGUAGES))
    return identifier


def detect_language(text: str, *, default: str = DEFAULT_LANGUAGE) -> str:
    """``it`` or ``en``; texts with too few letters to tell fall back to ``default``."""
    if sum(ch.isalpha() for ch in text) < 3:
        return default
    language, confidence = _identifier().classify(text)
    return language if confidence >= 0.6 else default
