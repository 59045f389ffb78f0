"""Core speed figures (issue 2). Prints; asserts nothing. Run: make bench

- the core's own time per question with an instant in-process model (prompt building,
  grounding verification, store round trips): target <= 2 ms median;
- the offline engine's time per answer: target <= 5 ms at the 99th percentile;
- start-up of ``python -m bot --help``: target <= 0.3 s;
- the offline engine's own start-up (indexing the articles with their synonyms, loading its
  word data; the synonym and word-frequency cache files already built): reported, no target.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.core.briefer import Briefer  # noqa: E402

QUESTIONS = [
    "Quanto vale l'accordo?",
    "How long does the agreement last?",
    "Chi è Matt Garman?",
    "Who funds Anthropic?",
    "When will the new systems be operational?",
    "Who is the CEO of OpenAI?",
    "Che tempo fa oggi a Milano?",
    "Di quante GPU ha bisogno OpenAI?",
]


class InstantModel:
    """Answers at once; as the grounding judge (on by default) it approves every claim at once."""

    name = "openai"

    async def complete(self, messages, *, max_tokens=600, **options):
        if "response_format" in options:
            claims = messages[-1]["content"].count("\nCited passages:")
            return json.dumps({"verdicts": [{"claim": n, "stated": True, "reason": ""} for n in range(1, claims + 1)]})
        return "The deal is worth $38 billion over seven years [openai-aws/p3]."


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def time_answers(briefer: Briefer, rounds: int) -> list[float]:
    timings = []
    for n in range(rounds):
        question = QUESTIONS[n % len(QUESTIONS)]
        start = time.perf_counter()
        await briefer.answer(question, conversation_id=f"bench-{n % 20}")
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_offline_engine(briefer: Briefer, rounds: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per answer (on a busy shared machine the wall-clock
    tail is mostly time spent waiting for a core; the CPU figure is the engine's own work)."""
    wall, cpu = [], []
    for n in range(rounds):
        question = QUESTIONS[n % len(QUESTIONS)]
        start, start_cpu = time.perf_counter(), time.process_time()
        briefer.offline.answer(question, "en")
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def time_engine_build(briefer: Briefer, runs: int) -> list[float]:
    from bot.engines.offline.engine import OfflineEngine

    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        OfflineEngine(briefer.knowledge)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_startup(runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "--help"], cwd=ROOT, capture_output=True, check=True)
        timings.append(time.perf_counter() - start)
    return timings


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/bench.sqlite3", engine="openai")
        briefer = Briefer.from_settings(settings, model=InstantModel())
        await time_answers(briefer, 50)  # warm-up: language model load, SQLite pages
        core = await time_answers(briefer, 1000)
        offline, offline_cpu = time_offline_engine(briefer, 2000)
        build = time_engine_build(briefer, 5)
        await briefer.aclose()
    startup = time_startup(10)
    print(
        f"core per question (instant model, SQLite): median {statistics.median(core):.2f} ms, "
        f"p99 {percentile(core, 0.99):.2f} ms   target: median <= 2 ms"
    )
    print(
        f"offline engine per answer: median {statistics.median(offline):.2f} ms, "
        f"p99 {percentile(offline, 0.99):.2f} ms   target: p99 <= 5 ms"
    )
    print(
        f"offline engine CPU per answer: median {statistics.median(offline_cpu):.2f} ms, "
        f"p99 {percentile(offline_cpu, 0.99):.2f} ms"
    )
    print(f"offline engine start-up (index, synonyms, word data): median {statistics.median(build):.0f} ms")
    print(
        f"start-up of 'python -m bot --help': median {statistics.median(startup):.3f} s, "
        f"max {max(startup):.3f} s   target: <= 0.3 s"
    )


if __name__ == "__main__":
    asyncio.run(main())
