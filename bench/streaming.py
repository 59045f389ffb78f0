"""Verified streaming latency (issue 13). Prints; asserts nothing. Run: .venv/bin/python bench/streaming.py

A fake OpenAI server (its own thread and event loop) streams an answer over real HTTP/SSE at a
model's pace: ``TTFT`` before the first piece, then one word-sized piece every ``INTERVAL``. The
core reads it through the openai SDK, splits it into claims and verifies each one.

For each answer it compares two moments, both measured from when the question reaches the core:
- the model's: when the server sent the last piece of the first claim that is true;
- the user's: when the core handed that claim, verified, to the platform.
Target: the user's time is at most 1.2x the model's (median and worst).

Scenarios: plain sentences; the first claim false (planted: the first *verified* claim is the
second); citations placed after the full stop. Not covered: platform posting time (Slack/Discord
round trips), a real model's own timing jitter.
"""

from __future__ import annotations

import asyncio
import logging
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.core.briefer import Briefer  # noqa: E402
from bot.engines.model.openai_client import OpenAIChatModel  # noqa: E402
from tests.fakes.openai_server import Delay, FakeOpenAI, Stream  # noqa: E402

TTFT = 0.25  # seconds before the first piece
INTERVAL = 0.025  # seconds between pieces (40 pieces a second)
ROUNDS = 15

TRUE_1 = "OpenAI and AWS signed a seven-year cloud computing deal worth $38 billion [openai-aws/p3]. "
TRUE_2 = "The choice ends OpenAI's exclusivity with Microsoft's Azure [openai-aws/p7]. "
FALSE = "The deal was announced by Sam Altman in Paris for $50 billion [openai-aws/p3]. "
AFTER_STOP = "OpenAI and AWS signed a seven-year cloud computing deal worth $38 billion. [openai-aws/p3] "

SCENARIOS = {
    "plain": ([TRUE_1, TRUE_2], 0),
    "false claim first": ([FALSE, TRUE_1, TRUE_2], 1),
    "citation after the stop": ([AFTER_STOP, TRUE_2], 0),
}


def pieces(sentences: list[str]) -> tuple[tuple[str, ...], list[int]]:
    """Word-sized pieces, and the index of the piece that ends each sentence."""
    out, ends = [], []
    for sentence in sentences:
        out += re.findall(r"\S+\s*", sentence)
        ends.append(len(out) - 1)
    return tuple(out), ends


async def one_answer(briefer: Briefer, server: FakeOpenAI, sentences: list[str], first_true: int):
    stream, ends = pieces(sentences)
    server.stream_log.clear()
    server.enqueue(Delay(TTFT, Stream(stream, interval=INTERVAL)))
    start = time.perf_counter()
    shown_at = None
    async for reply in briefer.answer_stream("Tell me about the deal"):
        if shown_at is None:
            shown_at = time.perf_counter()
            if "50" in reply.text or "Sam Altman" in reply.text:
                raise SystemExit("a false claim was shown: the benchmark is void")
    model_at = server.stream_log[ends[first_true]][0]
    return model_at - start, shown_at - start


async def main() -> None:
    logging.disable(logging.WARNING)  # the planted claim's "dropped" warning, once per round
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI.run_in_thread() as server:
        settings = Settings(database_url=f"sqlite:///{tmp}/bench.sqlite3", engine="openai")
        model = OpenAIChatModel(api_key="k", base_url=server.base_url, model="fake", timeout=10, attempts=1)
        briefer = Briefer.from_settings(settings, model=model)
        briefer.warm_up()
        await one_answer(briefer, server, [TRUE_1], 0)  # first connection and imports
        print(f"fake model: first piece after {TTFT * 1000:.0f} ms, then one piece every {INTERVAL * 1000:.0f} ms")
        print(f"{'scenario':26} {'model ms':>9} {'shown ms':>9} {'ratio med':>10} {'ratio max':>10}")
        for name, (sentences, first_true) in SCENARIOS.items():
            runs = [await one_answer(briefer, server, sentences, first_true) for _ in range(ROUNDS)]
            ratios = [shown / model for model, shown in runs]
            print(
                f"{name:26} {statistics.median(m for m, _ in runs) * 1000:9.0f} "
                f"{statistics.median(s for _, s in runs) * 1000:9.0f} "
                f"{statistics.median(ratios):10.3f} {max(ratios):10.3f}"
            )
        print("target: ratio <= 1.2")
        await briefer.aclose()


if __name__ == "__main__":
    asyncio.run(main())
