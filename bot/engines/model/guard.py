"""Every model call of the core goes through one ``ModelGuard``:

- one total **deadline** per call (retries, Retry-After waits, a server trickling bytes and the
  wait for a slot included), after which the caller answers offline;
- a **circuit breaker**: after a few consecutive failures every call fails at once (the caller
  answers offline immediately) until a cool-down passes; then one probe at a time tests recovery;
- a **cap on concurrent model calls** (``bot.model_slots.ModelSlots``): beyond the cap and its
  bounded queue the call raises ``Busy``.

Only model and network failures count against the model (``ModelUnavailable`` and the deadline);
anything else is a bug and propagates untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

from bot.engines.model.chat_model import ModelUnavailable
from bot.engines.model.slots import Busy, ModelSlots
from bot.observability.metrics import MODEL_REJECTIONS, MODEL_SECONDS
from bot.observability.trace import observe, timed

T = TypeVar("T")
logger = logging.getLogger(__name__)


class CircuitOpen(ModelUnavailable):
    """The model failed repeatedly; it is not called until the cool-down has passed."""


class CircuitBreaker:
    """Closed (calls pass) -> open after ``failures`` consecutive failures (calls refused for
    ``cooldown`` seconds) -> half-open (exactly one probe passes; its success closes the
    circuit, its failure opens it again for another cool-down)."""

    def __init__(self, *, failures: int = 3, cooldown: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.failures = failures
        self.cooldown = cooldown
        self.clock = clock
        self._count = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "half-open" if self._probing or self.clock() - self._opened_at >= self.cooldown else "open"

    def allow(self) -> bool:
        """May a call go to the model now? In half-open state only the first asker gets True."""
        if self._opened_at is None:
            return True
        if self._probing or self.clock() - self._opened_at < self.cooldown:
            return False
        self._probing = True
        logger.info("model circuit half-open: one probe request tests whether the model is back")
        return True

    def succeeded(self) -> None:
        if self._opened_at is not None:
            logger.info("model circuit closed: the model answers again")
        self._count, self._opened_at, self._probing = 0, None, False

    def failed(self) -> None:
        self._count += 1
        if self._probing or (self._opened_at is None and self._count >= self.failures):
            logger.warning("model circuit open: answering offline for %g s before the next probe", self.cooldown)
            self._opened_at = self.clock()
        self._probing = False

    def abandoned(self) -> None:
        """A call ended without a verdict on the model (a bug, busy, cancelled): free the probe."""
        self._probing = False


class ModelGuard:
    def __init__(self, *, deadline: float, breaker: CircuitBreaker, slots: ModelSlots) -> None:
        self.deadline = deadline
        self.breaker = breaker
        self.slots = slots

    async def run(self, call: Callable[[], Awaitable[T]]) -> T:
        """``call()`` under the deadline, the breaker and a model slot. Raises ``Busy`` (no slot in
        time), ``ModelUnavailable`` (circuit open, deadline passed, the model failed) or whatever
        bug ``call`` raised."""
        self._admit()
        ends_at = asyncio.get_running_loop().time() + self.deadline
        async with contextlib.AsyncExitStack() as held:
            await self._take_slot(held, ends_at)
            with self._judged(), timed(MODEL_SECONDS, "model_seconds"):
                async with asyncio.timeout_at(ends_at):
                    return await call()

    async def stream(self, open_stream: Callable[[], AsyncIterator[T]]) -> AsyncIterator[T]:
        """The pieces of ``open_stream()`` under the same guard as ``run``: the breaker, a model
        slot held until the stream ends, and one deadline for the slot and every piece together
        (a model trickling pieces is cut off like one trickling bytes). Raises as ``run`` does;
        pieces already yielded stay with the caller."""
        self._admit()
        ends_at = asyncio.get_running_loop().time() + self.deadline
        async with contextlib.AsyncExitStack() as held:
            await self._take_slot(held, ends_at)
            pieces = open_stream()
            waited = 0.0  # for the model: what the caller does with each piece is not model time
            try:
                with self._judged():
                    while True:
                        # Only the waits for the model are timed: a timeout around the ``yield``
                        # would cancel whatever the caller does with a piece.
                        async with asyncio.timeout_at(ends_at):
                            started = time.perf_counter()
                            try:
                                piece = await anext(pieces)
                            except StopAsyncIteration:
                                break
                            finally:
                                waited += time.perf_counter() - started
                        yield piece
            finally:
                observe(MODEL_SECONDS, "model_seconds", waited)
                await pieces.aclose()

    def _admit(self) -> None:
        if not self.breaker.allow():
            raise CircuitOpen("the model failed repeatedly and is resting (circuit open)")

    async def _take_slot(self, held: contextlib.AsyncExitStack, ends_at: float) -> None:
        """A model slot, held until ``held`` closes; ``Busy`` when none is free before ``ends_at``."""
        try:
            async with asyncio.timeout_at(ends_at):
                await held.enter_async_context(self.slots.hold())
        except TimeoutError:
            self.breaker.abandoned()
            MODEL_REJECTIONS.labels("no_slot_in_time").inc()
            raise Busy(f"no model slot free within the {self.deadline:g} s deadline") from None
        except BaseException:
            self.breaker.abandoned()
            raise

    @contextlib.contextmanager
    def _judged(self) -> Iterator[None]:
        """Tell the breaker how the model call in the block went: the deadline passing or
        ``ModelUnavailable`` count against the model, anything else (a bug, cancelled) does not."""
        try:
            yield
        except TimeoutError:
            self.breaker.failed()
            raise ModelUnavailable(f"the model gave no answer within the {self.deadline:g} s deadline") from None
        except ModelUnavailable:
            self.breaker.failed()
            raise
        except BaseException:
            self.breaker.abandoned()
            raise
        self.breaker.succeeded()
