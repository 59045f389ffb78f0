"""The offline engine's paraphrase thresholds: what each training question looks like by meaning.

For every question the word-based reading does not answer, prints the passage nearest it in
meaning, the similarity, whether that passage holds the kind of answer asked for, the share
of the question's words it holds, and whether it is right (answerable and expected) or a
trap. ``MIN_SIMILARITY`` and ``MIN_COVERAGE_BY_MEANING`` in bot/engines/offline/engine.py
were chosen from this output on the training sets, never on a hold-out:

    .venv/bin/python bench/paraphrase_calibration.py eval/dev-questions.jsonl eval/questions.jsonl \
        eval/holdout-v2.jsonl eval/holdout-v3.jsonl eval/holdout.jsonl

Follow-ups are read alone here (the engine reads them with the previous question too).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engines.offline.answer_types import is_instruction, question_type  # noqa: E402
from bot.engines.offline.engine import OfflineEngine, _answers  # noqa: E402
from bot.evaluation.evaluator import load_items  # noqa: E402
from bot.knowledge.articles import load_knowledge  # noqa: E402


def main(files: list[str]) -> None:
    engine = OfflineEngine(load_knowledge(ROOT / "knowledge"))
    for file in files:
        print(f"== {file}")
        for item in load_items(Path(file)):
            question = item["question"]
            if is_instruction(question):
                continue
            wanted = question_type(question)
            if engine.index.missing_head(question, wanted):
                continue  # refused before any reading: no passage speaks of what it centres on
            if _answers(engine.index.search(question, answer_type=wanted)):
                continue
            (passage, similarity), *_ = engine.paraphrases.closest(question, limit=1)
            match = engine.index.judge(question, passage, answer_type=wanted)
            right = item["kind"] == "answerable" and passage.id in item.get("expect", ())
            verdict = "RIGHT" if right else ("wrong" if item["kind"] == "answerable" else "TRAP ")
            typed = "typed" if match and match.typed else "-----"
            coverage = f"{match.coverage:.2f}" if match else "none"
            print(f"  {verdict} sim {similarity:.2f} {typed} cov {coverage} {passage.local_id:4} {question}")


if __name__ == "__main__":
    main(sys.argv[1:])
