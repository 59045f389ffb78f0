"""Running the real Discord adapter (discord.py) against the fake Discord, with the real core."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from bot.adapters.discord import build_discord_client
from bot.config import Settings
from bot.core import Briefer
from bot.reply import Reply
from tests.fakes.discord_server import WAIT_TIMEOUT, FakeDiscord

TOKEN = "discord-test-token"
GROUNDED_ANSWER = "The deal is worth 38 billion dollars over seven years [openai-aws/p3]."
ARTICLE_TITLE = "OpenAI sceglie AWS"
PUBLISHED = "2025-11-04"


def discord_settings(fake: FakeDiscord, tmp_path, **overrides) -> Settings:
    values = {
        "engine": "offline",
        "database_url": f"sqlite:///{tmp_path / 'briefbot.sqlite3'}",
        "discord_token": TOKEN,
        "discord_api_url": fake.api_url,
        "discord_gateway_url": fake.gateway_url,
    }
    return Settings(**{**values, **overrides})


class ScriptedModel:
    """A ChatModel that returns (or raises) its queued steps in order, then ``GROUNDED_ANSWER``."""

    name = "openai"

    def __init__(self, *steps: str | Exception) -> None:
        self.steps = deque(steps)
        self.calls: list[list[dict[str, str]]] = []

    async def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 600) -> str:
        self.calls.append(messages)
        step = self.steps.popleft() if self.steps else GROUNDED_ANSWER
        if isinstance(step, Exception):
            raise step
        return step


class CannedBriefer:
    """Stands in for the core where a test needs a reply the real core would never let through
    (unverifiable text) or a core that raises."""

    def __init__(self, reply: Reply | Exception) -> None:
        self.reply = reply
        self.store = self

    def claim_event(self, key: str) -> bool:
        return True

    async def answer(self, question: str, *, conversation_id: str | None = None, lang: str | None = None) -> Reply:
        return self._give()

    async def brief(self, *, lang: str = "it", conversation_id: str | None = None) -> Reply:
        return self._give()

    async def has_conversation(self, conversation_id: str) -> bool:
        return False

    def _give(self) -> Reply:
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


@asynccontextmanager
async def real_briefer(settings: Settings, model: ScriptedModel | None = None) -> AsyncIterator[Briefer]:
    briefer = Briefer.from_settings(settings, model=model)
    try:
        yield briefer
    finally:
        await briefer.aclose()


@asynccontextmanager
async def running_bot(settings: Settings, briefer, **options):
    """The adapter's client connected to the fake and ready (guilds received); closed on exit."""
    client = build_discord_client(settings, briefer, guild_ready_timeout=0.01, **options)

    async def run() -> None:
        async with client:
            await client.start(settings.discord_token)

    running = asyncio.create_task(run())
    ready = asyncio.create_task(client.wait_until_ready())
    await asyncio.wait({running, ready}, timeout=WAIT_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    if not ready.done():
        ready.cancel()
        await running if running.done() else running.cancel()
        raise AssertionError("the Discord client did not become ready")
    try:
        yield client
    finally:
        await client.close()
        with suppress(asyncio.CancelledError):
            await running


def is_message_to(channel_id: int):
    return lambda r: r.method == "POST" and r.path == f"/channels/{channel_id}/messages"
