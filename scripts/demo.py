"""``make demo``: briefbot answering on a fake Slack and a fake Discord, with no account anywhere.

Starts the local fakes of Slack, Discord and OpenAI (``tests/fakes/``) on free loopback ports and
the real bot process (``python -m bot serve``) pointed at them, then plays a user: a signed
``/ask``, an @-mention and a follow-up in its thread on Slack, an @-mention on Discord. Prints what
each platform received, stops the bot with SIGTERM (as a process manager would) and the fakes.
Exits 0 when every question got a cited answer and the bot stopped cleanly, 1 otherwise.

The fake model quotes the passage of the shipped article that best matches each question
(``tests/fakes/quoting_model.py``): real answers through the bot's own grounding checks, but no
language model's wording.

    .venv/bin/python scripts/demo.py
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

import aiohttp  # noqa: E402

from tests.fakes.describe import (  # noqa: E402
    SHOWN_SLACK,
    describe_discord_request,
    describe_openai_request,
    describe_slack_call,
    slack_text,
)
from tests.fakes.discord_server import FakeDiscord  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402
from tests.fakes.quoting_model import quoting_reply  # noqa: E402
from tests.fakes.slack_server import BOT_USER_ID, TEAM_ID, FakeSlack  # noqa: E402

SIGNING_SECRET = "demo-signing-secret"
CHANNEL, USER = "C0000001", "U0000001"
CITED = re.compile(r"openai-aws/p\d+|\[\d+\]")  # Slack shows passage ids, Discord numbered sources
START_LIMIT = 60.0  # seconds: safety nets against a hung demo, never a measure
ANSWER_LIMIT = 30.0
QUIET = 0.5  # seconds without a new post once the answer is in: its edits and extras have landed


class DemoFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_env(database: Path, slack: FakeSlack, discord: FakeDiscord, model: FakeOpenAI) -> dict[str, str]:
    """The demo's settings only: none of the operator's own keys or tokens reach the bot."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        NO_PROXY="127.0.0.1,localhost",
        BRIEFBOT_DATABASE_URL=f"sqlite:///{database}",
        BRIEFBOT_ENGINE="openai",
        BRIEFBOT_STREAM_ANSWERS="false",  # one finished message per answer: easier to read here
        OPENAI_API_KEY="sk-demo",
        OPENAI_BASE_URL=model.base_url,
        SLACK_BOT_TOKEN="xoxb-demo",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        DISCORD_TOKEN="demo",
        DISCORD_API_URL=discord.api_url,
        DISCORD_GATEWAY_URL=discord.gateway_url,
    )
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(name, None)
    return env


