"""The terminal chat: questions line by line from a terminal or a pipe, one conversation.

In a terminal, lines are read with readline (arrow keys edit the line and walk the history,
which is kept in a file between sessions); Ctrl-C abandons the line or the answer being
written, Ctrl-D or ``/quit`` leaves. From a pipe, each line is echoed before its answer.

Input is read on the main thread and each answer runs on one long-lived event loop, so
Ctrl-C reaches whichever is running and no reader thread is left blocked at exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import uuid
from pathlib import Path

from bot.chat_commands import HELP, parse_line
from bot.render.terminal import render_terminal

HISTORY_LENGTH = 1000


def run_chat(settings, conversation_id: str | None = None, lang: str | None = None) -> int:
    from bot.core import Briefer

    conversation_id = conversation_id or f"terminal:{uuid.uuid4().hex[:12]}"
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    with asyncio.Runner() as runner:
        briefer = Briefer.from_settings(settings)
        try:
            if interactive:
                _enable_line_editing(settings.chat_history_file)
                titles = "; ".join(a.title for a in briefer.knowledge.articles)
                print(f"briefbot ({briefer.engine_name} engine). I know: {titles}\n{HELP}")
            _converse(runner, briefer, conversation_id, lang, interactive)
        finally:
            runner.run(briefer.aclose())
            if interactive:
                _save_history(settings.chat_history_file)
    return 0


def _converse(runner: asyncio.Runner, briefer, conversation_id: str, lang: str | None, interactive: bool) -> None:
    while True:
        try:
            line = input("\n> " if interactive else "")
        except EOFError:
            if interactive:
                print()
            return
        except KeyboardInterrupt:  # abandon the line, like a shell
            print("^C")
            continue
        command = parse_line(line)
        if command.kind == "ask" and not command.text:
            continue
        if not interactive:
            print(f"> {line.strip()}")
        if command.kind == "quit":
            return
        if command.kind in ("help", "error"):
            print("\n".join(filter(None, [command.text, HELP if command.kind == "help" else ""])), flush=True)
            continue
        if command.kind == "brief":
            call = briefer.brief(lang=command.language or lang or "it", conversation_id=conversation_id)
        else:
            call = briefer.answer(command.text, conversation_id=conversation_id, lang=lang)
        try:
            reply = runner.run(call)
        except KeyboardInterrupt:
            print("\n(interrupted)", flush=True)
            continue
        print(render_terminal(reply), flush=True)
        if not interactive:
            print()


def _enable_line_editing(history_file: Path) -> None:
    try:
        import readline
    except ImportError:  # some platforms ship Python without it: plain input still works
        return
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(OSError):  # first session, or an unreadable file: start with an empty history
        readline.read_history_file(history_file)


def _save_history(history_file: Path) -> None:
    try:
        import readline
    except ImportError:
        return
    try:
        history_file.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(history_file)
    except OSError as error:  # never lose the session's answers over a history file
        print(f"briefbot: could not save the chat history to {history_file}: {error.strerror}", file=sys.stderr)
