"""Process footprint benchmark: time to ready, idle memory and memory after bursts, briefbot's
long-running processes side by side with bare slack-bolt and discord.py apps.

Every process is a real ``python`` subprocess talking over 127.0.0.1 to the fakes in
``tests/fakes/`` (Slack Web API and Socket Mode, Discord REST and gateway, OpenAI), started here:

- bare apps (``bench/bare_apps.py``): bolt HTTP, bolt Socket Mode, discord.py, each answering a
  mention with a fixed string;
- ``python -m bot slack --http``, ``slack --socket`` and ``discord``, offline and with a model
  configured (``OPENAI_API_KEY`` set, pointing at the fake OpenAI).

Measured per process (median of ``--runs`` runs):

- ready: process start until the platform's ready signal, the same for bare and bot: HTTP mode,
  the port accepts a connection; Socket Mode, the fake Slack has sent ``hello`` on the
  process's websocket; Discord, the fake gateway has sent ``READY`` after ``IDENTIFY``;
- first: ready until the answer to a first mention was posted (what start-up left for later);
- idle: VmRSS from ``/proc/<pid>/status``, ``--settle`` seconds after that first answer (so what
  start-up defers to the first question is counted too);
- after bursts: VmRSS after each of ``--bursts`` bursts of ``--questions`` mentions (all sent
  at once, every one answered before the next burst); growth is last burst minus first.

    .venv/bin/python bench/process_footprint.py [--runs 3] [--only slack-http,discord] [--bursts 3] [--restart]

Each bot run starts on a new SQLite file: a first start, which upgrades the schema (in a child
process) before connecting; ``--restart`` upgrades it first, untimed, as at any later start.

Not covered: the digest scheduler and ``serve``; PostgreSQL (each run uses a fresh SQLite file);
CPU time; RSS is what ``/proc`` reports, shared library pages included.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

import aiohttp  # noqa: E402

from tests.fakes.discord_server import USER_ID, FakeDiscord, user  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402
from tests.fakes.slack_server import BOT_USER_ID, FakeSlack  # noqa: E402
from tests.slack_helpers import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, SlackSender  # noqa: E402

GROUNDED_ANSWER = "OpenAI and AWS signed a seven-year deal worth $38 billion [openai-aws/p3]."
QUESTIONS = [
    "How much is the deal worth?",
    "Quanto vale l'accordo tra OpenAI e AWS?",
    "How long does the deal last?",
    "Chi ha firmato l'accordo?",
]
DISCORD_TOKEN = "discord-test-token"
LIMIT = 60.0  # seconds: a safety net against a hung process, never part of a figure
IDLE_TARGET_MIB = 120.0
READY_RATIO_TARGET = 1.5


@dataclass(frozen=True)
class Case:
    name: str
    platform: str  # slack-http, slack-socket, discord
    bare: bool
    model: bool = False

    @property
    def floor(self) -> str:
        return f"bare {self.platform}"


CASES = [
    Case("bare slack-http", "slack-http", bare=True),
    Case("bot slack --http", "slack-http", bare=False),
    Case("bot slack --http +model", "slack-http", bare=False, model=True),
    Case("bare slack-socket", "slack-socket", bare=True),
    Case("bot slack --socket", "slack-socket", bare=False),
    Case("bot slack --socket +model", "slack-socket", bare=False, model=True),
    Case("bare discord", "discord", bare=True),
    Case("bot discord", "discord", bare=False),
    Case("bot discord +model", "discord", bare=False, model=True),
]


@dataclass
class Measure:
    ready: float
    first: float
    idle_mib: float
    burst_mib: list[float] = field(default_factory=list)

    @property
    def growth(self) -> float:
        return self.burst_mib[-1] - self.burst_mib[0] if self.burst_mib else 0.0


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_until(condition, process: asyncio.subprocess.Process, log: Path, what: str) -> None:
    deadline = time.monotonic() + LIMIT
    while not await condition():
        if process.returncode is not None:
            raise RuntimeError(f"the process exited before {what}:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no {what} within {LIMIT:g} s:\n{log.read_text(errors='replace')[-3000:]}")
        await asyncio.sleep(0.01)


class Fakes:
    def __init__(self) -> None:
        self.slack = FakeSlack()
        self.discord = FakeDiscord()
        self.openai = FakeOpenAI(responder=self._answer)

    @staticmethod
    def _answer(_body):
        return GROUNDED_ANSWER

    async def __aenter__(self) -> Fakes:
        await self.slack.start()
        await self.discord.__aenter__()
        await self.openai.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.openai.close()
        await self.discord.__aexit__(*exc)
        await self.slack.stop()

    def env(self, case: Case, folder: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
        env.update(
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
            BRIEFBOT_DATABASE_URL=f"sqlite:///{folder / 'bot.sqlite3'}",
            BRIEFBOT_ENGINE="offline",
            BRIEFBOT_RATE_LIMIT="100000",  # one asker sends every burst
            BRIEFBOT_STREAM_ANSWERS="false",  # one reply per question, as the bare apps post
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_API_URL=self.slack.api_url,
            DISCORD_TOKEN=DISCORD_TOKEN,
            DISCORD_API_URL=self.discord.api_url,
            DISCORD_GATEWAY_URL=self.discord.gateway_url,
        )
        if case.platform == "slack-http":
            env["SLACK_SIGNING_SECRET"] = SIGNING_SECRET
        if case.platform == "slack-socket":
            env["SLACK_APP_TOKEN"] = APP_TOKEN
        if case.model:
            env.update(BRIEFBOT_ENGINE="openai", OPENAI_API_KEY="sk-bench-key", OPENAI_BASE_URL=self.openai.base_url)
        return env


class Driver:
    """Readiness, questions and answers for one platform, the same for bare and bot."""

    def __init__(self, fakes: Fakes, platform: str, port: int, session: aiohttp.ClientSession) -> None:
        self.fakes = fakes
        self.platform = platform
        self.port = port
        self.sender = SlackSender(session, f"http://127.0.0.1:{port}/slack/events", fakes.slack)
        self.sockets_before = len(fakes.slack._sockets)
        self.identified_before = len(fakes.discord.identify_payloads)
        self.pending: list[str] = []
        self._serial = 0

    async def ready(self) -> bool:
        if self.platform == "slack-http":
            with suppress(OSError):
                _reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return True
            return False
        if self.platform == "slack-socket":
            return len(self.fakes.slack._sockets) > self.sockets_before
        return len(self.fakes.discord.identify_payloads) > self.identified_before and bool(self.fakes.discord._sockets)

    async def ask(self, count: int) -> list[str]:
        keys = []
        for _ in range(count):
            self._serial += 1
            question = QUESTIONS[self._serial % len(QUESTIONS)]
            keys.append(await self._ask_one(question))
        return keys

    async def _ask_one(self, question: str) -> str:
        if self.platform == "discord":
            asker = user(USER_ID, "alice")
            payload = self.fakes.discord.mention(question, author=asker)
            await self.fakes.discord.dispatch("MESSAGE_CREATE", payload)
            return payload["id"]
        channel = f"C{time.monotonic_ns() % 10**9:09d}{self._serial}"
        ts = f"1800000000.{self._serial:06d}"
        event = {"type": "app_mention", "user": "U0000001", "text": f"<@{BOT_USER_ID}> {question}", "ts": ts,
                 "channel": channel}  # fmt: skip
        if self.platform == "slack-http":
            status, _ = await self.sender.event(event)
            if status != 200:
                raise RuntimeError(f"/slack/events answered HTTP {status}")
        else:
            body = json.loads(self.sender.event_body(event))
            await self.fakes.slack.send_envelope("events_api", body)
        return channel

    def answered(self, keys: list[str]) -> bool:
        if self.platform == "discord":
            done = set()
            for r in self.fakes.discord.requests:
                if r.creates_message:
                    reference = ((r.body or {}).get("message_reference") or {}).get("message_id")
                    done.add(str(reference) if reference else r.path.split("/")[2])
            return all(k in done for k in keys)
        done = set()
        for call in self.fakes.slack.calls:
            text = call.args.get("text") or ""
            if call.method == "chat.update" or (call.method == "chat.postMessage" and "hourglass" not in text):
                done.add(call.args.get("channel"))
        return all(k in done for k in keys)


def command(case: Case, port: int) -> list[str]:
    if case.bare:
        return [sys.executable, str(ROOT / "bench" / "bare_apps.py"), case.platform, "--port", str(port)]
    args = {"slack-http": ["slack", "--http", "--host", "127.0.0.1", "--port", str(port)],
            "slack-socket": ["slack", "--socket"], "discord": ["discord"]}[case.platform]  # fmt: skip
    return [sys.executable, "-m", "bot", *args]


async def measure(case: Case, fakes: Fakes, args) -> Measure:
    with tempfile.TemporaryDirectory(prefix="footprint-") as folder:
        port = free_port()
        log = Path(folder) / "process.log"
        async with aiohttp.ClientSession() as session:
            driver = Driver(fakes, case.platform, port, session)
            if args.restart and not case.bare:  # the database already at head, as at any start but the first
                upgrade = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "db", "upgrade", cwd=ROOT, env=fakes.env(case, Path(folder)),
                    stdout=asyncio.subprocess.DEVNULL,
                )
                await upgrade.wait()
            with open(log, "wb") as out:
                started = time.perf_counter()
                process = await asyncio.create_subprocess_exec(
                    *command(case, port), cwd=ROOT, env=fakes.env(case, Path(folder)), stdout=out, stderr=out
                )
            try:
                await wait_until(driver.ready, process, log, "ready signal")
                ready = time.perf_counter() - started
                if case.platform == "discord":
                    await asyncio.sleep(0.2)  # READY and GUILD_CREATE reach the client's cache
                keys = await driver.ask(1)
                asked = time.perf_counter()
                await wait_until(lambda: _true(driver.answered(keys)), process, log, "first answer")
                first = time.perf_counter() - asked
                await asyncio.sleep(args.settle)
                idle = rss_mib(process.pid)
                result = Measure(ready, first, idle)
                for _ in range(args.bursts):
                    keys = await driver.ask(args.questions)
                    await wait_until(lambda k=keys: _true(driver.answered(k)), process, log, "every burst answer")
                    await asyncio.sleep(0.5)
                    result.burst_mib.append(rss_mib(process.pid))
                return result
            finally:
                if process.returncode is None:
                    process.terminate()
                    try:
                        await asyncio.wait_for(process.wait(), 10)
                    except TimeoutError:
                        process.kill()
                        await process.wait()


async def _true(value: bool) -> bool:
    return value


def median_measure(runs: list[Measure]) -> Measure:
    bursts = len(runs[0].burst_mib)
    return Measure(
        ready=statistics.median(r.ready for r in runs),
        first=statistics.median(r.first for r in runs),
        idle_mib=statistics.median(r.idle_mib for r in runs),
        burst_mib=[statistics.median(r.burst_mib[i] for r in runs) for i in range(bursts)],
    )


def table(results: dict[str, Measure], args) -> str:
    head = (f"{'process':<27} {'ready s':>8} {'x bare':>7} {'1st ans s':>9} {'idle MiB':>9} {'x bare':>7} "
            f"{'bursts MiB':>20} {'growth':>7}")  # fmt: skip
    lines = [head, "-" * len(head)]
    for case in CASES:
        if case.name not in results:
            continue
        m = results[case.name]
        floor = results.get(case.floor)
        ready_ratio = f"{m.ready / floor.ready:.2f}" if floor else "-"
        idle_ratio = f"{m.idle_mib / floor.idle_mib:.2f}" if floor else "-"
        bursts = " / ".join(f"{b:.0f}" for b in m.burst_mib)
        lines.append(f"{case.name:<27} {m.ready:>8.2f} {ready_ratio:>7} {m.first:>9.2f} {m.idle_mib:>9.1f} "
                     f"{idle_ratio:>7} {bursts:>20} {m.growth:>+7.1f}")  # fmt: skip
    lines.append("")
    lines.append(f"median of {args.runs} runs; ready = start -> platform ready signal; 1st ans = ready -> first "
                 f"answer posted; idle = VmRSS {args.settle:g} s after it; bursts: {args.bursts} x "
                 f"{args.questions} mentions")  # fmt: skip
    return "\n".join(lines)


def verdicts(results: dict[str, Measure]) -> list[str]:
    missed = []
    for case in CASES:
        m = results.get(case.name)
        floor = results.get(case.floor)
        if case.bare or m is None:
            continue
        if m.idle_mib > IDLE_TARGET_MIB:
            missed.append(f"{case.name}: idle {m.idle_mib:.1f} MiB > {IDLE_TARGET_MIB:g} MiB")
        if floor and m.ready > READY_RATIO_TARGET * floor.ready:
            missed.append(f"{case.name}: ready {m.ready / floor.ready:.2f}x the bare app > {READY_RATIO_TARGET:g}x")
    return missed


async def main_async(args) -> int:
    wanted = set(args.only.split(",")) if args.only else None
    cases = [c for c in CASES if wanted is None or c.platform in wanted]
    runs: dict[str, list[Measure]] = {c.name: [] for c in cases}
    async with Fakes() as fakes:
        for number in range(args.runs):
            for case in cases:  # interleaved: a slow moment of the machine hits every process alike
                m = await measure(case, fakes, args)
                runs[case.name].append(m)
                print(f"run {number + 1}: {case.name:<27} ready {m.ready:.2f} s, first {m.first:.2f} s, "
                      f"idle {m.idle_mib:.1f} MiB, bursts {[round(b) for b in m.burst_mib]}",
                      file=sys.stderr, flush=True)  # fmt: skip
    results = {name: median_measure(r) for name, r in runs.items()}
    print(table(results, args))
    missed = verdicts(results)
    for line in missed:
        print(f"target missed: {line}")
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bursts", type=int, default=3)
    parser.add_argument("--questions", type=int, default=30, help="mentions per burst")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after ready before the idle RSS")
    parser.add_argument("--only", default="", help="comma-separated: slack-http, slack-socket, discord")
    parser.add_argument("--restart", action="store_true",
                        help="bring each bot's fresh database to head first (untimed): a restart, not a first start")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
