"""End to end over loopback, in separate processes: two Slack replicas (HTTP mode), the Discord
worker and the digest clock run on one PostgreSQL, each with its own knowledge folder (they share
only the database). An article ingested by a fifth process is answered by all of them within
60 s, without a restart, and the next digest in a subscribed channel covers it and only it."""

import asyncio
import datetime as dt
import os
import shutil
import socket
import sys
import time

import aiohttp
import pytest

from bot.config import PROJECT_ROOT
from bot.store.database import Store, Subscription
from tests.digest_helpers import fresh_database
from tests.fakes.slack_server import TEAM_ID
from tests.slack_helpers import BOT_TOKEN, SIGNING_SECRET, SlackSender, blocks_text

ARTICLE = """Nvidia presenta il chip Rubin

Il nuovo acceleratore arriva nel 2026.

Tags: hardware, ai

2026-03-18

Nvidia ha presentato Rubin, il successore di Blackwell, alla conferenza GTC di San Jose. \
Il chip offre il triplo delle prestazioni per watt.

Le prime consegne ai clienti cloud sono previste per il terzo trimestre del 2026.
"""
NEW_ID = "nvidia-presenta-il-chip-rubin"
QUESTION = "Chi ha presentato Rubin?"
DEADLINE = 60.0  # seconds: the bound for an article to reach every process


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir) -> None:
        self.name, self.args, self.env = name, args, env
        self.log = log_dir / f"{name}.log"
        self.proc = None

    async def start(self) -> "Process":
        self._file = self.log.open("wb")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *self.args, cwd=PROJECT_ROOT, env=self.env,
            stdout=self._file, stderr=self._file,
        )  # fmt: skip
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    async def stop(self) -> None:
        if self.proc and self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        self._file.close()


async def eventually(check, *, timeout: float, what: str, every: float = 0.25):
    end = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        await asyncio.sleep(every)


@pytest.fixture
def database(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        yield url


async def test_an_ingested_article_reaches_every_process_and_the_next_digest(slack_api, fake_discord, tmp_path,
                                                                            database):  # fmt: skip
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    base.update(PYTHONPATH=str(PROJECT_ROOT), BRIEFBOT_DATABASE_URL=database, BRIEFBOT_ENGINE="offline",
                BRIEFBOT_KNOWLEDGE_POLL_SECONDS="1", NO_PROXY="127.0.0.1,localhost")  # fmt: skip

    def env_for(disk: str, **values) -> dict[str, str]:
        folder = tmp_path / disk
        folder.mkdir()
        shutil.copy(PROJECT_ROOT / "knowledge" / "openai-aws.yaml", folder / "openai-aws.yaml")
        return {**base, "BRIEFBOT_KNOWLEDGE_DIR": str(folder), **values}

    slack_env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                 "SLACK_API_URL": slack_api.api_url}  # fmt: skip
    discord_env = {"DISCORD_TOKEN": "discord-e2e", "DISCORD_API_URL": fake_discord.api_url,
                   "DISCORD_GATEWAY_URL": fake_discord.gateway_url}  # fmt: skip
    ports = [free_port(), free_port()]
    store = Store(database)
    now = dt.datetime.now(dt.UTC)
    store.save_subscription(Subscription("slack", "C1", TEAM_ID, f"{now:%H:%M}", "UTC", "it", created_by="U1"))
    processes = [
        Process("slack-a", ["slack", "--http", "--port", str(ports[0])], env_for("a", **slack_env), tmp_path),
        Process("slack-b", ["slack", "--http", "--port", str(ports[1])], env_for("b", **slack_env), tmp_path),
        Process("discord", ["discord"], env_for("c", **discord_env), tmp_path),
        Process("digest", ["digest", "--serve"], env_for("d", **slack_env), tmp_path),
    ]
    try:
        for process in processes:
            await process.start()
        async with aiohttp.ClientSession() as session:
            senders = [SlackSender(session, f"http://127.0.0.1:{port}/slack/events", slack_api) for port in ports]

            async def healthy(port=None):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                        return response.status == 200
                except aiohttp.ClientError:
                    return False

            for port in ports:
                await eventually(lambda p=port: healthy(p), timeout=60, what=f"Slack replica on {port} up")
            await asyncio.wait_for(fake_discord.wait_for_identify(), 60)
            first_digest = await eventually(lambda: _posts(slack_api, "C1"), timeout=60, what="the first digest")
            assert "OpenAI sceglie AWS" in blocks_text(first_digest[0]) and "Rubin" not in blocks_text(first_digest[0])

            async def slack_answer(sender) -> str:
                seen = len(_answers(slack_api))
                await sender.command("/ask", QUESTION)
                await eventually(lambda: _count_above(slack_api, seen), timeout=20, what="an /ask answer")
                return blocks_text(_answers(slack_api)[-1])

            assert "non lo dice" in await slack_answer(senders[0])  # before: nobody knows the article

            ingest = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "ingest", "-", cwd=PROJECT_ROOT, env=env_for("e"),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            _, err = await ingest.communicate(ARTICLE.encode())
            assert ingest.returncode == 0, err.decode()
            ingested_at = time.monotonic()

            async def answered_by(sender) -> bool:
                return f"{NEW_ID}/p3" in await slack_answer(sender)

            for sender in senders:
                await eventually(
                    lambda s=sender: answered_by(s), timeout=DEADLINE, what="a Slack replica answers", every=1
                )

            async def discord_answers() -> bool:
                interaction = fake_discord.interaction("ask", {"question": QUESTION})
                await fake_discord.dispatch("INTERACTION_CREATE", interaction)
                *_, follow_up = await fake_discord.wait_for(
                    lambda r: r.method == "POST" and interaction["token"] in r.path and "webhooks" in r.path
                )
                return "Nvidia ha presentato Rubin" in (follow_up.body or {}).get("content", "")

            await eventually(discord_answers, timeout=DEADLINE, what="the Discord worker answers", every=1)
            digest = processes[3]
            await eventually(_async(lambda: "knowledge reloaded: 2 articles" in digest.output()), timeout=DEADLINE,
                             what="the digest clock reloads")  # fmt: skip
            assert time.monotonic() - ingested_at <= DEADLINE

            # The next digest of a channel that was already told about the OpenAI-AWS article.
            store.record_digested("slack", "C2", {"openai-aws": _shipped_version()})
            later = dt.datetime.now(dt.UTC)
            store.save_subscription(
                Subscription("slack", "C2", TEAM_ID, f"{later:%H:%M}", "UTC", "it", created_by="U1")
            )
            [next_digest] = await eventually(lambda: _posts(slack_api, "C2"), timeout=45, what="the next digest")
            shown = blocks_text(next_digest)
            assert "Nvidia presenta il chip Rubin" in shown and "OpenAI sceglie AWS" not in shown
            assert f"{NEW_ID}/p" in shown and "openai-aws/p" not in shown
    finally:
        for process in processes:
            await process.stop()
        store.close()
    for process in processes:
        assert "Traceback" not in process.output(), process.output()[-3000:]


def _answers(fake) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") not in ("C1", "C2")]


async def _count_above(fake, seen: int) -> bool:
    return len(_answers(fake)) > seen


async def _posts(fake, channel: str) -> list:
    return [
        c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == channel and not c.args.get("thread_ts")
    ]


def _async(check):
    async def run():
        return check()

    return run


def _shipped_version() -> str:
    from bot.knowledge.articles import load_article

    return load_article(PROJECT_ROOT / "knowledge" / "openai-aws.yaml").version
