"""The store of a long-running process, opened only once the process has connected to its platform.

Importing SQLAlchemy and opening the database (with a schema upgrade when one is due) took a
third of a process's start before it could connect (README.md, "Footprint"). ``OpeningStore``
stands for the store from the process's start: the start-up opens it once connected
(``bot/cli/long_running.py``), and a call that comes earlier opens it itself, or waits for the open
under way, so every call sees the same, open store. Calls are made from worker threads, as with
the store itself: only the call waits for the open, never the attribute lookup.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from bot.store.records import StoreError, StoreUnavailable

if TYPE_CHECKING:
    from bot.store.database import Store


class OpeningStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = _dialect(url)
        self._store: Store | None = None
        self._failed: StoreError | None = None
        self._closed = False
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def open(self) -> Store:
        """The open store; raises ``StoreError`` (the same each time) when it cannot be opened."""
        with self._lock:
            if self._store is not None:
                return self._store
            if self._failed is not None:
                raise self._failed
            if self._closed:
                raise StoreUnavailable("the database is closed: the process is stopping")
            from bot.store.database import Store

            try:
                self._store = Store(self.url, upgrade_apart=True)  # a long-running process never holds Alembic
            except StoreError as error:
                self._failed = error
                raise
            return self._store

    def ping(self) -> None:
        """For /readyz: not ready while the database is still to be opened (and never opened by a probe)."""
        if self._store is None:
            raise self._failed or StoreUnavailable("opening the database")
        self._store.ping()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._store is not None:
                self._store.close()

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        store = self._store
        if store is not None:
            return getattr(store, name)

        def call(*args, **kwargs):
            return getattr(self.open(), name)(*args, **kwargs)

        call.__name__ = name
        return call


def _dialect(url: str) -> str:
    """``postgresql`` or ``sqlite`` (what ``Store.dialect`` will say), read from the URL alone."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    return "postgresql" if scheme in ("postgres", "postgresql") else scheme
