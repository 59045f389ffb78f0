"""Digest scale-out benchmark: one digest pass for N subscribed channels (default 1,000) on the fake
Slack with Slack's rate limits on, a PostgreSQL store, run by 1, 2 and 4 ``briefbot digest --once``
worker processes started together. Prints, per row: workers, seconds (from starting the processes
until the last one exits, start-up included), posting (seconds from the first post to the last),
posts, duplicates, missed, the 429s the fake answered, and how the channels were shared out. Exits 1
when anything was posted twice or missed.

    BRIEFBOT_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/DB \\
        .venv/bin/python bench/digest_scale.py [--channels 1000] [--workers 1,2,4] [--concurrency 16]

The fake answers ``chat.postMessage`` with 429 + Retry-After for a second post to one channel within
1 s (Slack's rule of thumb) and past ``--workspace-per-second`` posts in a second (default 0: off),
and takes ``--latency`` seconds to answer each post (default 0.1, a round trip to Slack's API).
Each run gets a fresh PostgreSQL schema (dropped after) and a fresh fake.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import sqlalchemy as sa

from bot.store.database import Store, Subscription
from tests.fakes.slack_server import TEAM_ID, FakeSlack

ROOT = Path(__file__).resolve().parent.parent
PROCESS_LIMIT = 600.0  # seconds: a guard against a hung worker, not a target
SLACK_TOKEN = "xoxb-digest-scale"


@dataclass
class PassResult:
    workers: int
    seconds: float
    posting_seconds: float  # from the first post to the last, as the fake saw them
    posts: int
    duplicates: int
    missed: int
    rate_limited: int  # 429s the fake answered (each retried after its Retry-After)
    shares: list[int]  # channels each worker reported posted
    exit_codes: list[int]

    def row(self) -> str:
        share = "/".join(map(str, self.shares))
        return (f"{self.workers:>7} {self.seconds:>8.1f} {self.posting_seconds:>8.1f} {self.posts:>6}"
                f" {self.duplicates:>10} {self.missed:>6}"
                f" {self.rate_limited:>5}  {share}")  # fmt: skip


HEADER = (f"{'workers':>7} {'seconds':>8} {'posting':>8} {'posts':>6} {'duplicates':>10} {'missed':>6} {'429s':>5}"
          "  posted by each worker")


def channel_names(count: int) -> list[str]:
    return [f"C{n:05d}" for n in range(count)]


def subscribe_all(database_url: str, channels: list[str]) -> None:
    """Every channel subscribed (English, UTC) for the minute that has just passed: all due now."""
    minute_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).strftime("%H:%M")
    store = Store(database_url)
    try:
        for channel in channels:
            store.save_subscription(Subscription("slack", channel, TEAM_ID, minute_ago, "UTC", "en", False, "bench"))
    finally:
        store.close()


@contextmanager
def fresh_schema(postgres_url: str):
    """A PostgreSQL URL whose tables live in a new schema, dropped afterwards."""
    schema = f"digest_scale_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as db:
        db.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{postgres_url}{'&' if '?' in postgres_url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as db:
            db.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def worker_env(database_url: str, slack: FakeSlack, concurrency: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        BRIEFBOT_ENGINE="offline",
        BRIEFBOT_DATABASE_URL=database_url,
        BRIEFBOT_DIGEST_CONCURRENCY=str(concurrency),
        SLACK_BOT_TOKEN=SLACK_TOKEN,
        SLACK_API_URL=slack.api_url,
    )
    return env


async def run_worker(env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "digest", "--once", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), PROCESS_LIMIT)
    if process.returncode != 0:
        print(f"worker exited {process.returncode}: {err.decode()[-2000:]}", file=sys.stderr)
    return process.returncode, out.decode()


async def digest_pass(
    postgres_url: str,
    *,
    channels: int,
    workers: int,
    concurrency: int = 16,
    workspace_per_second: int = 0,
    latency: float = 0.0,
) -> PassResult:
    """``workers`` digest processes started together over one store with ``channels`` due subscriptions."""
    names = channel_names(channels)
    slack = await FakeSlack().start()
    slack.limit_rate("chat.postMessage", per_channel=1.0, per_second=workspace_per_second)
    if latency:
        slack.hang("chat.postMessage", latency, times=10 * channels)  # then answered as usual
    try:
        with fresh_schema(postgres_url) as database_url:
            subscribe_all(database_url, names)
            env = worker_env(database_url, slack, concurrency)
            started = time.perf_counter()
            results = await asyncio.gather(*(run_worker(env) for _ in range(workers)))
            seconds = time.perf_counter() - started
    finally:
        await slack.stop()
    posts = [call for call in slack.calls_to("chat.postMessage") if call.response.get("ok")]
    posted = Counter(call.args.get("channel") for call in posts if not call.args.get("thread_ts"))
    return PassResult(
        workers=workers,
        seconds=seconds,
        posting_seconds=max(c.at for c in posts) - min(c.at for c in posts) if posts else 0.0,
        posts=sum(posted.values()),
        duplicates=sum(1 for name in names if posted[name] > 1),
        missed=sum(1 for name in names if posted[name] == 0),
        rate_limited=sum(1 for c in slack.calls_to("chat.postMessage") if c.response.get("error") == "ratelimited"),
        shares=[out.count(": posted") for _, out in results],
        exit_codes=[code for code, _ in results],
    )


def postgres_url(given: str) -> str:
    url = given or os.environ.get("BRIEFBOT_BENCH_POSTGRES_URL") or os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", "")
    if not url.startswith("postgresql://"):
        sys.exit("digest_scale: give a PostgreSQL URL (--database-url or BRIEFBOT_TEST_POSTGRES_URL=postgresql://...)")
    return url


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--workers", default="1,2,4", help="worker counts to run, comma-separated")
    parser.add_argument("--concurrency", type=int, default=16, help="BRIEFBOT_DIGEST_CONCURRENCY of each worker")
    parser.add_argument("--workspace-per-second", type=int, default=0, help="the fake's limit for all channels")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the fake takes to answer a post")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: BRIEFBOT_TEST_POSTGRES_URL)")
    args = parser.parse_args()
    url = postgres_url(args.database_url)
    print(f"{args.channels} channels, concurrency {args.concurrency} per worker, fake Slack: 1 post/s per channel,"
          f" {args.latency:g} s per post"
          + (f", {args.workspace_per_second}/s in all" if args.workspace_per_second else ""))  # fmt: skip
    print(HEADER)
    failed = False
    for workers in (int(w) for w in args.workers.split(",")):
        result = await digest_pass(url, channels=args.channels, workers=workers, concurrency=args.concurrency,
                                   workspace_per_second=args.workspace_per_second, latency=args.latency)  # fmt: skip
        print(result.row(), flush=True)
        failed |= bool(result.duplicates or result.missed or any(result.exit_codes))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
