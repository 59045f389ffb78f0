"""The store's schema as briefbot made it before migrations (``create_all`` of
bot/store/database.py at the commit before Alembic came in), frozen so that the tests can build
a database exactly as that code did and upgrade it. Never edit: it is history."""

import sqlalchemy as sa

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
