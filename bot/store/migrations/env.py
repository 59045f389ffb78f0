"""Alembic's environment for the store: run by ``bot.store.migrator`` on a connection it has already
opened and locked (``config.attributes["connection"]``); the outer transaction is the caller's."""

from alembic import context

from bot.store.database import metadata

if context.is_offline_mode():
    raise SystemExit("briefbot's migrations run against a database; offline (--sql) mode is not supported")

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things: copy-and-move
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
