"""The hand-off's bookkeeping in the store, on SQLite and PostgreSQL: who holds a question, who may
take it over, and when it is given up."""

from __future__ import annotations

from bot.store.database import AcceptedQuestion, Store, accepted_questions


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def fresh_store(url: str, clock: Clock) -> Store:
    store = Store(url, clock=clock)
    with store.engine.begin() as db:
        db.execute(accepted_questions.delete())
    return store


QUESTION = AcceptedQuestion(key="slack:Ev1", platform="slack", channel="C1", question="How much?",
                            conversation_id="slack:T1:C1:1.1", thread="1.1", user_id="U1")  # fmt: skip


def test_a_lapsed_question_is_taken_by_one_process_only_and_its_first_owner_loses_it(database_url):
    clock = Clock()
    store = fresh_store(database_url, clock)
    assert store.accept_question(QUESTION, "a", 30) and not store.accept_question(QUESTION, "b", 30)
    assert store.claim_lapsed_questions(("slack",), "b", 30, max_attempts=3, max_age=600) == ([], [])  # A holds it
    clock.now += 31  # A stopped renewing
    assert store.claim_lapsed_questions(("discord",), "b", 30, max_attempts=3, max_age=600) == ([], [])
    taken, _ = store.claim_lapsed_questions(("slack",), "b", 30, max_attempts=3, max_age=600)
    assert [(q.key, q.attempts) for q in taken] == [("slack:Ev1", 2)]
    assert store.claim_lapsed_questions(("slack",), "c", 30, max_attempts=3, max_age=600) == ([], [])  # B holds it
    assert not store.renew_question("slack:Ev1", "a", 30) and not store.finish_question("slack:Ev1", "a")
    assert store.finish_question("slack:Ev1", "b")
    clock.now += 3600
    assert store.claim_lapsed_questions(("slack",), "c", 30, max_attempts=3, max_age=600 * 10) == ([], [])  # done
    store.close()


def test_a_question_is_given_up_after_its_attempts(database_url):
    clock = Clock()
    store = fresh_store(database_url, clock)
    store.accept_question(QUESTION, "a", 30)
    for owner in ("b", "c"):
        clock.now += 31
        assert len(store.claim_lapsed_questions(("slack",), owner, 30, max_attempts=3, max_age=600)[0]) == 1
    clock.now += 31
    taken, given_up = store.claim_lapsed_questions(("slack",), "d", 30, max_attempts=3, max_age=600)
    assert taken == [] and [q.key for q in given_up] == ["slack:Ev1"]
    _, status, owner = store.accepted_question("slack:Ev1")
    assert (status, owner) == ("abandoned", "d")
    store.close()


async def test_a_process_whose_lease_lapsed_while_it_answers_does_not_take_its_own_question_again(sqlite_url):
    """A blocked event loop (a long synchronous step, an overloaded machine) can keep the heartbeat
    from renewing until the lease lapses while this process is still answering. Its own scan must
    leave the question alone (it would be answered twice); another process may still take it."""
    import asyncio

    from bot.core.handoff import Handoff, recover_lapsed

    store = Store(sqlite_url)
    here = Handoff(store, lease=30, scan=0.05, owner="here")  # the heartbeat would come in 10 s
    answered_again: list[str] = []

    async def answer(ticket) -> None:
        answered_again.append(ticket.key)

    async def give_up(_question) -> None:
        pass

    stop = asyncio.Event()
    scan = asyncio.create_task(recover_lapsed(here, ("slack",), answer, give_up, stop))
    ticket = await here.accept(QUESTION)
    async with ticket.holding():
        with store.engine.begin() as db:  # the lease lapsed: no renewal came in time
            db.execute(accepted_questions.update().values(lease_until=0))
        await asyncio.sleep(0.4)  # several scans
        assert answered_again == []
        elsewhere, _ = store.claim_lapsed_questions(("slack",), "elsewhere", 30, max_attempts=3, max_age=10**10)
    stop.set()
    await scan
    store.close()
    assert [q.key for q in elsewhere] == ["slack:Ev1"]
