"""Durable hand-off: a question accepted by a process that dies before answering is answered by another.

On accepting a question the platform records it in the store (``Handoff.accept``) with what it
takes to answer it and post the answer where it was asked, held by this process under a lease
that a heartbeat renews while the answer is being made (``Ticket.holding``). Just before posting,
the process checks it still holds the question (``Ticket.confirm``, which also renews the lease);
after posting it marks it done. A process that dies leaves its lease to lapse: every long-running
process of the same platform looks for lapsed questions (``recover_lapsed``), claims them one by one
with a compare-and-set on the lease, and answers them through the platform's usual path. A
question tried ``handoff_attempts`` times, or older than ``handoff_max_age``, is given up: the
platform posts "sorry, please ask again" instead of silence.

The store being unreachable never stops an answer: the question is then answered unrecorded,
as before the hand-off existed.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

from bot.store.records import AcceptedQuestion, StoreError

logger = logging.getLogger(__name__)

LOST_QUESTION_TEXT = (
    "Scusa, ho perso questa domanda mentre mi riavviavo: fammela di nuovo. / "
    "Sorry, I lost this question while restarting: please ask it again."
)
# One identity per process: the owner of every question it holds.
PROCESS_OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Handoff:
    def __init__(self, store, *, lease: float = 30.0, scan: float = 5.0, attempts: int = 3,
                 max_age: float = 600.0, enabled: bool = True, owner: str = PROCESS_OWNER) -> None:  # fmt: skip
        self.store = store
        self.lease = lease
        self.scan = scan
        self.attempts = attempts
        self.max_age = max_age
        self.enabled = enabled and store is not None
        self.owner = owner
        self.running: set[asyncio.Task] = set()  # recovered answers in flight (a strong reference)
        # Questions this process is answering: never claimed back by its own scan, even when a
        # stalled event loop let their lease lapse (they would be answered twice).
        self.in_flight: set[str] = set()

    @classmethod
    def for_briefer(cls, briefer) -> Handoff:
        """The hand-off as the briefer's settings configure it (off for a core without settings or store)."""
        settings = getattr(briefer, "settings", None)
        store = getattr(briefer, "store", None)
        if settings is None or store is None:
            return cls(None, enabled=False)
        return cls(store, lease=settings.handoff_lease, scan=settings.handoff_scan,
                   attempts=settings.handoff_attempts, max_age=settings.handoff_max_age,
                   enabled=settings.handoff)  # fmt: skip

    async def accept(self, question: AcceptedQuestion) -> Ticket:
        """Record ``question`` as held by this process. The ticket of a question that could not be
        recorded (hand-off off, store down, key seen before) still lets the answer be posted.
        A question without text (the bot mentioned alone: a usage hint) is not recorded."""
        if not self.enabled or not question.question:
            return Ticket(self, question, recorded=False)
        try:
            recorded = await asyncio.to_thread(self.store.accept_question, question, self.owner, self.lease)
        except StoreError as error:
            logger.warning("could not record question %s for hand-off, answering it unrecorded: %s",
                           question.key, error)  # fmt: skip
            recorded = False
        return Ticket(self, question, recorded=recorded)

    def claimed(self, question: AcceptedQuestion) -> Ticket:
        """The ticket of a question this process claimed from the store (``recover_lapsed``)."""
        return Ticket(self, question, recorded=True)


