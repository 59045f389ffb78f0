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
import getpass
import sys
import uuid
from pathlib import Path

from bot.answers.feedback import keep_for_rating, rate
from bot.cli.chat_commands import HELP, parse_line
from bot.cli.terminal_render import render_terminal, render_terminal_text
from bot.language.languages import DEFAULT_LANGUAGE

HISTORY_LENGTH = 1000


def run_chat(settings, conversation_id: str | None = None, lang: str | None = None) -> int:
    from bot.core.briefer import Briefer

    conversation_id = conversation_id or f"terminal:{uuid.uuid4().hex[:12]}"
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    with asyncio.Runner() as runner:
        briefer = Briefer.from_settings(settings)
        try:
            if interactive:
                _enable_line_editing(settings.chat_history_file)
                newest = briefer.knowledge.newest_first
                more = f" and {len(newest) - 3} more" if len(newest) > 3 else ""
                titles = "; ".join(a.title for a in newest[:3]) + more
                print(f"briefbot ({briefer.engine_name} engine). I know: {titles}\n{HELP}")
            _converse(runner, briefer, conversation_id, lang, interactive)
        finally:
            runner.run(briefer.aclose())
            if interactive:
                _save_history(settings.chat_history_file)
    return 0


def _converse(runner: asyncio.Runner, briefer, conversation_id: str, lang: str | None, interactive: bool) -> None:
    last = _LastReply(briefer.store, conversation_id)
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
        command = parse_line(last.follow_up(line) or line)
        if command.kind == "ask" and not command.text:
            continue
        if not interactive:
            print(f"> {line.strip()}")
        if command.kind == "quit":
            return
        if command.kind == "rate":
            print(runner.run(last.rate(command.rating, command.text)), flush=True)
            continue
        if command.kind in ("help", "error"):
            print("\n".join(filter(None, [command.text, HELP if command.kind == "help" else ""])), flush=True)
            continue
        if command.kind == "brief":
            language = command.language or lang or DEFAULT_LANGUAGE
            call = _show(_once(briefer.brief(lang=language, conversation_id=conversation_id)))
        else:
            call = _show(briefer.answer_stream(command.text, conversation_id=conversation_id, lang=lang))
        try:
            reply = runner.run(call)
        except KeyboardInterrupt:
            print("\n(interrupted)", flush=True)
            continue
        last.replace(reply, command.text if command.kind == "ask" else "")
        if not interactive:
            print()


async def _once(reply):
    yield await reply


async def _show(replies) -> object:
    """Print a reply as it grows (a streamed answer shows each verified claim as it arrives),
    then its sources and suggestions; returns the complete reply."""
    printed = ""
    reply = None
    async for reply in replies:
        text = render_terminal_text(reply)
        if text.startswith(printed):
            sys.stdout.write(text[len(printed) :])
            sys.stdout.flush()
            printed = text
    full = render_terminal(reply)
    print(full[len(printed) :] if full.startswith(printed) else f"\n{full}", flush=True)
    return reply


class _LastReply:
    """The reply ``/good`` and ``/bad`` are about; stored for rating only when rated."""

    def __init__(self, store, conversation_id: str) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.reply = None
        self.question = ""
        self.answer_id = ""

    def follow_up(self, line: str) -> str | None:
        """The suggested question a typed number picks, if it picks one."""
        number = line.strip()
        follow_ups = self.reply.follow_ups if self.reply is not None else ()
        return follow_ups[int(number) - 1] if number.isdigit() and 0 < int(number) <= len(follow_ups) else None

    def replace(self, reply, question: str) -> None:
        self.reply, self.question, self.answer_id = reply, question, ""

    async def rate(self, rating: str, reason: str) -> str:
        if self.reply is None:
            return "Nothing to rate yet: ask a question first."
        if not self.answer_id:
            self.answer_id = await keep_for_rating(
                self.store, self.reply, platform="terminal", question=self.question,
                conversation_id=self.conversation_id,
            )  # fmt: skip
        await rate(self.store, self.answer_id, platform="terminal", user_id=_user(), rating=rating, reason=reason)
        return "Thanks, noted 👍." if rating == "up" else "Thanks, noted 👎: it will be reviewed."


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "terminal"


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
