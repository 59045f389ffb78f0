"""``python -m bot feedback``: what people thought of the answers, and disliked answers as eval items."""

from __future__ import annotations

import datetime as dt
import json
import sys
import textwrap
from collections import Counter
from pathlib import Path

from bot.answers.feedback import outcome
from bot.store.database import Store
from bot.store.records import Rating

SYMBOLS = {"up": "👍", "down": "👎"}


def run_feedback(store: Store, *, latest: int, export_eval: str | None) -> int:
    ratings = store.ratings()
    print(report(ratings, latest=latest))
    if export_eval:
        items = eval_items([r for r in ratings if r.rating == "down"])
        try:
            Path(export_eval).write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
        except OSError as error:
            print(f"briefbot: error: cannot write {export_eval}: {error.strerror}", file=sys.stderr)
            return 2
        print(
            f"\nwrote {len(items)} eval item{'s' if len(items) != 1 else ''} to {export_eval}: "
            "fill in each item's expect (the passages that answer it) or set kind to unanswerable before use"
        )
    return 0


def report(ratings: list[Rating], *, latest: int) -> str:
    if not ratings:
        return "no feedback yet"
    totals = Counter(r.rating for r in ratings)
    answers = len({r.answer.id for r in ratings})
    lines = [
        f"{len(ratings)} rating{'s' if len(ratings) != 1 else ''} on {answers} repl{'ies' if answers != 1 else 'y'}: "
        f"👍 {totals['up']}  👎 {totals['down']}",
        "",
        f"{'engine':10} {'outcome':14} {'liked':>6} {'disliked':>9}",
    ]
    groups = Counter((r.answer.engine, outcome(r.answer), r.rating) for r in ratings)
    for engine, kind in sorted({(e, o) for e, o, _ in groups}):
        lines.append(f"{engine:10} {kind:14} {groups[engine, kind, 'up']:>6} {groups[engine, kind, 'down']:>9}")
    disliked = [r for r in ratings if r.rating == "down"][:latest]
    if disliked:
        lines += ["", "latest disliked:"]
        for rating in disliked:
            lines += _describe(rating)
    return "\n".join(lines)


def _describe(rating: Rating) -> list[str]:
    answer = rating.answer
    when = dt.datetime.fromtimestamp(rating.created_at, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    asked = answer.question or f"(a {answer.language} briefing)"
    lines = [f"- {when}  {rating.platform} user {rating.user_id}  [{answer.engine}, {outcome(answer)}]  {asked}"]
    lines.append("    answer: " + textwrap.shorten(answer.answer, width=160, placeholder=" …"))
    if answer.citations:
        lines.append("    cited: " + ", ".join(answer.citations))
    if rating.reason:
        lines.append(f"    reason: {rating.reason}")
    return lines


def eval_items(disliked: list[Rating]) -> list[dict]:
    """One item per disliked question (briefings have none), in the eval set's schema plus what
    was disliked. ``expect`` is left empty: the right passages are for a person to decide."""
    items, seen = [], set()
    for rating in disliked:
        answer = rating.answer
        if answer.kind != "answer" or answer.question in seen:
            continue
        seen.add(answer.question)
        items.append(
            {
                "id": f"feedback-{answer.id[:12]}",
                "kind": "answerable",
                "lang": answer.language,
                "question": answer.question,
                "expect": [],
                "disliked": {
                    "answer": answer.answer,
                    "cited": list(answer.citations),
                    "engine": answer.engine,
                    "outcome": outcome(answer),
                    "reason": rating.reason,
                },
            }
        )
    return items