class Ticket:
    """One accepted question held by this process."""

    def __init__(self, handoff: Handoff, question: AcceptedQuestion, *, recorded: bool) -> None:
        self.handoff = handoff
        self.question = question
        self.recorded = recorded
        self.lost = False  # another process took the question over: this one must not post

    @property
    def key(self) -> str:
        return self.question.key

    async def update(self, **where_to_post: str) -> None:
        """Remember where the answer now goes (a placeholder posted, a thread created)."""
        if self.recorded and not self.lost:
            update = functools.partial(self.handoff.store.update_question, **where_to_post)
            await self._store(update, self.key, self.handoff.owner)

    async def confirm(self) -> bool:
        """True when this process may post the answer: it still holds the question (the lease is
        renewed for the post). A store that cannot say is no reason to stay silent."""
        if not self.recorded:
            return True
        if not self.lost:
            held = await self._store(self.handoff.store.renew_question, self.key, self.handoff.owner,
                                     self.handoff.lease, default=True)  # fmt: skip
            self.lost = not held
        if self.lost:
            logger.warning("question %s was taken over by another process: not posting this answer", self.key)
        return not self.lost

    async def done(self, status: str = "done", detail: str = "") -> None:
        """The answer was posted (``done``), or the question ended otherwise (``abandoned``)."""
        if self.recorded and not self.lost:
            await self._store(self.handoff.store.finish_question, self.key, self.handoff.owner, status, detail)

    @contextlib.asynccontextmanager
    async def holding(self) -> AsyncIterator[Ticket]:
        """Renew the lease while the block runs (every third of it), so that a slow answer is not
        mistaken for a dead process."""
        if not self.recorded:
            yield self
            return
        beat = asyncio.create_task(self._heartbeat())
        self.handoff.in_flight.add(self.key)
        try:
            yield self
        finally:
            self.handoff.in_flight.discard(self.key)
            beat.cancel()
            await asyncio.gather(beat, return_exceptions=True)

    async def _heartbeat(self) -> None:
        while not self.lost:
            await asyncio.sleep(self.handoff.lease / 3)
            held = await self._store(self.handoff.store.renew_question, self.key, self.handoff.owner,
                                     self.handoff.lease, default=True)  # fmt: skip
            if not held:
                self.lost = True
                logger.warning("lost question %s to another process while answering it", self.key)

    async def _store(self, method, *args, default=None):
        try:
            return await asyncio.to_thread(method, *args)
        except StoreError as error:
            logger.warning("hand-off bookkeeping failed for question %s: %s", self.key, error)
            return default


Answer = Callable[[Ticket], Awaitable[None]]
GiveUp = Callable[[AcceptedQuestion], Awaitable[None]]


async def recover_lapsed(handoff: Handoff, platforms: tuple[str, ...], answer: Answer, give_up: GiveUp,
                         stop: asyncio.Event) -> None:  # fmt: skip
    """Until ``stop`` is set, every ``handoff.scan`` seconds: claim the questions of ``platforms``
    whose process stopped renewing them, and answer each through ``answer`` (its own task); the
    given-up ones get ``give_up`` (an apology). Only platforms this process can post to are named."""
    if not handoff.enabled:
        return
    running = handoff.running
    logger.info("hand-off: recovering lapsed %s questions every %g s", "/".join(platforms), handoff.scan)
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), handoff.scan)
        if stop.is_set():
            break
        try:
            taken, abandoned = await asyncio.to_thread(
                handoff.store.claim_lapsed_questions, platforms, handoff.owner, handoff.lease,
                max_attempts=handoff.attempts, max_age=handoff.max_age, exclude=frozenset(handoff.in_flight),
            )  # fmt: skip
        except StoreError as error:
            logger.warning("hand-off: cannot look for lapsed questions: %s", error)
            continue
        for question in abandoned:
            logger.warning("hand-off: giving up on question %s (%s): asking the user to ask again",
                           question.key, "too old" if question.attempts < handoff.attempts else
                           f"{question.attempts} attempts")  # fmt: skip
            _spawn(running, give_up(question))
        for question in taken:
            logger.info("hand-off: answering question %s whose process stopped (attempt %d)",
                        question.key, question.attempts)  # fmt: skip
            _spawn(running, _answer(handoff.claimed(question), answer))


async def _answer(ticket: Ticket, answer: Answer) -> None:
    try:
        await answer(ticket)
    except Exception:
        logger.exception("hand-off: could not answer question %s; another attempt follows", ticket.key)


def _spawn(running: set[asyncio.Task], work: Awaitable[None]) -> None:
    task = asyncio.ensure_future(work)
    running.add(task)
    task.add_done_callback(running.discard)
