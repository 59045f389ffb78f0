"""All state behind one interface on SQLAlchemy Core: conversations, processed events,
cached briefings, digest subscriptions and the digest ledger. A SQLite file by default,
PostgreSQL by URL; its schema upgraded by Alembic on first use (``bot.store.migrator``).

Everything here is synchronous and short; async callers run it in a worker thread.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Collection
from dataclasses import asdict
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import (
    ArgumentError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)

from bot.store.migrator import SchemaError, ensure_schema
from bot.store.records import (
    AcceptedQuestion,
    DigestPost,
    PublishedArticle,
    RatedAnswer,
    Rating,
    Retention,
    StoreError,
    StoreUnavailable,
    Subscription,
    Turn,
)

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



def _channel_key() -> list[sa.Column]:
    """A chat channel: the platform's name ("slack", "discord") and its channel id there."""
    return [
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("channel", sa.String(64), primary_key=True),
    ]


digest_subscriptions = sa.Table(
    "digest_subscriptions",
    metadata,
    *_channel_key(),
    sa.Column("workspace", sa.String(64), nullable=False),  # Slack team id / Discord guild id
    sa.Column("time_of_day", sa.String(5), nullable=False),  # "HH:MM", local wall time
    sa.Column("timezone", sa.String(64), nullable=False),  # IANA name
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("always", sa.Boolean, nullable=False, default=False),  # post "no new developments" too
    sa.Column("paused_reason", sa.Text, nullable=False, default=""),
    sa.Column("created_by", sa.String(64), nullable=False, default=""),
    sa.Column("updated_at", sa.Float, nullable=False),
)

# One row per (platform, channel, local date): claimed BEFORE posting, so at most one post a day.
digest_posts = sa.Table(
    "digest_posts",
    metadata,
    *_channel_key(),
    sa.Column("local_date", sa.String(10), primary_key=True),  # ISO date in the subscription's zone
    sa.Column("status", sa.String(16), nullable=False),  # claimed | posted | skipped | failed | unconfirmed
    sa.Column("message_id", sa.String(64), nullable=False, default=""),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("claimed_by", sa.String(64), nullable=False, default=""),
    sa.Column("claimed_at", sa.Float, nullable=False),
    sa.Column("finished_at", sa.Float, nullable=True),
)

# What each channel's last digest covered: the article versions it was told about.
digested_articles = sa.Table(
    "digested_articles",
    metadata,
    *_channel_key(),
    sa.Column("article_id", sa.String(128), primary_key=True),
    sa.Column("version", sa.String(64), nullable=False),
    sa.Column("digested_at", sa.Float, nullable=False),
)

# Every answer or briefing posted with feedback buttons: what a 👍/👎 is about. The buttons
# carry only the id (Discord custom ids hold 100 characters), so the answer is kept here.
rated_answers = sa.Table(
    "rated_answers",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # "answer" | "briefing"
    sa.Column("platform", sa.String(16), nullable=False),  # "slack" | "discord" | "terminal"
    sa.Column("channel", sa.String(64), nullable=False, default=""),
    sa.Column("conversation_id", sa.String(255), nullable=False, default=""),
    sa.Column("question", sa.Text, nullable=False, default=""),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("citations", sa.Text, nullable=False, default="[]"),  # JSON list of passage ids
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("engine", sa.String(16), nullable=False),
    sa.Column("grounded", sa.Boolean, nullable=False),  # the verifier's verdict on the model's text
    sa.Column("refused", sa.Boolean, nullable=False),
    sa.Column("follow_ups", sa.Text, nullable=False, default="[]"),  # JSON list: the questions offered under it
    sa.Column("created_at", sa.Float, nullable=False, index=True),
)

# One rating per person and answer; pressing again (or the other button) replaces it.
feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("answer_id", sa.String(32), primary_key=True),
    sa.Column("platform", sa.String(16), primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("rating", sa.String(8), nullable=False),  # "up" | "down"
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
)

