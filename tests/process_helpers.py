"""Running the real bot as a user's process manager would: ``python -m bot ...`` in a subprocess,
talking over loopback to the fakes that the test runs in its own event loop."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from tests.slack_helpers import BOT_TOKEN, SIGNING_SECRET, SlackSender

ROOT = Path(__file__).resolve().parent.parent
START_LIMIT = 30.0  # seconds: a safety net against a hung start, never part of an assertion
WAIT_LIMIT = 30.0  # seconds: the same, for ``wait_until``


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """A clean environment: none of the developer's keys, a fresh SQLite file, the checkout on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        BRIEFBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        BRIEFBOT_ENGINE="offline",
    )
    env.update(values)
    return env


def slack_env(tmp_path: Path, fake_slack, fake_openai=None, **values: str) -> dict[str, str]:
    extra = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake_slack.api_url}
    if fake_openai is not None:
        extra.update(BRIEFBOT_ENGINE="openai", OPENAI_API_KEY="sk-test-key", OPENAI_BASE_URL=fake_openai.base_url,
                     BRIEFBOT_MODEL_ATTEMPTS="1")  # fmt: skip
    return bot_env(tmp_path, **{**extra, **values})


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log_path: Path
    url: str = ""

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def signal(self, sig: int = signal.SIGTERM) -> None:
        self.process.send_signal(sig)

    async def exit_code(self, limit: float = START_LIMIT) -> int:
        return await asyncio.wait_for(self.process.wait(), limit)

    @property
    def running(self) -> bool:
        return self.process.returncode is None


@asynccontextmanager
async def bot_process(env: dict[str, str], *args: str, ready_url: str = ""):
    """Start ``python -m bot *args``; with ``ready_url``, wait until it answers there. Killed at
    the end if still running. Output goes to a file (a full pipe would block the bot)."""
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"briefbot-{os.getpid()}-{time.monotonic_ns()}.log"
    with open(log_path, "wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=ROOT, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT
        )
    bot = BotProcess(process, log_path, ready_url)
    try:
        if ready_url:
            await _wait_until_up(bot, ready_url)
        yield bot
    finally:
        if bot.running:
            process.kill()
            await process.wait()


async def _wait_until_up(bot: BotProcess, url: str) -> None:
    deadline = time.monotonic() + START_LIMIT
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if not bot.running:
                raise AssertionError(f"the bot exited at start:\n{bot.log}")
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"the bot did not start:\n{bot.log}")


@asynccontextmanager
async def slack_http_bot(env: dict[str, str], fake_slack, *, until: str = "/healthz"):
    """``python -m bot slack --http`` on a free port, and a sender of signed requests to it; the
    process is up once ``until`` answers 200 (``/readyz``: connected, its store open and knowledge loaded)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ready = base + until
    async with (
        bot_process(env, "slack", "--http", "--port", str(port), ready_url=ready) as bot,
        aiohttp.ClientSession() as session,
    ):
        yield bot, SlackSender(session, base + "/slack/events", fake_slack)


async def wait_until(condition, limit: float = WAIT_LIMIT) -> None:
    """Poll ``condition()`` until it is true; past ``limit`` seconds, fail the test."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)
