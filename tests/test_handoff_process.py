"""Issue 14's durable hand-off, on real processes (``python -m bot ...``) over loopback: a question
accepted by a process that is killed before answering is answered, once, by another process of
the same platform sharing the store (a SQLite file, or PostgreSQL)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.store.database import Store, accepted_questions
from tests.conftest import postgres_schema
from tests.fakes.openai_server import Delay
from tests.process_helpers import bot_env, bot_process, free_port, slack_env, slack_http_bot, wait_until
from tests.slack_helpers import CHANNEL, USER, blocks_text, mention
from tests.support import GROUNDED_ANSWER

WAIT = 30.0  # safety net only
LEASE = 2.0
SCAN = 0.5
HANDOFF = {"BRIEFBOT_HANDOFF_LEASE": str(LEASE), "BRIEFBOT_HANDOFF_SCAN": str(SCAN), "BRIEFBOT_STREAM_ANSWERS": "false"}


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_store(request, tmp_path) -> Iterator[str]:
    """The database both processes share; PostgreSQL on a schema of its own, so no questions or
    event claims of other tests (the fakes number their messages and events the same way in
    every test) reach it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def shared_file(tmp_path) -> str:
    """A SQLite file both processes share, for the tests of where an answer goes: the bookkeeping
    under them runs on PostgreSQL in the tests above and in tests/test_handoff_store.py."""
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}"


def replica(env: dict[str, str], fake_slack):
    """A Slack process taking questions once ready: its store open, its knowledge loaded and the
    engines warmed, so that a first start's work never holds a question past its short lease."""
    return slack_http_bot(env, fake_slack, until="/readyz")


def recorded_keys(url: str) -> list[str]:
    store = Store(url)
    try:
        with store.engine.connect() as db:
            return list(db.execute(sa.select(accepted_questions.c.key)).scalars())
    finally:
        store.close()


def question_row(url: str, key: str):
    store = Store(url)
    try:
        return store.accepted_question(key)
    finally:
        store.close()


def model_calls(fake_openai) -> int:
    return len([r for r in fake_openai.requests if r.path.endswith("/chat/completions")])


def slack_answers(fake_slack) -> list[str]:
    return [text for text in (blocks_text(call) for call in fake_slack.replies()) if "$38 billion" in text]


# --- Slack ---------------------------------------------------------------------------------------


async def test_a_slack_question_whose_process_is_killed_is_answered_once_by_another(
    slack_api, fake_openai, tmp_path, shared_store
):
    slow = True
    fake_openai.responder = lambda _body: Delay(60, GROUNDED_ANSWER) if slow else GROUNDED_ANSWER
    env = slack_env(tmp_path, slack_api, fake_openai, BRIEFBOT_DATABASE_URL=shared_store, **HANDOFF)
    async with replica(env, slack_api) as (a, sender), replica(env, slack_api) as (b, _):
        assert (await sender.event(mention("How much is the deal worth?", "1.1"), event_id="EvKILLED"))[0] == 200
        await wait_until(lambda: model_calls(fake_openai) == 1)
        a.signal(signal.SIGKILL)
        await a.exit_code()
        killed_at, slow = time.monotonic(), False
        await wait_until(lambda: slack_answers(slack_api))
        recovered_in = time.monotonic() - killed_at
        await asyncio.sleep(3 * LEASE)  # nothing more arrives
        b_log = b.log
    [placeholder] = [c for c in slack_api.calls_to("chat.postMessage") if "hourglass" in c.args.get("text", "")]
    [answer] = [c for c in slack_api.replies() if "$38 billion" in blocks_text(c)]
    assert answer.method == "chat.update" and answer.args["ts"] == placeholder.response["ts"]  # A's ⏳, replaced
    assert recovered_in < LEASE + SCAN + 8, recovered_in
    assert "answering question slack:EvKILLED whose process stopped (attempt 2)" in b_log
    assert "Traceback" not in b_log
    _, status, _ = question_row(shared_store, "slack:EvKILLED")
    assert status == "done"