# The cap on concurrent model calls across replicas: one row per slot taken (bot.model_slots).
model_leases = sa.Table(
    "model_leases",
    metadata,
    sa.Column("slot", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("holder", sa.String(128), nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)

# Questions per user per minute (bot.rate_limit): key "<user>|<minute number>".
request_counts = sa.Table(
    "request_counts",
    metadata,
    sa.Column("key", sa.String(320), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
)

# Articles published through the store (``ingest``, ``/news``): every process sharing the
# database polls ``knowledge_fingerprint`` and reloads when it changes. ``removed`` rows hide an
# article (the knowledge folder's file of that id too) until it is published again.
published_articles = sa.Table(
    "published_articles",
    metadata,
    sa.Column("article_id", sa.String(128), primary_key=True),
    sa.Column("version", sa.String(64), nullable=False),
    sa.Column("content", sa.Text, nullable=False),  # the knowledge file (YAML)
    sa.Column("removed", sa.Boolean, nullable=False, default=False),
    sa.Column("revision", sa.Integer, nullable=False),  # bumped on every change
    sa.Column("updated_at", sa.Float, nullable=False),
)


# Durable hand-off (bot.core.handoff): every question accepted by a process, with what it takes to
# answer and post it, held by its ``owner`` while ``lease_until`` is renewed; a lapsed lease lets
# another process of the same platform claim it. Keyed like ``processed_events`` ("slack:<event id>").
accepted_questions = sa.Table(
    "accepted_questions",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("workspace", sa.String(64), nullable=False, default=""),  # Slack team id / Discord guild id
    sa.Column("channel", sa.String(64), nullable=False),
    sa.Column("thread", sa.String(64), nullable=False, default=""),  # Slack thread ts / Discord message replied to
    sa.Column("placeholder", sa.String(64), nullable=False, default=""),  # the ⏳ message the answer replaces
    sa.Column("target", sa.String(16), nullable=False, default=""),  # how the platform places the answer
    sa.Column("user_id", sa.String(64), nullable=False, default=""),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("conversation_id", sa.String(255), nullable=False),
    sa.Column("accepted_at", sa.Float, nullable=False, index=True),
    sa.Column("owner", sa.String(128), nullable=False),
    sa.Column("lease_until", sa.Float, nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, default=1),
    sa.Column("status", sa.String(16), nullable=False, default="open"),  # open | done | abandoned
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("finished_at", sa.Float, nullable=True),
    sa.Column("reply_url", sa.Text, nullable=False, default="", server_default=""),  # a slash command's response_url
)


logger = logging.getLogger(__name__)



def _healing(method):
    """Run a store method; a database that lost its tables (restored empty, dropped) gets
    them back through the migrations and the method runs once more; any other database failure becomes
    ``StoreUnavailable`` with a one-line, password-free reason."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except SQLAlchemyError as exc:
            if not _missing_table(exc):
                raise StoreUnavailable(f"database unavailable: {_reason(exc)}") from None
        logger.warning("the database has lost its tables: creating them again")
        try:
            ensure_schema(self.engine, metadata)
            return method(self, *args, **kwargs)
        except SQLAlchemyError as exc:
            raise StoreUnavailable(f"database unavailable: {_reason(exc)}") from None
        except SchemaError as exc:
            raise StoreUnavailable(f"database unavailable: {exc}") from None

    return run


class Store:
    def __init__(self, url: str, *, clock: Callable[[], float] = time.time, upgrade_apart: bool = False) -> None:
        """``upgrade_apart``: a schema behind is upgraded by a child process (a long-running one
        then never holds Alembic)."""
        self.clock = clock
        self.engine = _create_engine(url)
        self.dialect = self.engine.dialect.name
        try:
            ensure_schema(self.engine, metadata, apart=upgrade_apart)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the database {_safe_url(self.engine)}: {_reason(exc)}") from None
        except SchemaError as exc:
            raise StoreError(f"cannot open the database {_safe_url(self.engine)}: {exc}") from None

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        """Raises ``StoreUnavailable`` (one line, no password) when the database does not answer."""
        try:
            with self.engine.connect() as db:
                db.execute(sa.text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise StoreUnavailable(f"database unavailable: {_reason(exc)}") from None

    # --- conversations -------------------------------------------------------------

    @_healing
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

    @_healing
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

    @_healing
    def prune(self, retention: Retention, *, knowledge_version: str | None = None) -> dict[str, int]:
        """Delete what ``retention`` no longer keeps: old conversation turns, processed event ids,
        digest records, spent rate-limit counters and expired model leases, and (given the
        current ``knowledge_version``) cached briefings made from other knowledge. Returns the
        number of rows deleted per table."""
        now = self.clock()
        digest_cutoff = now - retention.digests
        statements = {
            "conversation_turns": turns.delete().where(turns.c.created_at < now - retention.conversations),
            "processed_events": processed_events.delete().where(processed_events.c.created_at < now - retention.events),
            "digest_posts": digest_posts.delete().where(digest_posts.c.claimed_at < digest_cutoff),
            "digested_articles": digested_articles.delete().where(digested_articles.c.digested_at < digest_cutoff),
            "request_counts": request_counts.delete().where(request_counts.c.created_at < now - 3600),
            "model_leases": model_leases.delete().where(model_leases.c.expires_at < now),
            "accepted_questions": accepted_questions.delete().where(
                accepted_questions.c.accepted_at < now - retention.events
            ),
        }
        if knowledge_version:  # cache keys are "<kind>:<knowledge version>:..."
            statements["cached_replies"] = cached_replies.delete().where(
                ~cached_replies.c.key.like(f"%:{knowledge_version}:%")
            )
        with self.engine.begin() as db:
            return {name: db.execute(statement).rowcount for name, statement in statements.items()}

    # --- limits: model slots and request counts (bot.model_slots, bot.rate_limit) ----------

    @_healing
    def take_model_slot(self, capacity: int, holder: str, lease_seconds: float) -> int | None:
        """One of ``capacity`` slots for ``holder`` until the lease expires; None when all are taken."""
        now = self.clock()
        slots = list(range(capacity))
        random.shuffle(slots)  # replicas do not all fight over slot 0
        with self.engine.begin() as db:
            db.execute(model_leases.delete().where(model_leases.c.expires_at < now))
            for slot in slots:
                row = {"slot": slot, "holder": holder, "expires_at": now + lease_seconds}
                insert = _dialect_insert(self.dialect)(model_leases).values(**row).on_conflict_do_nothing()
                if db.execute(insert.returning(model_leases.c.slot)).first() is not None:
                    return slot
        return None

    @_healing
    def release_model_slot(self, slot: int, holder: str) -> None:
        where = (model_leases.c.slot == slot) & (model_leases.c.holder == holder)
        with self.engine.begin() as db:
            db.execute(model_leases.delete().where(where))

    @_healing
    def count_request(self, user: str, window: int) -> tuple[int, int]:
        """Count one request of ``user`` in minute ``window``; (this minute's count, the last one's)."""
        insert = _dialect_insert(self.dialect)(request_counts).values(
            key=f"{user}|{window}", count=1, created_at=self.clock()
        )
        upsert = insert.on_conflict_do_update(
            index_elements=("key",), set_={"count": request_counts.c.count + 1}
        ).returning(request_counts.c.count)
        previous = sa.select(request_counts.c.count).where(request_counts.c.key == f"{user}|{window - 1}")
        with self.engine.begin() as db:
            current = db.execute(upsert).scalar_one()
            return current, db.execute(previous).scalar() or 0

    # --- event de-duplication --------------------------------------------------------

    @_healing
    def claim_event(self, key: str) -> bool:
        """True the first time ``key`` is claimed by any instance sharing this database."""
        return self.insert_once(processed_events, {"key": key, "created_at": self.clock()})

    @_healing
    def release_event(self, key: str) -> None:
        """Forget a claim whose work could not finish, so a retry (or another instance) may answer."""
        with self.engine.begin() as db:
            db.execute(processed_events.delete().where(processed_events.c.key == key))

    @_healing
    def insert_once(self, table: sa.Table, row: dict) -> bool:
        """INSERT ... ON CONFLICT DO NOTHING; True when this call inserted the row."""
        key_column = table.primary_key.columns.values()[0]
        insert = _dialect_insert(self.dialect)(table).values(**row).on_conflict_do_nothing().returning(key_column)
        with self.engine.begin() as db:
            return db.execute(insert).first() is not None

    # --- durable hand-off (bot.core.handoff) ------------------------------------------------

    @_healing
    def accept_question(self, question: AcceptedQuestion, owner: str, lease_seconds: float) -> bool:
        """Record a question ``owner`` has taken on; False when its key is already recorded."""
        now = self.clock()
        row = {**asdict(question), "accepted_at": now, "owner": owner, "lease_until": now + lease_seconds,
               "attempts": 1, "status": "open"}  # fmt: skip
        return self.insert_once(accepted_questions, row)

    @_healing
    def update_question(self, key: str, owner: str, **where_to_post: str) -> bool:
        """Change where the answer goes (a thread created, a placeholder posted) while ``owner`` holds it."""
        return self._update_held(key, owner, where_to_post)

    @_healing
    def renew_question(self, key: str, owner: str, lease_seconds: float) -> bool:
        """Extend ``owner``'s lease; False when the question is no longer open and ``owner``'s."""
        return self._update_held(key, owner, {"lease_until": self.clock() + lease_seconds})

    @_healing
    def finish_question(self, key: str, owner: str, status: str = "done", detail: str = "") -> bool:
        """Close the question (``done``: its answer was posted); False when ``owner`` no longer held it."""
        values = {"status": status, "detail": detail, "finished_at": self.clock(), "reply_url": ""}
        return self._update_held(key, owner, values)

    def _update_held(self, key: str, owner: str, values: dict) -> bool:
        with self.engine.begin() as db:
            return db.execute(accepted_questions.update().where(_held(key, owner)).values(**values)).rowcount == 1

    @_healing
    def claim_lapsed_questions(
        self, platforms: tuple[str, ...], owner: str, lease_seconds: float, *, max_attempts: int, max_age: float,
        limit: int = 20, exclude: Collection[str] = (),
    ) -> tuple[list[AcceptedQuestion], list[AcceptedQuestion]]:  # fmt: skip
        """Take the open questions of ``platforms`` whose lease has lapsed: (to answer again, given up).
        A question is given up (status ``abandoned``) after ``max_attempts`` or when older than
        ``max_age`` seconds. Each row is taken by a compare-and-set on its lease, so two processes
        never take the same one; PostgreSQL also skips rows another claimer has locked. ``exclude``:
        the keys ``owner`` is answering right now."""
        now = self.clock()
        columns = accepted_questions.c
        lapsed = (columns.status == "open") & (columns.lease_until < now) & columns.platform.in_(platforms)
        if exclude:
            lapsed &= columns.key.not_in(exclude)
        query = sa.select(accepted_questions).where(lapsed).order_by(columns.accepted_at).limit(limit)
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        taken: list[AcceptedQuestion] = []
        abandoned: list[AcceptedQuestion] = []
        with self.engine.begin() as db:
            for row in db.execute(query).mappings().all():
                give_up = row["attempts"] >= max_attempts or row["accepted_at"] < now - max_age
                values = {"owner": owner, "lease_until": now + lease_seconds}
                if give_up:
                    reason = "too old" if row["accepted_at"] < now - max_age else f"{row['attempts']} attempts"
                    values.update(status="abandoned", detail=reason, finished_at=now, reply_url="")
                else:
                    values["attempts"] = row["attempts"] + 1
                same_lease = (columns.key == row["key"]) & (columns.owner == row["owner"]) & lapsed
                if db.execute(accepted_questions.update().where(same_lease).values(**values)).rowcount != 1:
                    continue  # another process took it between the look and the update (SQLite)
                question = _accepted_question({**row, "attempts": values.get("attempts", row["attempts"])})
                (abandoned if give_up else taken).append(question)
        return taken, abandoned

    @_healing
    def accepted_question(self, key: str) -> tuple[AcceptedQuestion, str, str] | None:
        """The question with its status and owner (for operators and tests)."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(accepted_questions).where(accepted_questions.c.key == key)).mappings().first()
        return (_accepted_question(row), row["status"], row["owner"]) if row else None

    # --- cache -------------------------------------------------------------------------

    @_healing
    def cached(self, key: str) -> dict | None:
        with self.engine.connect() as db:
            value = db.execute(sa.select(cached_replies.c.value).where(cached_replies.c.key == key)).scalar()
        return json.loads(value) if value is not None else None

    @_healing
    def cache(self, key: str, value: dict) -> None:
        self.insert_once(cached_replies, {"key": key, "value": json.dumps(value), "created_at": self.clock()})

    # --- feedback ----------------------------------------------------------------------

    @_healing
    def add_rated_answer(self, answer: RatedAnswer) -> None:
        row = {**asdict(answer), "citations": json.dumps(list(answer.citations)),
               "follow_ups": json.dumps(list(answer.follow_ups)), "created_at": self.clock()}  # fmt: skip
        self.insert_once(rated_answers, row)

    @_healing
    def rated_answer(self, answer_id: str) -> RatedAnswer | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(rated_answers).where(rated_answers.c.id == answer_id)).mappings().first()
        return _rated_answer(row) if row else None

    @_healing
    def rate(self, answer_id: str, platform: str, user_id: str, rating: str, reason: str = "") -> None:
        """Record (or replace) ``user_id``'s rating of the answer; a new rating without a reason
        clears an old reason, a reason is kept only with the rating it explains."""
        row = {"answer_id": answer_id, "platform": platform, "user_id": user_id, "rating": rating,
               "reason": reason, "created_at": self.clock()}  # fmt: skip
        insert = _dialect_insert(self.dialect)(feedback).values(**row)
        upsert = insert.on_conflict_do_update(
            index_elements=("answer_id", "platform", "user_id"),
            set_={k: insert.excluded[k] for k in ("rating", "reason", "created_at")},
        )
        with self.engine.begin() as db:
            db.execute(upsert)

    @_healing
    def ratings(self, *, rating: str | None = None, limit: int | None = None) -> list[Rating]:
        """Ratings with their answers, newest first."""
        rated = (feedback.c.platform.label("rated_on"), feedback.c.user_id, feedback.c.rating, feedback.c.reason,
                 feedback.c.created_at.label("rated_at"))  # fmt: skip
        query = sa.select(rated_answers, *rated).join(rated_answers, rated_answers.c.id == feedback.c.answer_id)
        if rating is not None:
            query = query.where(feedback.c.rating == rating)
        query = query.order_by(feedback.c.created_at.desc(), feedback.c.answer_id).limit(limit)
        with self.engine.connect() as db:
            rows = db.execute(query).mappings().all()
        return [
            Rating(_rated_answer(r), r["rated_on"], r["user_id"], r["rating"], r["reason"], r["rated_at"])
            for r in rows
        ]

    # --- digest: subscriptions ---------------------------------------------------------

    @_healing
    def save_subscription(self, sub: Subscription) -> None:
        """Create or replace the channel's subscription (clearing any pause)."""
        row = {**_fields(sub), "paused_reason": "", "updated_at": self.clock()}
        insert = _dialect_insert(self.dialect)(digest_subscriptions).values(**row)
        keys = ("platform", "channel")
        upsert = insert.on_conflict_do_update(
            index_elements=keys, set_={k: insert.excluded[k] for k in row if k not in keys}
        )
        with self.engine.begin() as db:
            db.execute(upsert)

    @_healing
    def subscription(self, platform: str, channel: str) -> Subscription | None:
        query = sa.select(digest_subscriptions).where(
            digest_subscriptions.c.platform == platform, digest_subscriptions.c.channel == channel
        )
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        return _subscription(row) if row else None

    @_healing
    def subscriptions(self) -> list[Subscription]:
        """Every subscription, paused ones included, in a stable order."""
        columns = digest_subscriptions.c
        query = sa.select(digest_subscriptions).order_by(columns.platform, columns.channel)
        with self.engine.connect() as db:
            return [_subscription(row) for row in db.execute(query).mappings()]

    @_healing
    def delete_subscription(self, platform: str, channel: str) -> bool:
        where = (digest_subscriptions.c.platform == platform) & (digest_subscriptions.c.channel == channel)
        with self.engine.begin() as db:
            return db.execute(digest_subscriptions.delete().where(where)).rowcount > 0

    @_healing
    def pause_subscription(self, platform: str, channel: str, reason: str) -> None:
        where = (digest_subscriptions.c.platform == platform) & (digest_subscriptions.c.channel == channel)
        with self.engine.begin() as db:
            db.execute(digest_subscriptions.update().where(where).values(paused_reason=reason, updated_at=self.clock()))

    # --- digest: the ledger (one post per platform, channel and local date) ---------------

    @_healing
    def claim_digest(self, platform: str, channel: str, local_date: str, *, claimed_by: str = "") -> bool:
        """True when this call took the day's slot; False when any instance already has it."""
        row = {
            "platform": platform,
            "channel": channel,
            "local_date": local_date,
            "status": "claimed",
            "claimed_by": claimed_by,
            "claimed_at": self.clock(),
        }
        return self.insert_once(digest_posts, row)

    @_healing
    def finish_digest(
        self, platform: str, channel: str, local_date: str, status: str, *, message_id: str = "", detail: str = ""
    ) -> None:
        with self.engine.begin() as db:
            db.execute(
                digest_posts.update()
                .where(_slot(platform, channel, local_date))
                .values(status=status, message_id=message_id, detail=detail, finished_at=self.clock())
            )

    @_healing
    def release_digest(self, platform: str, channel: str, local_date: str) -> None:
        """Give a claimed slot back (nothing was posted), so a later pass may try again."""
        with self.engine.begin() as db:
            db.execute(digest_posts.delete().where(_slot(platform, channel, local_date)))

    @_healing
    def digest_post(self, platform: str, channel: str, local_date: str) -> DigestPost | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(digest_posts).where(_slot(platform, channel, local_date))).mappings().first()
        return _digest_post(row) if row else None

    @_healing
    def last_digest_post(self, platform: str, channel: str) -> DigestPost | None:
        query = (
            sa.select(digest_posts)
            .where(digest_posts.c.platform == platform, digest_posts.c.channel == channel)
            .order_by(digest_posts.c.local_date.desc())
            .limit(1)
        )
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        return _digest_post(row) if row else None

    @_healing
    def digested_versions(self, platform: str, channel: str) -> dict[str, str]:
        """article id -> the version the channel's digests last covered."""
        query = sa.select(digested_articles.c.article_id, digested_articles.c.version).where(
            digested_articles.c.platform == platform, digested_articles.c.channel == channel
        )
        with self.engine.connect() as db:
            return {article_id: version for article_id, version in db.execute(query)}

    @_healing
    def record_digested(self, platform: str, channel: str, versions: dict[str, str]) -> None:
        if not versions:
            return
        now = self.clock()
        rows = [
            {"platform": platform, "channel": channel, "article_id": a, "version": v, "digested_at": now}
            for a, v in versions.items()
        ]
        insert = _dialect_insert(self.dialect)(digested_articles)
        upsert = insert.on_conflict_do_update(
            index_elements=("platform", "channel", "article_id"),
            set_={"version": insert.excluded.version, "digested_at": insert.excluded.digested_at},
        )
        with self.engine.begin() as db:
            db.execute(upsert, rows)


    # --- published articles ----------------------------------------------------------------

    @_healing
    def publish_article(self, article_id: str, version: str, content: str) -> None:
        self._set_article(article_id, version=version, content=content, removed=False)

    @_healing
    def remove_article(self, article_id: str) -> None:
        """Hide an article from every process, the knowledge folder's file of that id included."""
        self._set_article(article_id, version="removed", content="", removed=True)

    @_healing
    def published_articles(self) -> list[PublishedArticle]:
        columns = published_articles.c
        query = sa.select(columns.article_id, columns.version, columns.content, columns.removed).order_by(
            columns.article_id
        )
        with self.engine.connect() as db:
            return [PublishedArticle(*row) for row in db.execute(query)]

    @_healing
    def knowledge_fingerprint(self) -> str:
        """Changes whenever an article is published, changed or removed: cheap to poll."""
        columns = published_articles.c
        query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(columns.revision), 0))
        with self.engine.connect() as db:
            count, total = db.execute(query).one()
        return f"{count}:{total}"

    def _set_article(self, article_id: str, *, version: str, content: str, removed: bool) -> None:
        row = {"article_id": article_id, "version": version, "content": content, "removed": removed,
               "revision": 1, "updated_at": self.clock()}  # fmt: skip
        insert = _dialect_insert(self.dialect)(published_articles).values(**row)
        upsert = insert.on_conflict_do_update(
            index_elements=("article_id",),
            set_={
                "version": insert.excluded.version,
                "content": insert.excluded.content,
                "removed": insert.excluded.removed,
                "revision": published_articles.c.revision + 1,
                "updated_at": insert.excluded.updated_at,
            },
        )
        with self.engine.begin() as db:
            db.execute(upsert)


