"""A cap on concurrent model calls, held across every replica sharing the store.

Why the store and not Redis: the store is already shared by every replica (it de-duplicates
Slack events the same way), works with the default SQLite file and needs no new service. A
slot is a row (``model_leases``): taking one is an INSERT that succeeds for one caller only,
giving it back a DELETE; a lease expires on its own, so a replica that dies holding one does
not shrink the cap for long.

The core shares leases through the store only when it is PostgreSQL (what several replicas
use); on the default SQLite file (one instance) the per-process cap below is the whole cap.

Inside a process an ``asyncio.Semaphore`` of the same size keeps callers off the database while
the process alone fills the cap, and bounds the queue: when ``queue`` callers already wait,
the next one gets ``Busy`` at once. When the store cannot be reached, the per-process cap still
holds and the outage is logged (answers matter more than the cross-replica count).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from bot.observability.metrics import MODEL_QUEUE, MODEL_REJECTIONS
from bot.store.records import StoreError

if TYPE_CHECKING:
    from bot.store.database import Store

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05  # between tries for a slot another replica holds


class Busy(Exception):
    """Every model slot is taken and the queue is full (or the wait ran out): try again shortly."""


class ModelSlots:
    def __init__(self, capacity: int, queue: int, *, store: Store | None = None, lease_seconds: float = 60.0):
        self.capacity = capacity
        self.queue = queue
        self.store = store
        self.lease_seconds = lease_seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._local = asyncio.Semaphore(capacity)
        self._waiting = 0

    @property
    def waiting(self) -> int:
        return self._waiting

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        if self._local.locked() and self._waiting >= self.queue:
            MODEL_REJECTIONS.labels("queue_full").inc()
            raise Busy(f"all {self.capacity} model slots busy and {self._waiting} questions waiting")
        self._waiting += 1
        MODEL_QUEUE.inc()
        try:
            await self._local.acquire()
        finally:
            self._waiting -= 1
            MODEL_QUEUE.dec()
        try:
            slot = await self._lease()
            try:
                yield
            finally:
                if slot is not None:
                    await self._give_back(slot)
        finally:
            self._local.release()

    async def _lease(self) -> int | None:
        if self.store is None:
            return None
        while True:
            try:
                slot = await asyncio.to_thread(
                    self.store.take_model_slot, self.capacity, self.holder, self.lease_seconds
                )
            except StoreError as error:
                logger.warning("model slots: store unavailable, capping this process only: %s", error)
                return None
            if slot is not None:
                return slot
            await asyncio.sleep(POLL_SECONDS * (1 + random.random()))  # other replicas hold every slot

    async def _give_back(self, slot: int) -> None:
        try:
            await asyncio.to_thread(self.store.release_model_slot, slot, self.holder)
        except StoreError as error:  # the lease expires by itself
            logger.warning("model slots: could not give slot %s back: %s", slot, error)