async def test_an_ask_command_whose_process_is_killed_is_answered_once_by_another(
    slack_api, fake_openai, tmp_path, shared_file
):
    slow = True
    fake_openai.responder = lambda _body: Delay(60, GROUNDED_ANSWER) if slow else GROUNDED_ANSWER
    env = slack_env(tmp_path, slack_api, fake_openai, BRIEFBOT_DATABASE_URL=shared_file, **HANDOFF)
    async with replica(env, slack_api) as (a, sender), replica(env, slack_api) as (b, _):
        assert (await sender.command("/ask", "How much is the deal worth?"))[0] == 200
        await wait_until(lambda: model_calls(fake_openai) == 1)
        a.signal(signal.SIGKILL)
        await a.exit_code()
        killed_at, slow = time.monotonic(), False
        await wait_until(lambda: slack_answers(slack_api))
        recovered_in = time.monotonic() - killed_at
        await asyncio.sleep(3 * LEASE)  # nothing more arrives
        b_log = b.log
    [answer] = [c for c in slack_api.replies() if "$38 billion" in blocks_text(c)]
    assert answer.method == "chat.postMessage" and answer.args["channel"] == CHANNEL
    assert f"<@{USER}> “How much is the deal worth?”" in blocks_text(answer)  # who asked what, as usual
    assert recovered_in < LEASE + SCAN + 8, recovered_in
    assert "answering question slack:command:" in b_log and "Traceback" not in b_log


async def test_an_ask_command_recovered_where_the_bot_may_not_post_is_answered_through_its_response_url(
    slack_api, fake_openai, tmp_path, shared_file
):
    slow = True
    fake_openai.responder = lambda _body: Delay(60, GROUNDED_ANSWER) if slow else GROUNDED_ANSWER
    env = slack_env(tmp_path, slack_api, fake_openai, BRIEFBOT_DATABASE_URL=shared_file, **HANDOFF)
    async with replica(env, slack_api) as (a, sender), replica(env, slack_api):
        await sender.command("/ask", "How much is the deal worth?")
        await wait_until(lambda: model_calls(fake_openai) == 1)
        a.signal(signal.SIGKILL)
        await a.exit_code()
        slow = False
        slack_api.fail("chat.postMessage", "not_in_channel")
        await wait_until(lambda: slack_answers(slack_api))
        await asyncio.sleep(2 * LEASE)
    [answer] = [c for c in slack_api.calls_to("response_url") if "$38 billion" in blocks_text(c)]
    assert answer.args["response_type"] == "in_channel"  # everyone sees it, as a live /ask's
    [row] = [question_row(shared_file, key) for key in recorded_keys(shared_file) if key.startswith("slack:command:")]
    assert row[1] == "done" and row[0].reply_url == ""  # the response_url is not kept once answered


async def test_a_lapsed_command_past_its_age_limit_gets_an_apology_for_the_asker_alone(
    slack_api, fake_openai, tmp_path, shared_file
):
    fake_openai.responder = lambda _body: Delay(60, GROUNDED_ANSWER)
    env = slack_env(tmp_path, slack_api, fake_openai, BRIEFBOT_DATABASE_URL=shared_file, **HANDOFF,
                    BRIEFBOT_HANDOFF_MAX_AGE="1")  # fmt: skip
    async with replica(env, slack_api) as (a, sender), replica(env, slack_api) as (b, _):
        await sender.command("/brief", "it")
        await wait_until(lambda: model_calls(fake_openai) == 1)
        a.signal(signal.SIGKILL)
        await wait_until(lambda: any("please ask it again" in blocks_text(c) for c in slack_api.replies()))
        await asyncio.sleep(2 * LEASE)
        b_log = b.log
    [apology] = [c for c in slack_api.replies() if "please ask it again" in blocks_text(c)]
    assert apology.method == "response_url" and apology.args["response_type"] == "ephemeral"
    assert slack_api.calls_to("chat.postMessage") == [] and model_calls(fake_openai) == 1
    assert "giving up on question slack:command:" in b_log
    [row] = [question_row(shared_file, key) for key in recorded_keys(shared_file)]
    assert row[1] == "abandoned" and row[0].reply_url == ""


