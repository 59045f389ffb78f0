"""Knowledge at scale (issue 11): N = 1, 10, 100 and 1,000 synthetic articles (bench/synthetic.py,
deterministic). Prints a table; exits 1 when a target is missed. Run: make bench

Per N, in a fresh process (so start-up and memory are that process's own):
- start-up: from process start to a core ready to answer (imports, loading every article,
  building the search index), on a restart (parsed articles reused from the cache folder);
  the first start ever on the same files is shown too;              target <= 5 s at 1,000
- peak memory (RSS) of that process;
- offline answer latency over 400 questions (facts of random articles, unanswerable ones):
                                                                       target p99 <= 50 ms at 1,000
- prompt tokens per model question (characters / 4, every message sent), with an instant
  in-process model;                                   target: flat from 100 to 1,000 (within 10%)
- ingest time per article: 5 new articles ingested (no model) into the folder holding N.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (1, 10, 100, 1000)
QUESTIONS_PER_SIZE = 400
MODEL_QUESTIONS = 40


class InstantModel:
    name = "openai"

    def __init__(self) -> None:
        self.prompt_chars: list[int] = []

    async def complete(self, messages, *, max_tokens=600):
        self.prompt_chars.append(sum(len(m["content"]) for m in messages))
        return "NOT_IN_ARTICLE"


def questions(count: int, rng: random.Random) -> list[tuple[str, str]]:
    from bench.synthetic import article_data

    asked = []
    for _ in range(QUESTIONS_PER_SIZE):
        data = article_data(rng.randrange(count))
        en = data["passages"][1]["en"].split()[0]  # the company
        product = data["passages"][4]["en"].split()[0]
        asked += [
            (f"Who is the CEO of {en}?", "en"),
            (f"Quanto consuma {product}?", "it"),
            ("Chi ha vinto il campionato di calcio?", "it"),
            (f"How many people will {en} employ?", "en"),
        ]
    return asked[:QUESTIONS_PER_SIZE]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def child(count: int, folder: Path, *, startup_only: bool = False) -> dict:
    from bot.config import Settings
    from bot.core.briefer import Briefer

    settings = Settings(
        database_url=f"sqlite:///{folder.parent / 'bench.sqlite3'}", knowledge_dir=folder, engine="openai"
    )
    model = InstantModel()
    briefer = Briefer.from_settings(settings, model=model)
    ready, ready_cpu = time.perf_counter() - START, time.process_time()
    if startup_only:
        await briefer.aclose()
        return {"startup_s": ready, "startup_cpu_s": ready_cpu}
    rng = random.Random(count)
    asked = questions(count, rng)
    timings = []
    for question, language in asked:
        begin = time.perf_counter()
        briefer.offline.answer(question, language)
        timings.append((time.perf_counter() - begin) * 1000)
    for question, language in asked[:MODEL_QUESTIONS]:
        await briefer.answer(question, lang=language)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ingest = await time_ingest(settings, briefer, count)
    await briefer.aclose()
    return {
        "n": count, "startup_s": ready, "startup_cpu_s": ready_cpu, "peak_rss_mb": peak_mb,
        "passages": len(briefer.knowledge.passages),
        "p50_ms": statistics.median(timings), "p99_ms": percentile(timings, 0.99),
        "prompt_tokens": statistics.mean(model.prompt_chars) / 4, "ingest_s": ingest,
    }  # fmt: skip


async def time_ingest(settings, briefer, count: int) -> float:
    from bench.synthetic import article_text
    from bot.ingest.publish import IngestService
    from bot.ingest.sources import Source

    runs = []
    with IngestService.from_settings(settings, use_model=False, store=briefer.store) as service:
        for n in range(count, count + 5):
            begin = time.perf_counter()
            await service.ingest(Source(article_text(n), "text", f"synthetic-{n}.txt"))
            runs.append(time.perf_counter() - begin)
    return statistics.mean(runs)


def run_size(count: int) -> dict:
    from bench.synthetic import write_articles

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "knowledge"
        write_articles(folder, count)
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(temporary) / "cache")}  # a cache of its own, empty

        def run(*extra: str) -> dict:
            result = subprocess.run([sys.executable, __file__, "--child", str(count), str(folder), *extra],
                                    capture_output=True, text=True, check=True, env=env)  # fmt: skip
            return json.loads(result.stdout.strip().splitlines()[-1])

        first = run("--startup-only")  # the first start ever on these files: every article parsed
        measured = run()  # a restart (or another process on the same machine): parsed articles reused
    return {**measured, "first_startup_s": first["startup_s"], "first_startup_cpu_s": first["startup_cpu_s"]}


def main() -> int:
    rows = [run_size(count) for count in SIZES]
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| articles | passages | first start | start-up (restart) | peak memory | offline answer p50 / p99 | "
          "prompt tokens per model question | ingest per article |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        first = f"{r['first_startup_s']:.2f} s (CPU {r['first_startup_cpu_s']:.2f} s)"
        startup = f"{r['startup_s']:.2f} s (CPU {r['startup_cpu_s']:.2f} s)"
        latency = f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f} ms"
        print(f"| {r['n']:,} | {r['passages']:,} | {first} | {startup} | {r['peak_rss_mb']:.0f} MB | {latency} | "
              f"{r['prompt_tokens']:,.0f} | {r['ingest_s'] * 1000:.0f} ms |")  # fmt: skip
    by_n = {r["n"]: r for r in rows}
    growth = by_n[1000]["prompt_tokens"] / by_n[100]["prompt_tokens"] - 1
    checks = [
        (f"prompt tokens 100 -> 1,000 articles: {growth:+.1%}", abs(growth) <= 0.10, "within 10%"),
        (f"offline answer p99 at 1,000: {by_n[1000]['p99_ms']:.1f} ms", by_n[1000]["p99_ms"] <= 50, "<= 50 ms"),
        (f"start-up (restart) at 1,000: {by_n[1000]['startup_s']:.2f} s", by_n[1000]["startup_s"] <= 5, "<= 5 s"),
    ]
    for text, met, target in checks:
        print(f"{text}   target: {target}   {'met' if met else 'MISSED'}")
    return 0 if all(met for _, met, _ in checks) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        only = sys.argv[4:5] == ["--startup-only"]
        print(json.dumps(asyncio.run(child(int(sys.argv[2]), Path(sys.argv[3]), startup_only=only))))
    else:
        sys.exit(main())
