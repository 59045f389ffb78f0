"""The grounding verifier measured from outside, as a user meets it (issue 9).

Every scripted answer in an answer set (eval/ANSWERS.md) is served by the fake OpenAI server
(tests/fakes, the real Chat Completions wire format) to the real command line,
``python -m bot ask --json`` or ``python -m bot brief --json``, one fresh process and
database per answer; the ``verification`` object of the printed reply says whether the
model's answer was shown as written. Reports, per set and per kind:

- good answers blocked (trimmed, quoted or replaced): target <= 2 %;
- wrong answers shown as written: target <= 10 %.

Judge off (no judge call is scripted). Exit status 1 when a target is missed.

    .venv/bin/python bench/grounding_eval.py                 # both shipped sets
    .venv/bin/python bench/grounding_eval.py eval/answers_holdout.jsonl
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.openai_server import FakeOpenAI  # noqa: E402

SETS = [ROOT / "eval" / "answers_dev.jsonl", ROOT / "eval" / "answers_holdout.jsonl"]
TARGETS = {"good_blocked": 0.02, "bad_shown": 0.10}
WORKERS = 2


def run_item(item: dict, server: FakeOpenAI, folder: Path) -> dict:
    server.enqueue(item["answer"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_"))}
    env.update(
        OPENAI_API_KEY="sk-eval",
        OPENAI_BASE_URL=server.base_url,
        BRIEFBOT_MODEL_ATTEMPTS="1",
        BRIEFBOT_JUDGE="off",
        BRIEFBOT_DATABASE_URL=f"sqlite:///{folder / (item['id'] + '.sqlite3')}",
        PYTHONPATH=str(ROOT),
    )
    if item["mode"] == "brief":
        args = ["brief", "--json", "--lang", item["lang"]]
    else:
        args = ["ask", "--json", "--lang", item["lang"], item["question"]]
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    if done.returncode != 0:
        return {"item": item, "outcome": f"error {done.returncode}", "reasons": [done.stderr.strip()[-200:]]}
    reply = json.loads(done.stdout)
    verification = reply.get("verification") or {}
    reasons = [r for f in verification.get("failed", []) for r in f["reasons"]] + verification.get("problems", [])
    return {"item": item, "outcome": verification.get("outcome", "not checked"), "reasons": reasons,
            "engine": reply.get("engine")}  # fmt: skip


def evaluate(path: Path) -> bool:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder, FakeOpenAI.run_in_thread() as first, \
            FakeOpenAI.run_in_thread() as second:  # fmt: skip
        servers = [first, second]
        chunks = [items[i::WORKERS] for i in range(WORKERS)]

        def work(index: int) -> list[dict]:
            return [run_item(item, servers[index], Path(folder)) for item in chunks[index]]

        with ThreadPoolExecutor(WORKERS) as pool:
            results = [r for chunk in pool.map(work, range(WORKERS)) for r in chunk]
    return report(path.name, results)


def report(name: str, results: list[dict]) -> bool:
    good = [r for r in results if r["item"]["expect"] == "good"]
    bad = [r for r in results if r["item"]["expect"] == "bad"]
    blocked = [r for r in good if r["outcome"] != "shown"]
    shown = [r for r in bad if r["outcome"] == "shown"]
    good_share = len(blocked) / len(good) if good else 0.0
    bad_share = len(shown) / len(bad) if bad else 0.0
    print(f"== {name}: {len(good)} good, {len(bad)} bad answers, judge off")
    good_line = f"good answers blocked : {good_share:6.1%}  ({len(blocked)}/{len(good)})"
    bad_line = f"wrong answers shown  : {bad_share:6.1%}  ({len(shown)}/{len(bad)})"
    print(f"{good_line}   target <= {TARGETS['good_blocked']:.0%}")
    print(f"{bad_line}   target <= {TARGETS['bad_shown']:.0%}")
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        kind = f"{r['item']['expect']}/{r['item']['kind']}"
        by_kind[kind]["total"] += 1
        wrong = (r["outcome"] != "shown") if r["item"]["expect"] == "good" else (r["outcome"] == "shown")
        by_kind[kind]["wrong"] += wrong
    print("by kind (wrong verdicts / answers):")
    for kind in sorted(by_kind):
        print(f"  {kind:32} {by_kind[kind]['wrong']:3d} / {by_kind[kind]['total']}")
    by_language = Counter((r["item"]["lang"], r["item"]["expect"], r in blocked or r in shown) for r in results)
    for lang in ("en", "it"):
        print(f"  language {lang}: good blocked {by_language[(lang, 'good', True)]}, "
              f"wrong shown {by_language[(lang, 'bad', True)]}")  # fmt: skip
    for r in blocked:
        print(f"  BLOCKED {r['item']['id']} ({r['outcome']}): {'; '.join(r['reasons'])[:200]}")
    for r in shown:
        print(f"  SHOWN   {r['item']['id']} [{r['item']['kind']}]: {r['item']['answer'][:100]!r}")
    met = good_share <= TARGETS["good_blocked"] and bad_share <= TARGETS["bad_shown"]
    print("targets: " + ("met" if met else "NOT met") + "\n")
    return met


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or SETS
    results = [evaluate(path) for path in paths]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
