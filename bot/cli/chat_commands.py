"""What a line typed in the terminal chat means: a question, or one of the chat's commands."""

from __future__ import annotations

from dataclasses import dataclass

from bot.language.languages import SUPPORTED_LANGUAGES

HELP = """Commands:
  /brief [it|en]   a short briefing on the articles (default: Italian, or the --lang you chose)
  /good            the last answer was useful
  /bad [why]       the last answer was wrong or unhelpful (say why, if you like)
  1, 2, 3          ask the suggested question with that number
  /help            this help
  /quit or exit    leave (Ctrl-D works too)
Anything else is a question about the articles. The arrow keys edit the line and recall
earlier questions (kept between sessions)."""

_LEAVE = frozenset({"/quit", "/exit", "/q", "exit", "quit"})


@dataclass(frozen=True)
class ChatLine:
    """``kind`` is ``ask`` (``text`` is the question), ``brief`` (``language`` may be None:
    the chat's default), ``rate`` (``rating`` up or down, ``text`` the reason), ``help``,
    ``quit`` or ``error`` (``text`` is the one-line message)."""

    kind: str
    text: str = ""
    language: str | None = None
    rating: str = ""


def parse_line(line: str) -> ChatLine:
    line = line.strip()
    if line.lower() in _LEAVE:
        return ChatLine("quit")
    if not line.startswith("/"):
        return ChatLine("ask", line)
    name, *arguments = line.split()
    name = name.lower()
    if name == "/help" or name == "/?":
        return ChatLine("help")
    if name == "/brief":
        return _brief(arguments)
    if name == "/good" and not arguments:
        return ChatLine("rate", rating="up")
    if name == "/bad":
        return ChatLine("rate", " ".join(arguments), rating="down")
    return ChatLine("help", f"Unknown command {name}.")


def _brief(arguments: list[str]) -> ChatLine:
    if not arguments:
        return ChatLine("brief")
    language = arguments[0].lower()
    if len(arguments) > 1 or language not in SUPPORTED_LANGUAGES:
        choices = " or ".join(f"/brief {code}" for code in SUPPORTED_LANGUAGES)
        return ChatLine("error", f"Unknown language {' '.join(arguments)!r}: use {choices}.")
    return ChatLine("brief", language=language)