def _fields(sub: Subscription) -> dict:
    return asdict(sub)


def _subscription(row) -> Subscription:
    return Subscription(**{name: row[name] for name in Subscription.__dataclass_fields__})


def _rated_answer(row) -> RatedAnswer:
    values = {name: row[name] for name in RatedAnswer.__dataclass_fields__}
    lists = {key: tuple(json.loads(values[key])) for key in ("citations", "follow_ups")}
    return RatedAnswer(**{**values, **lists})


def _digest_post(row) -> DigestPost:
    return DigestPost(**{name: row[name] for name in DigestPost.__dataclass_fields__})


def _accepted_question(row) -> AcceptedQuestion:
    return AcceptedQuestion(**{name: row[name] for name in AcceptedQuestion.__dataclass_fields__})


def _held(key: str, owner: str):
    columns = accepted_questions.c
    return (columns.key == key) & (columns.owner == owner) & (columns.status == "open")


def _slot(platform: str, channel: str, local_date: str):
    return (
        (digest_posts.c.platform == platform)
        & (digest_posts.c.channel == channel)
        & (digest_posts.c.local_date == local_date)
    )


def _missing_table(exc: SQLAlchemyError) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return isinstance(exc, OperationalError | ProgrammingError) and (
        "no such table" in text or ("relation" in text and "does not exist" in text)
    )


