"""Slack concurrency benchmark: 50 simultaneous signed /ask requests, a model that takes 1 s per call.

Measures briefbot's Slack adapter (HTTP mode, real core, real OpenAI client against a local fake
model, grounding judge on: two model calls per question, the answer and the judge) and the floor:
a bare bolt AsyncApp that only makes the same model calls through one shared client and posts the
answer. ``--judge off`` measures one call each. Prints ack time (median, p99) and the time until every answer
was posted, as a multiple of the model's time. Exits 1 when a target is missed.

    .venv/bin/python bench/slack_concurrency.py [--requests 50] [--model-seconds 1] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import aiohttp

from bot.config import Settings
from bot.core.briefer import Briefer
from bot.platforms.slack.app import build_slack_app, connected_client, http_server
from bot.platforms.slack.web_client import slack_web_client
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_server import FakeSlack
from tests.slack_helpers import SIGNING_SECRET, SlackSender

ANSWER = "OpenAI and AWS signed a seven-year deal worth $38 billion [openai-aws/p3]."
TOTAL_TARGET = 1.1  # briefbot's time to the last answer / the floor's
ACK_P99_TARGET = 1.2  # briefbot's ack p99 / the floor's


@dataclass
class Run:
    acks: list[float]
    total: float
    answered: int
    cpu: float = 0.0  # the app process's CPU seconds for the whole burst

    @property
    def ack_median(self) -> float:
        return statistics.median(self.acks)

    @property
    def ack_p99(self) -> float:
        return statistics.quantiles(self.acks, n=100, method="inclusive")[98]


def settings_for(slack_url: str, model_url: str, database: Path) -> Settings:
    return Settings(
        judge=os.environ.get("BENCH_JUDGE", "on"),
        engine="openai",
        openai_api_key="bench-key",
        openai_base_url=model_url,
        model_attempts=1,
        database_url=f"sqlite:///{database}",
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_url,
        # This measures the adapter's concurrency, not the limits: one asker, no cap in the way.
        rate_limit_per_minute=10_000,
        model_concurrency=1_000,
    )


@asynccontextmanager
async def briefbot_app(settings: Settings):
    briefer = Briefer.from_settings(settings)
    briefer.warm_up()  # as `python -m bot slack` does before taking traffic
    try:
        async with connected_client(settings) as client:
            yield build_slack_app(settings, briefer, client=client)
    finally:
        await briefer.aclose()


@asynccontextmanager
async def floor_app(settings: Settings):
    """What bolt itself costs: ack, one model call through one shared client, one post."""
    import openai
    from slack_bolt.async_app import AsyncApp

    model = openai.AsyncOpenAI(base_url=settings.openai_base_url, api_key=settings.openai_api_key, max_retries=0)
    app = AsyncApp(client=slack_web_client(settings), signing_secret=settings.slack_signing_secret)

    async def ack(ack):
        await ack()

    async def answer(command, client):
        if not command["text"]:
            return
        completion = await model.chat.completions.create(
            model=settings.model, messages=[{"role": "user", "content": command["text"]}]
        )
        if settings.judge != "off":  # the same second call briefbot makes: its grounding judge
            await model.chat.completions.create(
                model=settings.model, messages=[{"role": "user", "content": completion.choices[0].message.content}]
            )
        await client.chat_postMessage(channel=command["channel_id"], text=completion.choices[0].message.content)

    app.command("/ask")(ack=ack, lazy=[answer])
    try:
        yield app
    finally:
        await model.close()


async def serve(kind: str, slack_url: str, model_url: str, database: str) -> None:
    """Child process: serve one app on a free port, print the port, run until terminated."""
    settings = settings_for(slack_url, model_url, Path(database))
    make_app = briefbot_app if kind == "briefbot" else floor_app
    async with (
        make_app(settings) as app,
        http_server(app, "127.0.0.1", 0, signing_secret=settings.slack_signing_secret) as port,
    ):
        print(port, flush=True)
        await asyncio.Event().wait()


async def measure(kind: str, answer_method: str, requests: int, model_seconds: float) -> Run:
    """Run the app in its own process, so the fakes and the load generator do not share its CPU."""
    slack = await FakeSlack().start()
    try:
        with (
            FakeOpenAI.run_in_thread(responder=lambda _body: ANSWER, delay=model_seconds) as model,
            tempfile.TemporaryDirectory() as tmp,
        ):
            child = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--serve", kind, slack.api_url, model.base_url, str(Path(tmp) / "db.sqlite3"),
                stdout=asyncio.subprocess.PIPE,
            )  # fmt: skip
            try:
                port = int(await child.stdout.readline())
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
                    sender = SlackSender(session, f"http://127.0.0.1:{port}/slack/events", slack)
                    # Warm-up, one full answer: bolt's first auth.test, lazy imports, models loaded.
                    await sender.command("/ask", "How much is the deal worth?")
                    await slack.wait_for(answer_method)
                    before = _cpu_seconds(child.pid)
                    run = await burst(sender, slack, answer_method, requests)
                    run.cpu = _cpu_seconds(child.pid) - before
                    return run
            finally:
                if child.returncode is None:
                    child.terminate()
                await child.wait()
    finally:
        await slack.stop()


async def burst(sender: SlackSender, slack: FakeSlack, answer_method: str, requests: int) -> Run:
    async def ask(n: int) -> float:
        started = time.perf_counter()
        status, _ = await sender.command("/ask", f"How much is the OpenAI-AWS deal worth? (#{n})")
        if status != 200:
            raise RuntimeError(f"/ask #{n} got HTTP {status}")
        return time.perf_counter() - started

    before = len(slack.calls_to(answer_method))
    started = time.perf_counter()
    acks = await asyncio.gather(*(ask(n) for n in range(requests)))
    with suppress(TimeoutError):
        await slack.wait_for(answer_method, before + requests)
    total = time.perf_counter() - started
    return Run(list(acks), total, len(slack.calls_to(answer_method)) - before)


def median_run(runs: list[Run]) -> Run:
    return Run(
        acks=[statistics.median(r.acks[i] for r in runs) for i in range(len(runs[0].acks))],
        total=statistics.median(r.total for r in runs),
        answered=min(r.answered for r in runs),
        cpu=statistics.median(r.cpu for r in runs),
    )


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def row(name: str, run: Run, model_seconds: float, requests: int) -> str:
    return (
        f"{name:<20} {run.ack_median * 1000:8.1f} ms {run.ack_p99 * 1000:8.1f} ms "
        f"{run.total:8.2f} s {run.total / model_seconds:7.2f}x   {run.answered}/{requests}"
        f"   {run.cpu / requests * 1000:5.1f} ms"
    )


async def main(requests: int, model_seconds: float, rounds: int) -> int:
    floor_runs, bot_runs = [], []
    for _ in range(rounds):  # alternate, so both see the same machine conditions
        floor_runs.append(await measure("floor", "chat.postMessage", requests, model_seconds))
        bot_runs.append(await measure("briefbot", "chat.postMessage", requests, model_seconds))
    floor, bot = median_run(floor_runs), median_run(bot_runs)

    calls = "answer + judge" if os.environ.get("BENCH_JUDGE", "on") != "off" else "answer only"
    print(f"{requests} simultaneous signed /ask, model {model_seconds:g} s per call ({calls}), median of {rounds}")
    print(f"{'':<20} {'ack p50':>11} {'ack p99':>11} {'all answered':>10} {'x model':>8}   posted   CPU/question")
    print(row("floor (bare bolt)", floor, model_seconds, requests))
    print(row("briefbot", bot, model_seconds, requests))
    total_ratio, ack_ratio = bot.total / floor.total, bot.ack_p99 / floor.ack_p99
    print(f"total vs floor: {total_ratio:.2f}x (target <= {TOTAL_TARGET}x)")
    print(f"ack p99 vs floor: {ack_ratio:.2f}x (target <= {ACK_P99_TARGET}x)")
    met = total_ratio <= TOTAL_TARGET and ack_ratio <= ACK_P99_TARGET and bot.answered == requests
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--model-seconds", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--judge", choices=("on", "off"), default="on", help="grounding judge (default on)")
    child = ("KIND", "SLACK_URL", "MODEL_URL", "DATABASE")
    parser.add_argument("--serve", nargs=4, metavar=child, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:  # an app process: the judge setting comes from the parent's environment
        asyncio.run(serve(*args.serve))
    os.environ["BENCH_JUDGE"] = args.judge  # read by the app processes
    sys.exit(asyncio.run(main(args.requests, args.model_seconds, args.rounds)))