async def test_a_slack_process_that_wakes_up_after_its_question_was_taken_over_does_not_post(
    slack_api, fake_openai, tmp_path, shared_store
):
    fake_openai.responder = lambda _body: Delay(1, GROUNDED_ANSWER)
    env = slack_env(tmp_path, slack_api, fake_openai, BRIEFBOT_DATABASE_URL=shared_store, **HANDOFF)
    async with replica(env, slack_api) as (a, sender), replica(env, slack_api) as (b, _):
        await sender.event(mention("How much is the deal worth?", "1.1"), event_id="EvFROZEN")
        await wait_until(lambda: model_calls(fake_openai) == 1)
        a.signal(signal.SIGSTOP)  # frozen (a long GC pause, a suspended VM) past its lease
        await wait_until(lambda: slack_answers(slack_api))
        a.signal(signal.SIGCONT)  # its model answer is waiting for it
        await wait_until(lambda: "not posting this answer" in a.log or "lost question" in a.log)
        await asyncio.sleep(3 * LEASE)
        a_log, b_log = a.log, b.log
    assert len(slack_answers(slack_api)) == 1, slack_answers(slack_api)
    assert "Traceback" not in a_log
    assert "answering question slack:EvFROZEN whose process stopped" in b_log
    assert model_calls(fake_openai) == 2  # A's, answered too late, and B's


async def test_an_answered_slack_question_is_never_answered_again(slack_api, fake_openai, tmp_path, shared_store):
    fake_openai.responder = lambda _body: GROUNDED_ANSWER
    env = slack_env(tmp_path, slack_api, fake_openai, BRIEFBOT_DATABASE_URL=shared_store, **HANDOFF)
    async with replica(env, slack_api) as (_a, sender), replica(env, slack_api) as (b, _):
        await sender.event(mention("How much is the deal worth?", "1.1"), event_id="EvANSWERED")
        await wait_until(lambda: slack_answers(slack_api))
        await asyncio.sleep(4 * LEASE)  # leases would have lapsed long ago
        b_log = b.log
    assert len(slack_answers(slack_api)) == 1 and model_calls(fake_openai) == 1
    assert "whose process stopped" not in b_log
    _, status, _ = question_row(shared_store, "slack:EvANSWERED")
    assert status == "done"


async def test_a_lapsed_question_past_its_age_limit_gets_an_apology_instead_of_silence(
    slack_api, fake_openai, tmp_path, shared_store
):
    fake_openai.responder = lambda _body: Delay(60, GROUNDED_ANSWER)
    env = slack_env(tmp_path, slack_api, fake_openai, BRIEFBOT_DATABASE_URL=shared_store, **HANDOFF,
                    BRIEFBOT_HANDOFF_MAX_AGE="1")  # fmt: skip
    async with replica(env, slack_api) as (a, sender), replica(env, slack_api) as (b, _):
        await sender.event(mention("How much is the deal worth?", "1.1"), event_id="EvTOOOLD")
        await wait_until(lambda: model_calls(fake_openai) == 1)
        a.signal(signal.SIGKILL)
        await wait_until(lambda: any("please ask it again" in blocks_text(c) for c in slack_api.replies()))
        await asyncio.sleep(2 * LEASE)
        b_log = b.log
    [apology] = [c for c in slack_api.replies() if "please ask it again" in blocks_text(c)]
    assert apology.method == "chat.update"  # in place of the ⏳
    assert model_calls(fake_openai) == 1 and not slack_answers(slack_api)
    assert "giving up on question slack:EvTOOOLD (too old)" in b_log
    _, status, _ = question_row(shared_store, "slack:EvTOOOLD")
    assert status == "abandoned"


