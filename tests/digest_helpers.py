"""Shared set-up for the digest tests: a frozen clock, the real core, posters on the fake platforms."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import aiohttp

from bot.config import PROJECT_ROOT, Settings
from bot.digest.posters import ChannelPacer
from bot.digest.runner import DigestRunner
from bot.platforms.discord.digest_poster import DiscordDigestPoster, discord_rest
from bot.platforms.slack.digest_poster import SlackDigestPoster
from bot.platforms.slack.web_client import slack_web_client
from bot.store.database import Subscription
from tests.conftest import postgres_schema
from tests.fakes.discord_server import GUILD_ID
from tests.fakes.slack_server import TEAM_ID

SLACK_TOKEN = "xoxb-digest-test"
DISCORD_TOKEN = "discord-digest-test"
UTC = dt.UTC


class FrozenClock:
    """``now`` stands still until a test moves it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, now: dt.datetime) -> None:
        self.now = now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


async def no_sleep(_seconds: float) -> None:
    return None


def digest_settings(tmp_path: Path, *, slack=None, discord=None, database_url: str = "", **overrides) -> Settings:
    values = {
        "engine": "offline",
        "database_url": database_url or f"sqlite:///{tmp_path / 'briefbot.sqlite3'}",
        "knowledge_dir": knowledge_copy(tmp_path),
    }
    if slack is not None:
        values.update(slack_bot_token=SLACK_TOKEN, slack_api_url=slack.api_url)
    if discord is not None:
        values.update(discord_token=DISCORD_TOKEN, discord_api_url=discord.api_url)
    return Settings(**{**values, **overrides})


def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of knowledge/, so a test can change an article."""
    folder = tmp_path / "knowledge"
    if not folder.exists():
        shutil.copytree(PROJECT_ROOT / "knowledge", folder)
    return folder


def change_article(settings: Settings) -> None:
    """Edit the article file (a new version) the way an editor would."""
    path = next(settings.knowledge_dir.glob("*.yaml"))
    path.write_text(path.read_text() + "\n# corrected on a later day\n")


def subscribe(store, platform: str, channel: str, time_of_day: str = "08:30", timezone: str = "Europe/Rome",
              language: str = "it", *, always: bool = False) -> Subscription:  # fmt: skip
    workspace = TEAM_ID if platform == "slack" else str(GUILD_ID)
    sub = Subscription(platform, channel, workspace, time_of_day, timezone, language, always, created_by="U1")
    store.save_subscription(sub)
    return sub


@asynccontextmanager
async def slack_poster(fake, *, pacer: ChannelPacer | None = None):
    settings = Settings(slack_bot_token=SLACK_TOKEN, slack_api_url=fake.api_url)
    async with aiohttp.ClientSession() as session:
        client = slack_web_client(settings, session=session, sleep=no_sleep, jitter=0)
        yield SlackDigestPoster(client, pacer or ChannelPacer(sleep=no_sleep))


@asynccontextmanager
async def discord_poster(fake, *, pacer: ChannelPacer | None = None):
    settings = Settings(discord_token=DISCORD_TOKEN, discord_api_url=fake.api_url)
    async with discord_rest(settings) as http:
        yield DiscordDigestPoster(http, pacer or ChannelPacer(sleep=no_sleep))


def runner(briefer, clock: FrozenClock, *, concurrency: int | None = None, **posters) -> DigestRunner:
    options = {"concurrency": concurrency} if concurrency else {}
    return DigestRunner(briefer, posters, clock=clock, instance="test", **options)


def slack_posts(fake, channel: str | None = None) -> list:
    """Digests as users see them: top-level chat.postMessage calls (thread continuations excluded)."""
    return [
        c for c in fake.calls_to("chat.postMessage")
        if not c.args.get("thread_ts") and (channel is None or c.args.get("channel") == channel)
    ]  # fmt: skip


@contextmanager
def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL: SQLite, or the local PostgreSQL in a schema of its own (dropped after).

    PostgreSQL unreachable: the test is skipped, saying why, except when CI is set."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    with postgres_schema("digest_test") as url:
        yield url
