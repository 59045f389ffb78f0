"""The terminal chat: questions line by line from a terminal or a pipe, one conversation."""

from __future__ import annotations

import asyncio
import sys
import uuid

from bot.cli.terminal_render import render_terminal
from bot.language.languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

COMMANDS_HELP = "Commands: /brief [it|en] for a briefing, /quit to leave. Anything else is a question."


async def run_chat(briefer, conversation_id: str | None = None, lang: str | None = None) -> int:
    conversation_id = conversation_id or f"terminal:{uuid.uuid4().hex[:12]}"
    interactive = sys.stdin.isatty()
    if interactive:
        newest = briefer.knowledge.newest_first
        titles = "; ".join(a.title for a in newest[:3]) + (f" and {len(newest) - 3} more" if len(newest) > 3 else "")
        print(f"briefbot ({briefer.engine_name} engine). I know: {titles}\n{COMMANDS_HELP}")
    while True:
        line = await asyncio.to_thread(_read_line, "\n> " if interactive else "")
        if line is None:
            return 0
        line = line.strip()
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return 0
        if line.split()[0] == "/brief":
            parts = line.split()
            language = parts[1] if len(parts) > 1 and parts[1] in SUPPORTED_LANGUAGES else (lang or DEFAULT_LANGUAGE)
            reply = await briefer.brief(lang=language, conversation_id=conversation_id)
        else:
            reply = await briefer.answer(line, conversation_id=conversation_id, lang=lang)
        if not interactive:
            print(f"> {line}")
        print(render_terminal(reply), flush=True)
        if not interactive:
            print()


def _read_line(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None