# --- Discord -------------------------------------------------------------------------------------


def discord_env(tmp_path, fake_discord, fake_openai, url: str, **values: str) -> dict[str, str]:
    from tests.discord_helpers import TOKEN

    return bot_env(tmp_path, DISCORD_TOKEN=TOKEN, DISCORD_API_URL=fake_discord.api_url,
                   DISCORD_GATEWAY_URL=fake_discord.gateway_url, BRIEFBOT_ENGINE="openai",
                   OPENAI_API_KEY="sk-test-key", OPENAI_BASE_URL=fake_openai.base_url, BRIEFBOT_MODEL_ATTEMPTS="1",
                   BRIEFBOT_DATABASE_URL=url, **HANDOFF, **values)  # fmt: skip


RECOVERING = "hand-off: recovering lapsed discord questions"


def discord_replica(env: dict[str, str]):
    """A Discord process, once ready (/readyz: the gateway's READY, the store open, the knowledge
    loaded): an event dispatched earlier could reach a client still handshaking."""
    port = free_port()
    env = {**env, "BRIEFBOT_HEALTH_PORT": str(port), "BRIEFBOT_HEALTH_HOST": "127.0.0.1"}
    return bot_process(env, "discord", ready_url=f"http://127.0.0.1:{port}/readyz")


def posts_to(fake_discord, channel_id: int) -> list[str]:
    return [r.body["content"] for r in fake_discord.requests
            if r.method == "POST" and r.path == f"/channels/{channel_id}/messages"]  # fmt: skip


async def test_a_discord_question_whose_process_is_killed_is_answered_once_by_the_next_one(
    fake_discord, fake_openai, tmp_path, shared_store
):
    slow = True
    fake_openai.responder = lambda _body: Delay(60, GROUNDED_ANSWER) if slow else GROUNDED_ANSWER
    env = discord_env(tmp_path, fake_discord, fake_openai, shared_store)
    question = fake_discord.mention("How much is the deal worth?")
    thread = int(question["id"])  # the fake's thread started from a message has the message's id
    async with discord_replica(env) as a:
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        await wait_until(lambda: model_calls(fake_openai) == 1)
        a.signal(signal.SIGKILL)
        await a.exit_code()
    killed_at, slow = time.monotonic(), False
    async with discord_replica(env) as b:  # the next process on the same token and store
        await wait_until(lambda: RECOVERING in b.log, limit=60)  # a loaded machine starts slowly
        looking_at = max(time.monotonic(), killed_at + LEASE)  # from when the lease lapsed and B looks
        await wait_until(lambda: any("38 billion" in text for text in posts_to(fake_discord, thread)))
        recovered_in = time.monotonic() - looking_at
        await asyncio.sleep(3 * LEASE)
        b.signal(signal.SIGTERM)
        assert await b.exit_code() == 0, b.log
    threads = [r for r in fake_discord.requests if r.path.endswith("/threads")]
    assert len(threads) == 1  # A started the thread; B answered in it, without starting another
    [answer] = posts_to(fake_discord, thread)
    assert "38 billion" in answer
    assert recovered_in < SCAN + 8, recovered_in
    assert f"answering question discord:{thread} whose process stopped (attempt 2)" in b.log
    assert "Traceback" not in b.log
    _, status, _ = question_row(shared_store, f"discord:{thread}")
    assert status == "done"


