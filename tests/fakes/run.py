"""Running a fake by hand: ``python -m tests.fakes.slack_server --port 3001`` (likewise
``discord_server`` and ``openai_server``). Prints the settings that point briefbot at it, then
one line for everything the bot sends it, until Ctrl-C.

Lines typed on standard input reach the bot as a user's message: an @-mention of the bot on the
fake Discord, or on the fake Slack in Socket Mode (a Slack bot in HTTP mode is reached with a
signed request instead; ``make demo`` shows one).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from tests.fakes.describe import describe_discord_request, describe_openai_request, describe_slack_call
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.quoting_model import quoting_reply
from tests.fakes.slack_server import BOT_USER_ID, FakeSlack

POLL_SECONDS = 0.1
FAKES = {"slack": "Slack", "discord": "Discord", "openai": "OpenAI"}


def main(fakes: list[str], argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog=f"python -m tests.fakes.{fakes[0]}_server",
        description=f"Run the local fake {FAKES[fakes[0]]} on 127.0.0.1 until Ctrl-C.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free one)")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535 (got {args.port})")
    try:
        asyncio.run(serve(fakes[0], args.port))
    except OSError as error:  # the port is taken, or not ours to bind
        sys.exit(f"cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}")


async def serve(kind: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    fake, close, settings, describe, records, on_line = await _start(kind, port)
    try:
        print(f"Fake {FAKES[kind]} listening on 127.0.0.1:{fake.port}. Point briefbot at it with:")
        for line in settings:
            print(f"  {line}")
        if on_line is not None:
            print("Type a line to send it to the bot as a user's @-mention. Ctrl-C to stop.")
            _read_lines(loop, on_line)
        else:
            print("Ctrl-C to stop.")
        sys.stdout.flush()
        await _print_records(records, describe, stop)
    finally:
        await close()
    print(f"Fake {FAKES[kind]} stopped.", flush=True)


async def _start(kind: str, port: int):
    if kind == "slack":
        slack = FakeSlack()
        slack.port = port
        await slack.start()
        settings = [f"SLACK_API_URL={slack.api_url}", "SLACK_BOT_TOKEN=xoxb-local  SLACK_SIGNING_SECRET=local",
                    "SLACK_APP_TOKEN=xapp-local  (for Socket Mode: `briefbot slack`)"]  # fmt: skip
        return slack, slack.stop, settings, describe_slack_call, lambda: slack.calls, _slack_mention(slack)
    if kind == "discord":
        discord = FakeDiscord()
        discord.port = port
        await discord.__aenter__()
        settings = [f"DISCORD_API_URL={discord.api_url}", f"DISCORD_GATEWAY_URL={discord.gateway_url}",
                    "DISCORD_TOKEN=local"]  # fmt: skip
        closing = discord.__aexit__
        return discord, lambda: closing(None, None, None), settings, describe_discord_request, \
            lambda: discord.requests, _discord_mention(discord)  # fmt: skip
    if kind == "openai":
        model = FakeOpenAI(responder=quoting_reply)
        model.port = port
        await model.start()
        settings = [f"OPENAI_BASE_URL={model.base_url}", "OPENAI_API_KEY=sk-local  BRIEFBOT_ENGINE=openai"]
        return model, model.close, settings, describe_openai_request, lambda: model.requests, None
    raise ValueError(f"unknown fake {kind!r}: one of {', '.join(FAKES)}")


def _slack_mention(slack: FakeSlack) -> Callable[[str], Any]:
    count = 0

    async def send(text: str) -> None:
        nonlocal count
        count += 1
        ts = f"1800000000.{count:06d}"
        event = {"type": "app_mention", "user": "U0000001", "text": f"<@{BOT_USER_ID}> {text}", "ts": ts,
                 "channel": "C0000001", "event_ts": ts}  # fmt: skip
        payload = {"team_id": slack.identity["team_id"], "api_app_id": "A1", "event": event, "type": "event_callback",
                   "event_id": f"EvLocal{count:06d}", "event_time": 1800000000}  # fmt: skip
        try:
            await slack.send_envelope("events_api", payload)
        except IndexError:
            print("  (no bot connected over Socket Mode: start `briefbot slack` with the settings above)", flush=True)

    return send


def _discord_mention(discord: FakeDiscord) -> Callable[[str], Any]:
    async def send(text: str) -> None:
        await discord.dispatch("MESSAGE_CREATE", discord.mention(text))

    return send


def _read_lines(loop: asyncio.AbstractEventLoop, on_line: Callable[[str], Any]) -> None:
    """Standard input read by a daemon thread (a blocked read never holds up Ctrl-C), each
    non-empty line handed to ``on_line`` on the event loop."""

    def read() -> None:
        for line in sys.stdin:
            if line.strip():
                asyncio.run_coroutine_threadsafe(on_line(line.strip()), loop)

    threading.Thread(target=read, name="fake-stdin", daemon=True).start()


async def _print_records(records: Callable[[], list], describe: Callable[[Any], str | None], stop) -> None:
    shown = 0
    while not stop.is_set():
        recorded = records()
        for record in recorded[shown:]:
            line = describe(record)
            if line:
                print(f"  <- {line}", flush=True)
        shown = len(recorded)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), POLL_SECONDS)
