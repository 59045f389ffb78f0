"""baseline: the whole schema, as create_all made it before migrations

The store's tables as briefbot made them with ``create_all`` before Alembic came in.

Revision ID: 0001
Revises:
Create Date: 2026-12-06

A database made before migrations (tables, no ``alembic_version``) is stamped at this revision
by ``bot.store.migrator`` once its tables are checked. One made by an older briefbot may lack the
tables added since: upgrading it runs this revision, which creates only the tables it does not
have, and never touches one that holds data.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _absent(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if _absent("conversation_turns"):
        op.create_table(
            "conversation_turns",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("conversation_id", sa.String(length=255), nullable=False),
            sa.Column("role", sa.String(length=16), nullable=False),
            sa.Column("content", sa.Text(), nullable=False),
            sa.Column("language", sa.String(length=8), nullable=False),
            sa.Column("citations", sa.Text(), nullable=False),
            sa.Column("engine", sa.String(length=16), nullable=False),
            sa.Column("grounded", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_conversation_turns_conversation_id", "conversation_turns", ["conversation_id"])
        op.create_index("ix_conversation_turns_created_at", "conversation_turns", ["created_at"])

    if _absent("processed_events"):
        op.create_table(
            "processed_events",
            sa.Column("key", sa.String(length=255), nullable=False),
            sa.Column("created_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
        op.create_index("ix_processed_events_created_at", "processed_events", ["created_at"])

    if _absent("cached_replies"):
        op.create_table(
            "cached_replies",
            sa.Column("key", sa.String(length=255), nullable=False),
            sa.Column("value", sa.Text(), nullable=False),
            sa.Column("created_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )

    if _absent("digest_subscriptions"):
        op.create_table(
            "digest_subscriptions",
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("channel", sa.String(length=64), nullable=False),
            sa.Column("workspace", sa.String(length=64), nullable=False),
            sa.Column("time_of_day", sa.String(length=5), nullable=False),
            sa.Column("timezone", sa.String(length=64), nullable=False),
            sa.Column("language", sa.String(length=8), nullable=False),
            sa.Column("always", sa.Boolean(), nullable=False),
            sa.Column("paused_reason", sa.Text(), nullable=False),
            sa.Column("created_by", sa.String(length=64), nullable=False),
            sa.Column("updated_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("platform", "channel"),
        )

    if _absent("digest_posts"):
        op.create_table(
            "digest_posts",
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("channel", sa.String(length=64), nullable=False),
            sa.Column("local_date", sa.String(length=10), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("message_id", sa.String(length=64), nullable=False),
            sa.Column("detail", sa.Text(), nullable=False),
            sa.Column("claimed_by", sa.String(length=64), nullable=False),
            sa.Column("claimed_at", sa.Float(), nullable=False),
            sa.Column("finished_at", sa.Float(), nullable=True),
            sa.PrimaryKeyConstraint("platform", "channel", "local_date"),
        )

    if _absent("digested_articles"):
        op.create_table(
            "digested_articles",
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("channel", sa.String(length=64), nullable=False),
            sa.Column("article_id", sa.String(length=128), nullable=False),
            sa.Column("version", sa.String(length=64), nullable=False),
            sa.Column("digested_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("platform", "channel", "article_id"),
        )

    if _absent("rated_answers"):
        op.create_table(
            "rated_answers",
            sa.Column("id", sa.String(length=32), nullable=False),
            sa.Column("kind", sa.String(length=16), nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("channel", sa.String(length=64), nullable=False),
            sa.Column("conversation_id", sa.String(length=255), nullable=False),
            sa.Column("question", sa.Text(), nullable=False),
            sa.Column("answer", sa.Text(), nullable=False),
            sa.Column("citations", sa.Text(), nullable=False),
            sa.Column("language", sa.String(length=8), nullable=False),
            sa.Column("engine", sa.String(length=16), nullable=False),
            sa.Column("grounded", sa.Boolean(), nullable=False),
            sa.Column("refused", sa.Boolean(), nullable=False),
            sa.Column("follow_ups", sa.Text(), nullable=False),
            sa.Column("created_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_rated_answers_created_at", "rated_answers", ["created_at"])

    if _absent("feedback"):
        op.create_table(
            "feedback",
            sa.Column("answer_id", sa.String(length=32), nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("user_id", sa.String(length=64), nullable=False),
            sa.Column("rating", sa.String(length=8), nullable=False),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("created_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("answer_id", "platform", "user_id"),
        )
        op.create_index("ix_feedback_created_at", "feedback", ["created_at"])

    if _absent("model_leases"):
        op.create_table(
            "model_leases",
            sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("holder", sa.String(length=128), nullable=False),
            sa.Column("expires_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("slot"),
        )

    if _absent("request_counts"):
        op.create_table(
            "request_counts",
            sa.Column("key", sa.String(length=320), nullable=False),
            sa.Column("count", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
        op.create_index("ix_request_counts_created_at", "request_counts", ["created_at"])

    if _absent("published_articles"):
        op.create_table(
            "published_articles",
            sa.Column("article_id", sa.String(length=128), nullable=False),
            sa.Column("version", sa.String(length=64), nullable=False),
            sa.Column("content", sa.Text(), nullable=False),
            sa.Column("removed", sa.Boolean(), nullable=False),
            sa.Column("revision", sa.Integer(), nullable=False),
            sa.Column("updated_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("article_id"),
        )


def downgrade() -> None:
    for table in (
        "published_articles",
        "request_counts",
        "model_leases",
        "feedback",
        "rated_answers",
        "digested_articles",
        "digest_posts",
        "digest_subscriptions",
        "cached_replies",
        "processed_events",
        "conversation_turns",
    ):
        op.drop_table(table)  # its indexes go with it