def _dialect_insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


_EXPECTED_URL = "sqlite:///PATH or postgresql://USER@HOST:PORT/DB"


def _create_engine(url: str) -> sa.Engine:
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]  # the driver we ship
    try:
        parsed = sa.make_url(url)
    except ArgumentError:
        raise StoreError(f"BRIEFBOT_DATABASE_URL is not a database URL (expected {_EXPECTED_URL})") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        backend = parsed.get_backend_name()
        raise StoreError(f"BRIEFBOT_DATABASE_URL: unsupported database {backend!r} (expected {_EXPECTED_URL})")
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
        cursor.execute("PRAGMA busy_timeout=30000")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; only a power cut loses the last commit
        cursor.close()

    return engine


def _use_wal(cursor, attempts: int = 50) -> None:
    """Switch a new database file to WAL (it stays so). SQLite answers a switch that meets another
    connection's lock with "database is locked" at once, without its busy timeout, which happens
    only while processes open a new file together: so wait a moment and try again."""
    for attempt in range(attempts):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


def _safe_url(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _reason(exc: BaseException) -> str:
    text = str(exc.orig) if isinstance(exc, OperationalError) and exc.orig is not None else str(exc)
    return text.strip().splitlines()[0][:200] if text.strip() else type(exc).__name__
