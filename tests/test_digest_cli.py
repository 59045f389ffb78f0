"""``python -m bot digest`` as real processes against the fake Slack and one SQLite store."""

import asyncio
import datetime as dt
import os
import sys

from bot.config import PROJECT_ROOT
from bot.store.database import Store
from tests.digest_helpers import (
    SLACK_TOKEN,
    knowledge_copy,
    slack_posts,
    subscribe,
)

PROCESS_LIMIT = 60  # seconds: a guard against a hung process, not an assertion


def environment(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "BRIEFBOT_", "OPENAI_"))}
    env.update(
        PYTHONPATH=str(PROJECT_ROOT),
        BRIEFBOT_ENGINE="offline",
        BRIEFBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'briefbot.sqlite3'}",
        BRIEFBOT_KNOWLEDGE_DIR=str(knowledge_copy(tmp_path)),
        **extra,
    )
    return env


def subscribe_due_now(tmp_path, channel: str = "C1") -> None:
    """A subscription whose time came a minute ago (UTC), created before the processes start."""
    store = Store(f"sqlite:///{tmp_path / 'briefbot.sqlite3'}")
    minute_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    subscribe(store, "slack", channel, minute_ago.strftime("%H:%M"), "UTC", "en")
    store.close()


async def run_digest(env: dict, tmp_path, *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "digest", *args, env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), PROCESS_LIMIT)
    return process.returncode, out.decode(), err.decode()


async def test_two_processes_started_together_post_exactly_one_message(slack_api, tmp_path):
    subscribe_due_now(tmp_path)
    env = environment(tmp_path, SLACK_BOT_TOKEN=SLACK_TOKEN, SLACK_API_URL=slack_api.api_url)
    results = await asyncio.gather(run_digest(env, tmp_path, "--once"), run_digest(env, tmp_path, "--once"))
    assert [code for code, _, _ in results] == [0, 0], results
    assert len(slack_posts(slack_api, "C1")) == 1
    outputs = sorted(out.strip() for _, out, _ in results)
    assert outputs[0] == "no digest due" and outputs[1].startswith("slack C1 (") and "posted" in outputs[1]


async def test_dry_run_prints_what_would_be_posted_where_and_posts_nothing(slack_api, tmp_path):
    subscribe_due_now(tmp_path)
    env = environment(tmp_path, SLACK_BOT_TOKEN=SLACK_TOKEN, SLACK_API_URL=slack_api.api_url)
    code, out, _ = await run_digest(env, tmp_path, "--once", "--dry-run")
    assert code == 0
    assert out.startswith("slack C1 (") and "dry-run: would post:" in out and "Today's digest" in out
    assert slack_api.calls == []


async def test_without_any_platform_token_it_says_so(tmp_path):
    code, _, err = await run_digest(environment(tmp_path), tmp_path, "--once")
    assert code == 2
    assert "no platform to post to: set SLACK_BOT_TOKEN and/or DISCORD_TOKEN" in err


async def test_dry_run_goes_with_once(tmp_path):
    code, _, err = await run_digest(environment(tmp_path), tmp_path, "--serve", "--dry-run")
    assert code == 2 and "--dry-run goes with --once" in err
