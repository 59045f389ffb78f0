"""The command line, ``briefbot`` or ``python -m bot`` (README.md, "Commands"). Heavy libraries load only
in the command that needs them, so ``briefbot --help`` starts fast. Each platform of the registry adds
its own command (``briefbot slack``, ``briefbot discord``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable

from bot.cli.db_command import add_arguments as add_db_arguments
from bot.cli.ingest_command import add_arguments as add_ingest_arguments
from bot.config import ConfigError, Settings
from bot.language.languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from bot.platforms.registry import PLATFORMS


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not getattr(args, "command", None):
        _parser().print_help()
        return 0
    try:
        settings = Settings.from_env()
        from bot.logs import configure_logging

        configure_logging(settings, args.log_level)
        return args.run(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`briefbot ask --json ... | head`): nothing left to say
        _silence_stdout()
        return 141
    except Exception as error:  # one clear line, never a traceback, for the errors users can fix
        if not _is_user_error(error):
            raise
        print(f"briefbot: error: {error}", file=sys.stderr)
        return 2


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush does not fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _is_user_error(error: Exception) -> bool:
    from bot.engines.model.prompts import PromptError
    from bot.ingest.sources import SourceError
    from bot.knowledge.articles import KnowledgeError
    from bot.store.records import StoreError

    return isinstance(error, ConfigError | KnowledgeError | PromptError | StoreError | SourceError)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot",
        description="briefbot: briefs a team on the articles in knowledge/ and answers follow-ups, with citations.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, run: Callable, help_text: str, *, log_level: int = logging.ERROR) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run, log_level=log_level)
        return sub

    brief = command("brief", _brief, "print a short briefing on the articles")
    brief.add_argument("--lang", choices=SUPPORTED_LANGUAGES, default=DEFAULT_LANGUAGE,
                       help=f"language of the briefing (default: {DEFAULT_LANGUAGE})")
    brief.add_argument("--json", action="store_true", help="print one JSON object")

    ask = command("ask", _ask, "answer one question from the articles")
    ask.add_argument("question", nargs="*", help="the question (quote it)")
    ask.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help="answer language (default: the question's)")
    ask.add_argument("--conversation", metavar="ID", help="continue the conversation with this id")
    ask.add_argument("--json", action="store_true", help="print one JSON object")

    chat = command("chat", _chat, "chat in the terminal (questions line by line, from a terminal or a pipe)")
    chat.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help="answer language (default: each question's)")
    chat.add_argument("--conversation", metavar="ID", help="continue the conversation with this id")

    evaluate = command("eval", _eval, "grounding and accuracy report on a JSONL question set")
    evaluate.add_argument("file", nargs="?", help="JSONL file (default: the shipped eval/questions.jsonl)")

    feedback = command("feedback", _feedback, "report the 👍/👎 feedback; export disliked answers as eval items")
    feedback.add_argument("--latest", type=int, default=10, metavar="N", help="disliked answers to show (default 10)")
    feedback.add_argument("--export-eval", metavar="FILE", help="write the disliked answers as eval JSONL items")

    digest = command("digest", _digest, "post the daily digest to subscribed channels", log_level=logging.INFO)
    when = digest.add_mutually_exclusive_group(required=True)
    when.add_argument("--once", action="store_true", help="run one pass now and exit")
    when.add_argument("--serve", action="store_true", help="keep running the digest scheduler")
    digest.add_argument("--dry-run", action="store_true", help="print what would be posted where; post nothing")

    for platform in PLATFORMS:
        sub = command(platform.name, _run_platform, f"run the {platform.title} bot", log_level=logging.INFO)
        sub.set_defaults(platform=platform)
        platform.add_arguments(sub)

    add_ingest_arguments(command("ingest", _ingest, "add or update an article from a file, a URL or - (stdin)"))
    add_db_arguments(command("db", _db, "upgrade, inspect or downgrade the database schema", log_level=logging.INFO))

    serve = command("serve", _serve, "run every configured platform plus the digest scheduler", log_level=logging.INFO)
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (Slack HTTP mode; default 0.0.0.0)")
    serve.add_argument("--port", type=int, default=3000, help="port to listen on (default 3000)")
    return parser


# --- commands ----------------------------------------------------------------------------


def _brief(args, settings: Settings) -> int:
    reply = _with_briefer(settings, lambda b: _noting_model_problem(b, b.brief(lang=args.lang)))
    _print_reply(reply, as_json=args.json)
    return 0


def _ask(args, settings: Settings) -> int:
    question = " ".join(args.question).strip()
    if not question:
        print('usage: briefbot ask [--lang it|en] [--conversation ID] [--json] "question"', file=sys.stderr)
        print("briefbot: error: the question is empty", file=sys.stderr)
        return 2
    reply = _with_briefer(
        settings,
        lambda b: _noting_model_problem(b, b.answer(question, conversation_id=args.conversation, lang=args.lang)),
    )
    _print_reply(reply, as_json=args.json)
    return 0


def _chat(args, settings: Settings) -> int:
    from bot.cli.terminal_chat import run_chat

    return run_chat(settings, args.conversation, args.lang)


def _eval(args, settings: Settings) -> int:
    from bot.evaluation.evaluator import run_eval

    return asyncio.run(_run_with_briefer(settings, lambda b: run_eval(b, args.file)))


def _feedback(args, settings: Settings) -> int:
    from bot.cli.feedback_command import run_feedback
    from bot.store.database import Store

    store = Store(settings.database_url)
    try:
        return run_feedback(store, latest=max(0, args.latest), export_eval=args.export_eval)
    finally:
        store.close()


def _digest(args, settings: Settings) -> int:
    from bot.cli.digest_command import run_digest_command

    if args.serve:
        from bot.cli.long_running import run_long

        serve = lambda b: run_long(b, lambda _: run_digest_command(settings, b, args))  # noqa: E731
        return asyncio.run(_run_with_briefer(settings, serve, long_running=True))
    return asyncio.run(_run_with_briefer(settings, lambda b: run_digest_command(settings, b, args)))


def _run_platform(args, settings: Settings) -> int:
    return _serve_forever(settings, lambda b: args.platform.run(settings, b, args))


def _serve(args, settings: Settings) -> int:
    from bot.cli.serve import serve_all

    return _serve_forever(settings, lambda b: serve_all(settings, b, host=args.host, port=args.port))


def _ingest(args, settings: Settings) -> int:
    from bot.cli.ingest_command import run_ingest

    return run_ingest(args, settings)


def _db(args, settings: Settings) -> int:
    from bot.cli.db_command import run_db

    return run_db(args, settings)


def _serve_forever(settings: Settings, serve) -> int:
    from bot.cli.long_running import run_long

    asyncio.run(_run_with_briefer(settings, lambda b: run_long(b, serve), long_running=True))
    return 0


# --- helpers -----------------------------------------------------------------------------


def _with_briefer(settings: Settings, call):
    return asyncio.run(_run_with_briefer(settings, call))


async def _run_with_briefer(settings: Settings, call, *, long_running: bool = False):
    from bot.core.briefer import Briefer

    briefer = Briefer.from_settings(settings, long_running=long_running)
    try:
        return await call(briefer)
    finally:
        await briefer.aclose()


async def _noting_model_problem(briefer, answering):
    """The reply; when a configured model was not used, one line on stderr says why."""
    reply = await answering
    if briefer.model_problem and briefer.model is not None and reply.engine != briefer.model.name:
        print(f"briefbot: the model was not used: {briefer.model_problem}", file=sys.stderr)
    return reply


def _print_reply(reply, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(reply.to_json(), ensure_ascii=False))
    else:
        from bot.cli.terminal_render import render_terminal

        print(render_terminal(reply))