async def test_a_discord_ask_whose_process_is_killed_is_answered_once_through_its_follow_up_by_the_next_one(
    fake_discord, fake_openai, tmp_path, shared_file
):
    from tests.fakes.discord_server import APP_ID

    slow = True
    fake_openai.responder = lambda _body: Delay(60, GROUNDED_ANSWER) if slow else GROUNDED_ANSWER
    env = discord_env(tmp_path, fake_discord, fake_openai, shared_file)
    interaction = fake_discord.interaction("ask", {"question": "How much is the deal worth?"})
    follow_ups = f"/webhooks/{APP_ID}/{interaction['token']}"

    def answers() -> list[str]:
        return [r.body["content"] for r in fake_discord.requests if r.method == "POST" and r.path == follow_ups]

    async with discord_replica(env) as a:
        await fake_discord.dispatch("INTERACTION_CREATE", interaction)
        await wait_until(lambda: model_calls(fake_openai) == 1)  # deferred ("thinking"), the model asked
        a.signal(signal.SIGKILL)
        await a.exit_code()
    slow = False
    async with discord_replica(env) as b:
        await wait_until(lambda: RECOVERING in b.log, limit=60)
        await wait_until(answers)
        await asyncio.sleep(3 * LEASE)
        b.signal(signal.SIGTERM)
        assert await b.exit_code() == 0, b.log
    [answer] = answers()  # in place of A's "thinking", through the interaction's own follow-up
    assert "38 billion" in answer
    assert f"answering question discord:interaction:{interaction['id']} whose process stopped" in b.log
    _, status, _ = question_row(shared_file, f"discord:interaction:{interaction['id']}")
    assert status == "done"


async def test_a_discord_follow_up_whose_process_is_killed_is_answered_once_in_its_thread_by_the_next_one(
    fake_discord, fake_openai, tmp_path, shared_file
):
    slow = False
    fake_openai.responder = lambda _body: Delay(60, GROUNDED_ANSWER) if slow else GROUNDED_ANSWER
    env = discord_env(tmp_path, fake_discord, fake_openai, shared_file)
    question = fake_discord.mention("How much is the deal worth?")
    thread = int(question["id"])
    async with discord_replica(env) as a:
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        await wait_until(lambda: posts_to(fake_discord, thread))
        answer = fake_discord.created_messages[-1]
        buttons = [b for row in answer["components"] for b in row["components"]]
        [button] = [b for b in buttons if b["custom_id"].startswith("briefbot:fu:0:")]
        slow = True
        press = fake_discord.component_interaction(button["custom_id"], answer)
        await fake_discord.dispatch("INTERACTION_CREATE", press)
        await wait_until(lambda: model_calls(fake_openai) == 2)  # the follow-up is being answered
        a.signal(signal.SIGKILL)
        await a.exit_code()
    slow = False
    async with discord_replica(env) as b:
        await wait_until(lambda: len(posts_to(fake_discord, thread)) == 3)  # answer, asker's line, answer
        await asyncio.sleep(3 * LEASE)
        b.signal(signal.SIGTERM)
        assert await b.exit_code() == 0, b.log
    _first, asked, answered = posts_to(fake_discord, thread)
    assert asked == f"**alice**: {button['label']}" and "38 billion" in answered
    assert f"answering question discord:interaction:{press['id']} whose process stopped" in b.log
    _, status, _ = question_row(shared_file, f"discord:interaction:{press['id']}")
    assert status == "done"


async def test_an_answered_discord_question_is_never_answered_again(fake_discord, fake_openai, tmp_path, shared_store):
    fake_openai.responder = lambda _body: GROUNDED_ANSWER
    env = discord_env(tmp_path, fake_discord, fake_openai, shared_store)
    question = fake_discord.mention("How much is the deal worth?")
    thread = int(question["id"])
    async with discord_replica(env) as a:
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        await wait_until(lambda: posts_to(fake_discord, thread))
        # answered means posted AND marked done (killed in between, it is answered again: README)
        await wait_until(lambda: question_row(shared_store, f"discord:{thread}")[1] == "done")
        a.signal(signal.SIGKILL)
        await a.exit_code()
    async with discord_replica(env) as b:
        await wait_until(lambda: RECOVERING in b.log, limit=60)
        await asyncio.sleep(3 * LEASE)
        log = b.log
    assert len(posts_to(fake_discord, thread)) == 1 and model_calls(fake_openai) == 1
    assert "whose process stopped" not in log
