"""The languages the bot speaks: the one list every module reads."""

from __future__ import annotations

SUPPORTED_LANGUAGES = ("it", "en")
DEFAULT_LANGUAGE = "it"  # the articles' language: answers fall back to it
LANGUAGE_NAMES = {"it": "Italian", "en": "English"}  # in prompts and in the bot's English texts
NATIVE_NAMES = {"it": "Italiano", "en": "English"}  # in language pickers shown to users