class SignedSlack:
    """Posts to the bot's /slack/events what Slack would, signed with the signing secret."""

    def __init__(self, session: aiohttp.ClientSession, url: str, slack: FakeSlack) -> None:
        self.session, self.url, self.slack = session, url, slack
        self.events = 0

    async def _post(self, body: str, content_type: str) -> tuple[int, str]:
        timestamp = str(int(time.time()))
        digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
                   "X-Slack-Signature": f"v0={digest}"}  # fmt: skip
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            return response.status, await response.text()

    async def command(self, name: str, text: str) -> tuple[int, str]:
        form = {"team_id": TEAM_ID, "channel_id": CHANNEL, "channel_name": "general", "user_id": USER,
                "user_name": "ada", "command": name, "text": text, "response_url": self.slack.response_url("ask"),
                "trigger_id": "1.2.3", "api_app_id": "A1"}  # fmt: skip
        return await self._post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")

    async def event(self, event: dict) -> tuple[int, str]:
        self.events += 1
        envelope = {"team_id": TEAM_ID, "api_app_id": "A1", "event": event, "type": "event_callback",
                    "event_id": f"EvDemo{self.events:06d}", "event_time": int(time.time()),
                    "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}]}  # fmt: skip
        return await self._post(json.dumps(envelope), "application/json")


class Show:
    """Prints what each fake received since the last step."""

    def __init__(self, slack: FakeSlack, discord: FakeDiscord, model: FakeOpenAI) -> None:
        self.sources = {
            "Slack": (lambda: [c for c in slack.calls if c.method in SHOWN_SLACK], describe_slack_call),
            "Discord": (lambda: [r for r in discord.requests if _shows_text(r)], describe_discord_request),
            "OpenAI": (lambda: model.requests, describe_openai_request),
        }
        self.seen = {name: 0 for name in self.sources}

    def mark(self) -> None:
        self.seen = {name: len(records()) for name, (records, _) in self.sources.items()}

    def new(self, name: str) -> list:
        return self.sources[name][0]()[self.seen[name] :]

    def print_new(self) -> None:
        for name, (records, describe) in self.sources.items():
            for record in records()[self.seen[name] :]:
                print(f"  {name} received: {describe(record)}")
        self.mark()


def _ack_text(body: str) -> str:
    try:
        return slack_text(json.loads(body))
    except (ValueError, AttributeError):
        return body.strip()


def _shows_text(request) -> bool:
    return request.method in ("POST", "PATCH") and isinstance(request.body, dict) and bool(
        request.body.get("content") or (request.body.get("data") or {}).get("content"))  # fmt: skip


async def wait_for_answer(show: Show, platform: str, text_of: Callable[[object], str]) -> str:
    """Wait for a cited answer on ``platform`` (then a quiet moment for its edits); its text."""
    deadline = time.monotonic() + ANSWER_LIMIT
    while time.monotonic() < deadline:
        cited = [text_of(r) for r in show.new(platform) if CITED.search(text_of(r))]
        if cited:
            count = len(show.new(platform))
            await asyncio.sleep(QUIET)
            if len(show.new(platform)) == count:
                return cited[-1]
            continue
        await asyncio.sleep(0.05)
    show.print_new()
    raise DemoFailed(f"no cited answer arrived on {platform} within {ANSWER_LIMIT:.0f} s")


async def wait_until_up(url: str, bot: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + START_LIMIT
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if bot.returncode is not None:
                raise DemoFailed(f"the bot exited at start:\n{log.read_text(errors='replace')}")
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise DemoFailed(f"the bot did not answer on {url} within {START_LIMIT:.0f} s")


async def play(slack: FakeSlack, discord: FakeDiscord, model: FakeOpenAI, workdir: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = bot_env(workdir / "demo.sqlite3", slack, discord, model)
    log = workdir / "bot.log"
    print(f"Fake Slack   {slack.api_url}\nFake Discord {discord.api_url}\nFake OpenAI  {model.base_url}")
    print(f"Starting the bot: python -m bot serve --port {port} (log: {log})\n", flush=True)
    with open(log, "wb") as out:
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1",
                                                   "--port", str(port), cwd=ROOT, env=env, stdout=out,
                                                   stderr=asyncio.subprocess.STDOUT)  # fmt: skip
    try:
        await wait_until_up(base + "/healthz", bot, log)
        await asyncio.wait_for(discord.wait_for_identify(), START_LIMIT)
        await _conversations(slack, discord, model, base)
        bot.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(bot.wait(), START_LIMIT)
        if code != 0:
            raise DemoFailed(f"the bot exited with {code} on SIGTERM:\n{log.read_text(errors='replace')}")
        print(f"The bot stopped cleanly on SIGTERM (exit {code}).")
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()


async def _conversations(slack: FakeSlack, discord: FakeDiscord, model: FakeOpenAI, base: str) -> None:
    show = Show(slack, discord, model)
    show.mark()
    slack_says = lambda call: slack_text(call.args)  # noqa: E731
    async with aiohttp.ClientSession() as session:
        sender = SignedSlack(session, base + "/slack/events", slack)

        question = "How much is the deal between OpenAI and AWS worth?"
        print(f"== Slack: /ask {question}")
        status, ack = await sender.command("/ask", question)
        print(f"  the bot acknowledged: HTTP {status} {_ack_text(ack)}".rstrip())
        await wait_for_answer(show, "Slack", slack_says)
        show.print_new()

        question = "Who is the CEO of AWS?"
        mention_ts = "1700000100.000100"
        print(f"\n== Slack: @briefbot {question}")
        event = {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER_ID}> {question}", "ts": mention_ts,
                 "channel": CHANNEL, "event_ts": mention_ts}  # fmt: skip
        await sender.event(event)
        await wait_for_answer(show, "Slack", slack_says)
        show.print_new()

        question = "Why did OpenAI need the GPUs?"
        print(f"\n== Slack, in that thread (no mention): {question}")
        follow_up = {"type": "message", "user": USER, "text": question, "ts": "1700000100.000200",
                     "thread_ts": mention_ts, "channel": CHANNEL, "channel_type": "channel"}  # fmt: skip
        await sender.event(follow_up)
        await wait_for_answer(show, "Slack", slack_says)
        show.print_new()

    question = "Quanto vale l'accordo con AWS?"
    print(f"\n== Discord: @briefbot {question}")
    await discord.dispatch("MESSAGE_CREATE", discord.mention(question))
    await wait_for_answer(show, "Discord", lambda r: r.body.get("content") or "")
    show.print_new()
    print()


async def main() -> int:
    slack, discord, model = FakeSlack(), FakeDiscord(), FakeOpenAI(responder=quoting_reply)
    await slack.start()
    await discord.__aenter__()
    await model.start()
    try:
        with tempfile.TemporaryDirectory(prefix="briefbot-demo-") as workdir:
            await play(slack, discord, model, Path(workdir))
    except DemoFailed as failure:
        print(f"\nDemo failed: {failure}", file=sys.stderr)
        return 1
    finally:
        await model.close()
        await discord.__aexit__(None, None, None)
        await slack.stop()
    print("Demo finished: every question got a cited answer.")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
