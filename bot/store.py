"""All state behind one interface on SQLAlchemy Core: conversations, processed events,
cached briefings. A SQLite file by default, PostgreSQL by URL; schema created on first use.

Everything here is synchronous and short; async callers run it in a worker thread.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

metadata = sa.MetaData()

turns = sa.Table(
    "conversation_turns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("role", sa.String(16), nullable=False),  # "user" | "assistant"
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("citations", sa.Text, nullable=False, default="[]"),  # JSON list of passage ids
    sa.Column("engine", sa.String(16), nullable=False, default=""),
    sa.Column("grounded", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
)

processed_events = sa.Table(
    "processed_events",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
)

cached_replies = sa.Table(
    "cached_replies",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

EVENT_RETENTION_SECONDS = 3 * 24 * 3600  # Slack retries for minutes; keep days to be safe


class StoreError(Exception):
    """The database cannot be used; one line, safe to print (no password)."""


@dataclass(frozen=True)
class Turn:
    role: str
    content: str
    language: str
    citations: tuple[str, ...] = ()
    engine: str = ""
    grounded: bool = True


class Store:
    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.engine = _create_engine(url)
        self.dialect = self.engine.dialect.name
        try:
            metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the database {_safe_url(self.engine)}: {_reason(exc)}") from None

    def close(self) -> None:
        self.engine.dispose()

    # --- conversations -------------------------------------------------------------

    def add_turns(self, conversation_id: str, new_turns: list[Turn]) -> None:
        now = self.clock()
        with self.engine.begin() as db:
            db.execute(
                turns.insert(),
                [
                    {
                        "conversation_id": conversation_id,
                        "role": t.role,
                        "content": t.content,
                        "language": t.language,
                        "citations": json.dumps(list(t.citations)),
                        "engine": t.engine,
                        "grounded": t.grounded,
                        "created_at": now,
                    }
                    for t in new_turns
                ],
            )

    def recent_turns(self, conversation_id: str, *, limit: int, max_age_seconds: float) -> list[Turn]:
        """The conversation's last ``limit`` turns younger than ``max_age_seconds``, oldest first."""
        query = (
            sa.select(turns)
            .where(turns.c.conversation_id == conversation_id)
            .where(turns.c.created_at >= self.clock() - max_age_seconds)
            .order_by(turns.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as db:
            rows = db.execute(query).mappings().all()
        return [
            Turn(r["role"], r["content"], r["language"], tuple(json.loads(r["citations"])), r["engine"], r["grounded"])
            for r in reversed(rows)
        ]

    def forget_older_than(self, max_age_seconds: float) -> int:
        """Delete expired turns and old event keys; returns how many turns went."""
        now = self.clock()
        with self.engine.begin() as db:
            gone = db.execute(turns.delete().where(turns.c.created_at < now - max_age_seconds)).rowcount
            db.execute(processed_events.delete().where(processed_events.c.created_at < now - EVENT_RETENTION_SECONDS))
        return gone

    # --- event de-duplication --------------------------------------------------------

    def claim_event(self, key: str) -> bool:
        """True the first time ``key`` is claimed by any instance sharing this database."""
        return self.insert_once(processed_events, {"key": key, "created_at": self.clock()})

    def insert_once(self, table: sa.Table, row: dict) -> bool:
        """INSERT ... ON CONFLICT DO NOTHING; True when this call inserted the row."""
        key_column = table.primary_key.columns.values()[0]
        insert = _dialect_insert(self.dialect)(table).values(**row).on_conflict_do_nothing().returning(key_column)
        with self.engine.begin() as db:
            return db.execute(insert).first() is not None

    # --- cache -------------------------------------------------------------------------

    def cached(self, key: str) -> dict | None:
        with self.engine.connect() as db:
            value = db.execute(sa.select(cached_replies.c.value).where(cached_replies.c.key == key)).scalar()
        return json.loads(value) if value is not None else None

    def cache(self, key: str, value: dict) -> None:
        self.insert_once(cached_replies, {"key": key, "value": json.dumps(value), "created_at": self.clock()})


def _dialect_insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _create_engine(url: str) -> sa.Engine:
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]  # the driver we ship
    try:
        parsed = sa.make_url(url)
    except ArgumentError:
        raise StoreError("BRIEFBOT_DATABASE_URL is not a database URL (expected sqlite:///PATH or postgresql://...)") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"BRIEFBOT_DATABASE_URL: unsupported database {parsed.get_backend_name()!r} (use sqlite or postgresql)")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    try:
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    except (NoSuchModuleError, ArgumentError) as exc:
        raise StoreError(f"BRIEFBOT_DATABASE_URL: {_reason(exc)}") from None


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    if url.database and url.database != ":memory:":
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"BRIEFBOT_DATABASE_URL: cannot create {url.database}: {exc.strerror}") from None
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(connection, _record):  # several processes share the file: WAL + waiting on locks
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def _safe_url(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OperationalError) and exc.orig is not None:
        text = str(exc.orig)
    else:
        text = str(exc)
    return text.strip().splitlines()[0][:200] if text.strip() else type(exc).__name__
