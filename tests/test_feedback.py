"""Feedback: stored with what was shown, reported by ``python -m bot feedback``, exported as eval items."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bot.answers.feedback import keep_for_rating, rate
from bot.answers.reply import Citation, Reply
from bot.evaluation.evaluator import load_items
from bot.store.database import Store

ROOT = Path(__file__).resolve().parent.parent

ANSWER = Reply(
    "OpenAI and AWS signed a deal worth $38 billion [1].",
    (Citation("openai-aws/p3", "OpenAI e Amazon Web Services (AWS) hanno siglato ..."),),
    language="en",
    engine="openai",
)


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    yield store
    store.close()


async def test_a_rating_is_stored_with_the_answer_it_is_about(store):
    answer_id = await keep_for_rating(store, ANSWER, platform="slack", question="How much?", channel="C1",
                                      conversation_id="slack:C1:1.0")  # fmt: skip
    assert await rate(store, answer_id, platform="slack", user_id="U1", rating="down", reason="wrong\x07 amount")
    [rating] = [r for r in store.ratings() if r.answer.id == answer_id]  # PostgreSQL is shared by tests
    assert (rating.platform, rating.user_id, rating.rating, rating.reason) == ("slack", "U1", "down", "wrong amount")
    stored = rating.answer
    assert (stored.question, stored.answer, stored.citations) == ("How much?", ANSWER.text, ("openai-aws/p3",))
    assert (stored.engine, stored.grounded, stored.refused, stored.kind) == ("openai", True, False, "answer")
    assert (stored.channel, stored.conversation_id) == ("C1", "slack:C1:1.0")


async def test_pressing_again_replaces_the_rating_and_an_up_drops_the_reason(store):
    answer_id = await keep_for_rating(store, ANSWER, platform="discord", question="How much?")
    await rate(store, answer_id, platform="discord", user_id="7", rating="down", reason="too vague")
    await rate(store, answer_id, platform="discord", user_id="7", rating="up", reason="ignored")
    await rate(store, answer_id, platform="discord", user_id="8", rating="down")
    ratings = {r.user_id: (r.rating, r.reason) for r in store.ratings() if r.answer.id == answer_id}
    assert ratings == {"7": ("up", ""), "8": ("down", "")}
    assert [r.user_id for r in store.ratings(rating="down") if r.answer.id == answer_id] == ["8"]


async def test_a_rating_for_an_unknown_answer_is_refused(store):
    unknown = uuid.uuid4().hex
    assert not await rate(store, unknown, platform="slack", user_id="U1", rating="up")
    assert store.rated_answer(unknown) is None and all(r.answer.id != unknown for r in store.ratings())


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    clean.update(BRIEFBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'fb.sqlite3'}", PYTHONPATH=str(ROOT))
    return clean


def run(env, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_feedback_from_the_chat_is_reported_and_exported(env, tmp_path):
    assert "no feedback yet" in run(env, "feedback").stdout
    chat = run(env, "chat", stdin=(
        "/good\n"
        "Quanto vale l'accordo?\n/good\n"
        "Who is Sam Altman?\n/bad it should know him\n"
        "/brief en\n/bad too long\n"
    ))  # fmt: skip
    assert chat.returncode == 0, chat.stderr
    assert "Nothing to rate yet" in chat.stdout and chat.stdout.count("Thanks, noted") == 3

    exported = tmp_path / "disliked.jsonl"
    result = run(env, "feedback", "--export-eval", str(exported))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "3 ratings on 3 replies: 👍 1  👎 2" in out
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in out.splitlines()[3:6]}
    assert rows == {("offline", "answered"): ["1", "0"], ("offline", "refused"): ["0", "1"],
                    ("offline", "briefing"): ["0", "1"]}  # fmt: skip
    assert "terminal user" in out and "Who is Sam Altman?" in out and "reason: it should know him" in out
    assert "(a en briefing)" in out and "reason: too long" in out
    assert "wrote 1 eval item to" in out

    [item] = load_items(exported)  # the eval command reads it
    assert {k: item[k] for k in ("kind", "lang", "question", "expect")} == {
        "kind": "answerable", "lang": "en", "question": "Who is Sam Altman?", "expect": []}  # fmt: skip
    assert item["disliked"]["outcome"] == "refused" and item["disliked"]["reason"] == "it should know him"
    assert json.loads(exported.read_text().splitlines()[0])["id"].startswith("feedback-")


def test_export_to_an_unwritable_place_is_one_line(env, tmp_path):
    result = run(env, "feedback", "--export-eval", str(tmp_path / "missing" / "x.jsonl"))
    assert result.returncode == 2 and result.stderr.startswith("briefbot: error: cannot write")
    assert "Traceback" not in result.stderr
