"""The ``/digest`` command's text: ``on HH:MM Zone/Name [it|en] [always]``, ``off``, ``status``, ``now``.

Parsing only; errors name the expected form so a user can fix the command.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.digest.schedule import parse_time_of_day
from bot.language.languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

ALWAYS_WORDS = ("always", "--always")
USAGE = (
    "Usage: `/digest on HH:MM Zone/City [it|en] [always]` (e.g. `/digest on 08:30 Europe/Rome it`), "
    "`/digest off`, `/digest status`, `/digest now`. "
    "With `always`, a day with nothing new still gets a one-line post."
)


class DigestUsageError(ValueError):
    """The command text is not valid; the message says what was expected."""


@dataclass(frozen=True)
class DigestRequest:
    action: str  # "on" | "off" | "status" | "now"
    time_of_day: str = ""  # normalised "HH:MM"
    timezone: str = ""
    language: str = DEFAULT_LANGUAGE
    always: bool = False


def parse_digest(text: str) -> DigestRequest:
    words = text.split()
    if not words:
        return DigestRequest("status")
    action, rest = words[0].lower(), words[1:]
    if action in ("off", "status", "now"):
        if rest:
            raise DigestUsageError(f"`/digest {action}` takes nothing after it. {USAGE}")
        return DigestRequest(action)
    if action != "on":
        raise DigestUsageError(f"Unknown action {_shown(words[0])}. {USAGE}")
    return _parse_on(rest)


def _parse_on(words: list[str]) -> DigestRequest:
    if len(words) < 2:
        raise DigestUsageError(f"`/digest on` needs a time and a time zone. {USAGE}")
    time_text, zone_text, options = words[0], words[1], [w.lower() for w in words[2:]]
    try:
        time_of_day = parse_time_of_day(time_text)
    except ValueError:
        raise DigestUsageError(
            f"{_shown(time_text)} is not a time: use 24-hour HH:MM, e.g. 08:30. {USAGE}"
        ) from None
    timezone = validate_zone(zone_text)
    languages = [w for w in options if w in SUPPORTED_LANGUAGES]
    always = any(w in ALWAYS_WORDS for w in options)
    unknown = [w for w in options if w not in SUPPORTED_LANGUAGES and w not in ALWAYS_WORDS]
    if unknown or len(languages) > 1:
        extra = ' '.join(unknown or languages)
        raise DigestUsageError(f"Unexpected {_shown(extra)}: the language is it or en. {USAGE}")
    language = languages[0] if languages else DEFAULT_LANGUAGE
    return DigestRequest("on", time_of_day.strftime("%H:%M"), timezone, language, always)


def validate_zone(name: str) -> str:
    """The IANA zone name as given, or DigestUsageError naming the expected form."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise DigestUsageError(
            f"{_shown(name)} is not a time zone: use an IANA name like Europe/Rome or America/New_York. {USAGE}"
        ) from None
    return name


def _shown(text: str) -> str:
    """User text quoted back, bounded, without backticks that could break the formatting."""
    text = text.replace("`", "'")
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"
