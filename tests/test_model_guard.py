"""The model guard at the core's seam: circuit breaker, error classification, busy."""

import asyncio
import logging

from bot.config import Settings
from bot.engines.model.chat_model import ModelUnavailable
from bot.engines.model.prompts import MissingVariables
from tests.support import GROUNDED_ANSWER, ScriptedModel, real_briefer


def settings(tmp_path, **overrides) -> Settings:
    values = {"database_url": f"sqlite:///{tmp_path / 'b.sqlite3'}", "engine": "openai", "openai_api_key": "k"}
    return Settings(**{**values, **overrides})


async def test_while_the_model_is_down_every_question_falls_back_at_once_and_one_probe_tests_recovery(tmp_path):
    down = ModelUnavailable("the model server could not be reached (1 attempt)")
    model = ScriptedModel(down, down, down, default=GROUNDED_ANSWER)
    async with real_briefer(settings(tmp_path, breaker_failures=3, breaker_cooldown=0.3), model) as briefer:
        for _ in range(3):
            assert (await briefer.answer("How much is the deal worth?")).engine == "offline"
        assert len(model.requests) == 3
        replies = await asyncio.gather(*(briefer.answer("How much is the deal worth?") for _ in range(5)))
        assert {r.engine for r in replies} == {"offline"} and len(model.requests) == 3  # open: no calls
        await asyncio.sleep(0.35)
        model.gate, model.started = asyncio.Event(), asyncio.Event()
        probes = [asyncio.create_task(briefer.answer("How much is the deal worth?")) for _ in range(3)]
        await model.started.wait()
        model.gate.set()
        replies = await asyncio.gather(*probes)
        assert len(model.requests) == 4  # one probe only
        assert sorted(r.engine for r in replies) == ["offline", "offline", "openai"]
        assert (await briefer.answer("How much is the deal worth?")).engine == "openai"  # closed again


async def test_a_bug_is_logged_with_its_traceback_and_the_user_still_gets_an_honest_answer(tmp_path, caplog):
    model = ScriptedModel(MissingVariables("prompt 'answer' needs: question"))
    async with real_briefer(settings(tmp_path), model) as briefer:
        reply = await briefer.answer("How much is the deal worth?")
    assert reply.engine == "offline" and "38 billion" in reply.text
    assert reply.notice == "Something went wrong on my side: answering with the article's own words."
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info and "model unavailable" not in caplog.text


async def test_the_deadline_covers_a_model_that_never_answers(tmp_path):
    model = ScriptedModel(gate=asyncio.Event())  # never released
    async with real_briefer(settings(tmp_path, answer_deadline=0.2), model) as briefer:
        reply = await asyncio.wait_for(briefer.answer("How much is the deal worth?"), 5)
    assert reply.engine == "offline" and reply.notice.startswith("The model is unavailable")
    assert briefer.model_problem == "the model gave no answer within the 0.2 s deadline"


async def test_the_model_cap_holds_across_replicas_sharing_a_postgresql_store(postgres_url):
    from bot.engines.model.slots import ModelSlots
    from bot.store.database import Store

    stores = [Store(postgres_url), Store(postgres_url)]
    try:
        replicas = [ModelSlots(2, 10, store=store, lease_seconds=30) for store in stores]
        first, second = replicas[0].hold(), replicas[0].hold()
        await first.__aenter__()
        await second.__aenter__()  # replica A holds both slots
        waiting = asyncio.create_task(replicas[1].hold().__aenter__())
        await asyncio.sleep(0.3)
        assert not waiting.done()  # replica B waits although its own process is idle
        await first.__aexit__(None, None, None)
        await asyncio.wait_for(waiting, 5)  # and gets the slot A gave back
        await second.__aexit__(None, None, None)
    finally:
        for store in stores:
            store.close()


async def test_the_rate_limit_holds_across_replicas_sharing_a_postgresql_store(postgres_url):
    from bot.core.rate_limit import RateLimiter
    from bot.store.database import Store

    stores = [Store(postgres_url), Store(postgres_url)]
    try:
        now = 1_800_000_000.0  # the start of a minute: no earlier minute weighs in
        replicas = [RateLimiter(store, 10, clock=lambda: now) for store in stores]
        user = "slack:T1:U1"
        waits = [await replicas[n % 2].wait_needed(user) for n in range(12)]
    finally:
        for store in stores:
            store.close()
    assert waits[:10] == [0.0] * 10 and all(wait > 0 for wait in waits[10:])


async def test_the_rate_limit_in_one_process_counts_a_sliding_minute():
    from bot.core.rate_limit import RateLimiter

    now = [1_800_000_000.0]
    limiter = RateLimiter(None, 10, clock=lambda: now[0])
    assert [await limiter.wait_needed("u") for _ in range(11)][-1] == 60.0
    now[0] += 90  # half of the last minute still counts: 11 * 0.5 = 5.5, room for four more
    assert [await limiter.wait_needed("u") for _ in range(5)][:4] == [0.0] * 4
