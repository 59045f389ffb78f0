"""accepted questions: a slash command's response_url

``/ask`` and ``/brief`` are recorded for the durable hand-off too; the process that answers one
whose process stopped posts through its response_url where the bot may not post in the channel.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accepted_questions") as table:
        table.add_column(sa.Column("reply_url", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("accepted_questions") as table:
        table.drop_column("reply_url")
