"""Issue 14, observability: the real processes (``python -m bot slack --http``, ``discord``,
``digest --serve``, ``serve``) against the fakes over loopback. After real traffic, ``/metrics``
shows the counters moved by exactly the right amounts, ``/readyz`` says when the process is
ready (and what is not), and each answer leaves one JSON log line without its text or a secret."""

from __future__ import annotations

import asyncio
import json
import signal
import time

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from tests.discord_helpers import TOKEN as DISCORD_TOKEN
from tests.process_helpers import bot_env, bot_process, free_port, slack_env, slack_http_bot
from tests.slack_helpers import BOT_TOKEN, SIGNING_SECRET, TEAM_ID, mention
from tests.support import GROUNDED_ANSWER

WAIT = 30.0  # safety net only
OFF_TOPIC = "What is the capital of Peru?"  # no article says
ON_TOPIC = ("How much is the deal worth?", "How long does the deal last?")


async def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of ``url``'s Prometheus text, keyed by (sample name, labels)."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    """The sum of ``name``'s samples whose labels include ``labels`` (0 when there is none)."""
    wanted = set(labels.items())
    return sum(v for (n, found), v in samples.items() if n == name and wanted <= found)


async def get(url: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def wait_until(condition, limit: float = WAIT) -> None:
    deadline = time.monotonic() + limit
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


async def wait_for_count(url: str, name: str, count: float, **labels: str) -> dict:
    """Scrape until ``name`` reaches ``count``; then once more a moment later (nothing more may come)."""
    async def reached() -> bool:
        return value(await scrape(url), name, **labels) >= count

    await wait_until(reached)
    await asyncio.sleep(0.5)
    return await scrape(url)


async def ready(url: str) -> bool:
    try:
        return (await get(url))[0] == 200
    except aiohttp.ClientError:
        return False


def answer_lines(log: str) -> list[dict]:
    """The JSON log lines of answered questions."""
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    return [e for e in entries if e.get("event") == "answer"]


def model_responder(body) -> str:
    question = body["messages"][-1]["content"]
    return "NOT_IN_ARTICLE" if "Peru" in question else GROUNDED_ANSWER


# --- slack --http --------------------------------------------------------------------------------


async def test_slack_http_counts_three_questions_by_outcome_with_tokens_and_one_json_line_each(
    slack_api, fake_openai, tmp_path
):
    fake_openai.responder = model_responder
    env = slack_env(tmp_path, slack_api, fake_openai, BRIEFBOT_STREAM_ANSWERS="false", BRIEFBOT_JUDGE="off",
                    BRIEFBOT_LOG_FORMAT="json")  # fmt: skip
    async with slack_http_bot(env, slack_api) as (bot, sender):
        base = bot.url.removesuffix("/healthz")
        await wait_until(lambda: ready(base + "/readyz"))  # knowledge warmed up while serving began
        assert await get(base + "/readyz") == (200, {"ready": True})
        before = await scrape(base + "/metrics")
        assert value(before, "briefbot_questions_total") == 0
        assert (await sender.event(mention(ON_TOPIC[0], "1.1")))[0] == 200
        assert (await sender.command("/ask", ON_TOPIC[1]))[0] == 200
        assert (await sender.event(mention(OFF_TOPIC, "1.2")))[0] == 200
        after = await wait_for_count(base + "/metrics", "briefbot_questions_total", 3)
        log = bot.log

    calls = [r for r in fake_openai.requests if r.path.endswith("/chat/completions")]
    assert len(calls) == 3  # one model call per question: no judge, no retries
    slack = {"platform": "slack", "engine": "openai"}
    assert value(after, "briefbot_questions_total", **slack, outcome="answered") == 2
    assert value(after, "briefbot_questions_total", **slack, outcome="refused") == 1
    assert value(after, "briefbot_questions_total") == 3
    assert value(after, "briefbot_answer_seconds_count", **slack) == 3
    assert value(after, "briefbot_model_seconds_count") == 3
    assert value(after, "briefbot_verification_seconds_count") == 2  # a refusal has nothing to verify
    # The fake's usage field: 10 prompt and 5 completion tokens per call.
    assert value(after, "briefbot_model_tokens_total", direction="in") == 30
    assert value(after, "briefbot_model_tokens_total", direction="out") == 15
    assert value(after, "briefbot_model_queue_waiting") == 0
    assert value(after, "briefbot_model_rejections_total") == 0

    lines = answer_lines(log)
    assert len(lines) == 3, log
    assert sorted(line["outcome"] for line in lines) == ["answered", "answered", "refused"]
    for line in lines:
        assert line["level"] == "INFO" and line["logger"] == "bot.answers" and line["time"]
        assert line["platform"] == "slack" and line["engine"] == "openai"
        assert line["conversation"].startswith(f"slack:{TEAM_ID}:")
        assert len(line["user"]) == 16 and "U0" not in line["user"]  # hashed
        assert line["tokens_in"] == 10 and line["tokens_out"] == 5
        assert line["total_ms"] >= line["model_ms"] > 0
        assert "question" not in line and "answer" not in line
    assert sum(line["verification_ms"] > 0 for line in lines) == 2
    for text in (*ON_TOPIC, OFF_TOPIC, "38 billion"):  # no question or answer text in the log
        assert text not in log
    for secret in (BOT_TOKEN, SIGNING_SECRET, "sk-test-key"):
        assert secret not in log


async def test_every_outcome_a_model_answer_can_have_is_counted_once(slack_api, fake_openai, tmp_path):
    from tests.fakes.openai_server import Status

    scripted = {
        "How much is the deal worth?": GROUNDED_ANSWER,
        "How long does the deal last?": "The deal is worth $99 billion [openai-aws/p3].",  # not what p3 says
        "Who is the AWS chief?": Status(500, {"error": {"message": "overloaded"}}),
        OFF_TOPIC: "NOT_IN_ARTICLE",
    }
    fake_openai.responder = lambda body: next(v for k, v in scripted.items() if k in body["messages"][-1]["content"])
    env = slack_env(tmp_path, slack_api, fake_openai, BRIEFBOT_STREAM_ANSWERS="false", BRIEFBOT_JUDGE="off",
                    BRIEFBOT_RATE_LIMIT="4", BRIEFBOT_LOG_FORMAT="json")  # fmt: skip
    async with slack_http_bot(env, slack_api) as (bot, sender):
        metrics = bot.url.removesuffix("/healthz") + "/metrics"
        for number, question in enumerate([*scripted, "How much is the deal worth?"], start=1):  # the 5th: limited
            assert (await sender.command("/ask", question))[0] == 200
            after = await wait_for_count(metrics, "briefbot_questions_total", number)
        log = bot.log
    counted = {outcome: value(after, "briefbot_questions_total", platform="slack", engine="openai", outcome=outcome)
               for outcome in ("answered", "verification_failed", "fallback", "refused", "rate_limited", "busy")}
    assert counted == {"answered": 1, "verification_failed": 1, "fallback": 1, "refused": 1, "rate_limited": 1,
                       "busy": 0}  # fmt: skip
    assert value(after, "briefbot_model_seconds_count") == 4  # the rate-limited question never reached the model
    assert value(after, "briefbot_model_tokens_total", direction="in") == 30  # the 500 has no usage
    assert [line["outcome"] for line in answer_lines(log)] == [
        "answered", "verification_failed", "fallback", "refused", "rate_limited"]  # fmt: skip


async def test_the_question_text_is_logged_only_when_asked_for(slack_api, tmp_path):
    env = slack_env(tmp_path, slack_api, BRIEFBOT_LOG_FORMAT="json", BRIEFBOT_LOG_TEXT="true")
    async with slack_http_bot(env, slack_api) as (bot, sender):
        base = bot.url.removesuffix("/healthz")
        await sender.event(mention(ON_TOPIC[0], "1.1"))
        after = await wait_for_count(base + "/metrics", "briefbot_questions_total", 1)
        log = bot.log
    assert value(after, "briefbot_questions_total", platform="slack", engine="offline", outcome="answered") == 1
    [line] = answer_lines(log)
    assert line["question"] == ON_TOPIC[0] and "38" in line["answer"]
    assert line["tokens_in"] == 0 and line["model_ms"] == 0  # the offline engine calls no model


async def test_readyz_is_503_until_slack_is_connected_and_while_the_store_is_down(slack_api, tmp_path, postgres_url):
    import sqlalchemy as sa

    from tests.test_resilience_process import TcpProxy

    url = sa.make_url(postgres_url)
    proxy = TcpProxy(url.port or 5432)
    await proxy.up()
    health = free_port()
    env = slack_env(tmp_path, slack_api, BRIEFBOT_DATABASE_URL=url.set(port=proxy.port).render_as_string(False),
                    BRIEFBOT_HEALTH_PORT=str(health), BRIEFBOT_HEALTH_HOST="127.0.0.1")  # fmt: skip
    slack_api.hang("auth.test", 3)  # the token check at start takes a while: not ready meanwhile
    readyz = f"http://127.0.0.1:{health}/readyz"
    try:
        async with slack_http_bot_starting(env) as bot:
            await wait_until(lambda: alive(f"http://127.0.0.1:{health}/healthz"))
            status, body = await get(readyz)
            assert status == 503 and body["ready"] is False
            assert "slack" in body["not_ready"], body
            await wait_until(lambda: ready(readyz))
            assert await get(readyz) == (200, {"ready": True})

            await proxy.down()
            status, body = await get(readyz)
            assert status == 503 and list(body["not_ready"]) == ["store"], body
            assert "database unavailable" in body["not_ready"]["store"]
            assert (await get(f"http://127.0.0.1:{health}/healthz"))[0] == 200  # alive all the same

            await proxy.up()
            await wait_until(lambda: ready(readyz))
            bot.signal(signal.SIGTERM)
            assert await bot.exit_code() == 0, bot.log
    finally:
        await proxy.down()
    assert url.password is None or url.password not in bot.log


def slack_http_bot_starting(env):
    """``slack --http`` without waiting for it to be up (the test watches it start)."""
    return bot_process(env, "slack", "--http", "--host", "127.0.0.1", "--port", str(free_port()))


async def alive(url: str) -> bool:
    try:
        return (await get(url))[0] == 200
    except aiohttp.ClientError:
        return False


# --- discord ---------------------------------------------------------------------------------------


def discord_env(tmp_path, fake_discord, **values: str) -> dict[str, str]:
    return bot_env(tmp_path, DISCORD_TOKEN=DISCORD_TOKEN, DISCORD_API_URL=fake_discord.api_url,
                   DISCORD_GATEWAY_URL=fake_discord.gateway_url, **values)  # fmt: skip


async def test_discord_is_ready_after_the_gateway_and_counts_questions_and_a_429_wait(fake_discord, tmp_path):
    health = free_port()
    base = f"http://127.0.0.1:{health}"
    env = discord_env(tmp_path, fake_discord, BRIEFBOT_HEALTH_PORT=str(health), BRIEFBOT_LOG_FORMAT="json")
    async with bot_process(env, "discord") as bot:
        await wait_until(lambda: ready(base + "/readyz"))  # READY from the fake gateway
        await asyncio.wait_for(fake_discord.wait_for_identify(), WAIT)
        fake_discord.fail("POST", r"/channels/\d+/messages", 429, retry_after=0.3, global_=False)
        for text, posts in ((ON_TOPIC[0], 2), (OFF_TOPIC, 1)):  # the first answer's post: a 429, then again
            question = fake_discord.mention(text)
            await fake_discord.dispatch("MESSAGE_CREATE", question)
            thread = f"/channels/{question['id']}/messages"
            await asyncio.wait_for(fake_discord.wait_for(lambda r, t=thread: r.method == "POST" and r.path == t,
                                                         count=posts), WAIT)  # fmt: skip
        after = await wait_for_count(base + "/metrics", "briefbot_questions_total", 2)
        bot.signal(signal.SIGTERM)
        assert await bot.exit_code() == 0, bot.log
    discord = {"platform": "discord", "engine": "offline"}
    assert value(after, "briefbot_questions_total", **discord, outcome="answered") == 1
    assert value(after, "briefbot_questions_total", **discord, outcome="refused") == 1
    assert value(after, "briefbot_questions_total") == 2
    assert value(after, "briefbot_rate_limit_waits_total", platform="discord") == 1
    assert value(after, "briefbot_rate_limit_wait_seconds_total", platform="discord") >= 0.3
    assert value(after, "briefbot_model_seconds_count") == 0
    lines = answer_lines(bot.log)
    assert sorted(line["outcome"] for line in lines) == ["answered", "refused"]
    assert all(line["conversation"].startswith("discord:") for line in lines)
    assert DISCORD_TOKEN not in bot.log and ON_TOPIC[0] not in bot.log


# --- digest --serve ----------------------------------------------------------------------------------


def due_slack_subscriptions(tmp_path, *channels: str) -> None:
    import datetime as dt

    from bot.store.database import Store, Subscription

    store = Store(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    for channel in channels:
        store.save_subscription(Subscription("slack", channel, TEAM_ID, f"{dt.datetime.now(dt.UTC):%H:%M}", "UTC",
                                             "en"))  # fmt: skip
    store.close()


async def test_digest_serve_counts_posts_by_outcome_and_the_slack_429_wait(slack_api, tmp_path):
    due_slack_subscriptions(tmp_path, "C0000001", "C0000002", "C0000003")
    slack_api.rate_limit("chat.postMessage", retry_after=1)  # the first post waits once, then goes
    health = free_port()
    base = f"http://127.0.0.1:{health}"
    env = slack_env(tmp_path, slack_api, BRIEFBOT_HEALTH_PORT=str(health))
    async with bot_process(env, "digest", "--serve") as bot:
        await wait_until(lambda: ready(base + "/readyz"))
        after = await wait_for_count(base + "/metrics", "briefbot_digest_posts_total", 3)
        bot.signal(signal.SIGTERM)
        assert await bot.exit_code() == 0, bot.log
    assert value(after, "briefbot_digest_posts_total", platform="slack", outcome="posted") == 3
    assert value(after, "briefbot_digest_posts_total") == 3
    assert value(after, "briefbot_rate_limit_waits_total", platform="slack") == 1
    assert value(after, "briefbot_rate_limit_wait_seconds_total", platform="slack") >= 1
    assert value(after, "briefbot_questions_total") == 0  # a digest is no question
    posted = [c for c in slack_api.calls_to("chat.postMessage") if c.response.get("ok")]
    assert len({c.args["channel"] for c in posted}) == 3


async def test_digest_serve_counts_a_paused_channel_as_paused(slack_api, tmp_path):
    due_slack_subscriptions(tmp_path, "C0000001")
    slack_api.fail("chat.postMessage", "channel_not_found")
    health = free_port()
    base = f"http://127.0.0.1:{health}"
    env = slack_env(tmp_path, slack_api, BRIEFBOT_HEALTH_PORT=str(health))
    async with bot_process(env, "digest", "--serve") as bot:
        await wait_until(lambda: alive(base + "/healthz"))
        after = await wait_for_count(base + "/metrics", "briefbot_digest_posts_total", 1)
        bot.signal(signal.SIGTERM)
        assert await bot.exit_code() == 0, bot.log
    assert value(after, "briefbot_digest_posts_total", platform="slack", outcome="paused") == 1
    assert value(after, "briefbot_digest_posts_total") == 1


# --- serve ---------------------------------------------------------------------------------------------


async def test_serve_is_ready_with_slack_and_discord_up_and_counts_each_platform(slack_api, fake_discord, tmp_path):
    from tests.slack_helpers import SlackSender

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = slack_env(tmp_path, slack_api, DISCORD_TOKEN=DISCORD_TOKEN, DISCORD_API_URL=fake_discord.api_url,
                    DISCORD_GATEWAY_URL=fake_discord.gateway_url)  # fmt: skip
    async with bot_process(env, "serve", "--host", "127.0.0.1", "--port", str(port)) as bot:
        await wait_until(lambda: ready(base + "/readyz"))
        await asyncio.wait_for(fake_discord.wait_for_identify(), WAIT)  # ready means the gateway is up too
        async with aiohttp.ClientSession() as session:
            sender = SlackSender(session, base + "/slack/events", slack_api)
            assert (await sender.event(mention(ON_TOPIC[0], "1.1")))[0] == 200
        await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.mention(OFF_TOPIC))
        after = await wait_for_count(base + "/metrics", "briefbot_questions_total", 2)
        bot.signal(signal.SIGTERM)
        assert await bot.exit_code() == 0, bot.log
    assert value(after, "briefbot_questions_total", platform="slack", outcome="answered") == 1
    assert value(after, "briefbot_questions_total", platform="discord", outcome="refused") == 1
    assert value(after, "briefbot_questions_total") == 2
    # The digest scheduler runs in serve too: no subscription, so no post.
    assert value(after, "briefbot_digest_posts_total") == 0


# --- slack --socket ---------------------------------------------------------------------------------


async def test_slack_socket_mode_is_ready_once_connected_and_counts_its_questions(slack_api, tmp_path):
    from tests.slack_helpers import APP_TOKEN, SlackSender

    health = free_port()
    base = f"http://127.0.0.1:{health}"
    env = slack_env(tmp_path, slack_api, SLACK_APP_TOKEN=APP_TOKEN, BRIEFBOT_HEALTH_PORT=str(health),
                    BRIEFBOT_LOG_FORMAT="json")  # fmt: skip
    async with bot_process(env, "slack", "--socket") as bot:
        await wait_until(lambda: ready(base + "/readyz"))
        await slack_api.wait_for_socket()
        payload = json.loads(SlackSender(None, "", slack_api).event_body(mention(ON_TOPIC[0], "1.1"),
                                                                          event_id="EvSOCKET1"))  # fmt: skip
        await slack_api.wait_for_ack(await slack_api.send_envelope("events_api", payload))
        after = await wait_for_count(base + "/metrics", "briefbot_questions_total", 1)
        bot.signal(signal.SIGTERM)
        assert await bot.exit_code() == 0, bot.log
    assert value(after, "briefbot_questions_total", platform="slack", engine="offline", outcome="answered") == 1
    [line] = answer_lines(bot.log)
    assert line["conversation"] == f"slack:{TEAM_ID}:C0000001:1.1"
    assert APP_TOKEN not in bot.log and BOT_TOKEN not in bot.log
