"""The store's schema, kept up to date by Alembic from inside briefbot: every process that opens the
store upgrades it to the newest revision it knows (``ensure_schema``), and ``briefbot db`` runs the
same steps by hand. Revisions live in ``bot/store/migrations/versions``, numbered 0001, 0002...

Processes starting together take turns: on PostgreSQL under a transaction-scoped advisory lock
(``pg_advisory_xact_lock``, released at commit or rollback even if the process dies), on SQLite
under an exclusive lock on a file beside the database. A database made before migrations
(briefbot's tables, no ``alembic_version``) is checked against the first revision and stamped
with it, never dropped. Alembic loads only when the schema is not already at head, so a normal
start costs two small queries (the table names, the revision); a long-running process that finds
it behind runs the upgrade in a child process (``apart``), so as not to hold Alembic (about 14 MiB)
for its whole life.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

logger = logging.getLogger(__name__)

UPGRADE_APART_TIMEOUT = 600.0  # seconds: a long migration, or others' turns under the lock


_scratch_run = ContextVar("scratch_run", default=False)  # on a throw-away database: nothing to log


class _AlembicChatter(logging.Filter):
    """Keep Alembic's "Running upgrade ..." lines, drop its set-up notes."""

    def filter(self, record: logging.LogRecord) -> bool:
        set_up_note = str(record.msg).startswith(("Context impl", "Will assume", "setup plugin", "setting up"))
        return not (_scratch_run.get() or set_up_note)


logging.getLogger("alembic.runtime.migration").addFilter(_AlembicChatter())
logging.getLogger("alembic.runtime.plugins").addFilter(_AlembicChatter())

MIGRATIONS = Path(__file__).with_name("migrations")
VERSIONS = MIGRATIONS / "versions"
VERSION_TABLE = "alembic_version"
BASELINE = "0001"
ADVISORY_LOCK_KEY = 0x6272_6266_6462  # "brbfdb": one key for every briefbot process on the database
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


class SchemaError(Exception):
    """The schema cannot be brought where asked; one line, safe to print (no URL, no password)."""


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database stands: its revision (None: no ``alembic_version``) and this code's head."""

    revision: str | None
    head: str
    legacy: bool = False  # briefbot's tables made before migrations, not yet stamped

    def describe(self) -> str:
        if self.revision == self.head:
            return f"{self.revision} (head)"
        if self.legacy:
            return "none: tables made before migrations ('briefbot db upgrade' adopts them)"
        if self.revision is None:
            return f"base: no schema (head is {self.head}; 'briefbot db upgrade' creates it)"
        if not _is_known(self.revision):
            return f"{self.revision}: unknown to this briefbot (its newest revision is {self.head})"
        return f"{self.revision} (head is {self.head}; run 'briefbot db upgrade')"


def head_revision() -> str:
    """The newest revision shipped, read from the file names (revisions are numbered in sequence;
    a test checks that this agrees with Alembic's own view), so a normal start needs no Alembic."""
    return max(_revision_numbers())


def _revision_numbers() -> list[str]:
    return sorted(m.group(1) for p in VERSIONS.iterdir() if (m := _REVISION_FILE.match(p.name)))


def ensure_schema(engine: sa.Engine, metadata: sa.MetaData, *, apart: bool = False) -> None:
    """Bring the database to head at start (or after it lost its tables): one query when it is
    already there (Alembic not even imported), otherwise the upgrade under the lock; ``apart``: by
    ``briefbot db upgrade`` in a child process first (here again if that did not do it, which
    also gives its error)."""
    if _up_to_date(engine, metadata):
        return
    if apart and _upgrade_in_child(engine) and _up_to_date(engine, metadata):
        return
    upgrade(engine, metadata)


def _upgrade_in_child(engine: sa.Engine) -> bool:
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return False  # a database of this process alone
    # The URL (maybe with a password) goes in the child's environment, never on its command line.
    env = {**os.environ, "BRIEFBOT_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    try:
        done = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, capture_output=True,
                              timeout=UPGRADE_APART_TIMEOUT)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        logger.warning("schema upgrade in a child process failed (%s): upgrading here", type(error).__name__)
        return False
    if done.returncode == 0:
        logger.info("%s", done.stdout.decode(errors="replace").strip())
    return done.returncode == 0


def upgrade(engine: sa.Engine, metadata: sa.MetaData, revision: str = "head") -> SchemaStatus:
    from alembic import command

    with _locked(engine) as connection:
        _adopt_legacy_tables(connection)
        _refuse_unknown_revision(connection)
        _run(command.upgrade, connection, revision)
        status = _status(connection)
        if status.revision == status.head:
            _recreate_lost_tables(connection, metadata)
    return status


def downgrade(engine: sa.Engine, revision: str) -> SchemaStatus:
    from alembic import command

    with _locked(engine) as connection:
        _refuse_unknown_revision(connection)
        _run(command.downgrade, connection, revision)
        return _status(connection)


def status(engine: sa.Engine) -> SchemaStatus:
    with engine.connect() as connection:
        return _status(connection)


def new_revision(engine: sa.Engine, message: str, *, autogenerate: bool) -> Path:
    """Write the next numbered revision file (with the differences between the database, at head,
    and the store's tables when ``autogenerate``); the path of the file."""
    from alembic import command

    number = f"{int(head_revision()) + 1:04d}"
    with engine.begin() as connection:
        _run(command.revision, connection, message=message, autogenerate=autogenerate, rev_id=number)
    [path] = VERSIONS.glob(f"{number}_*.py")
    return path


# --- the steps ------------------------------------------------------------------------------------


def _up_to_date(engine: sa.Engine, metadata: sa.MetaData) -> bool:
    with engine.connect() as connection:
        present = set(sa.inspect(connection).get_table_names())
        if VERSION_TABLE not in present or not set(metadata.tables) <= present:
            return False
        versions = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return versions == [head_revision()]


def _adopt_legacy_tables(connection: sa.Connection) -> None:
    """Stamp a database made by ``create_all`` before migrations with the first revision, once its
    tables are those the first revision makes. One from an older briefbot that lacks some of them
    is left unstamped: the first revision then creates only the missing ones."""
    present = set(sa.inspect(connection).get_table_names())
    if VERSION_TABLE in present or not present:
        return
    baseline = _baseline_columns()
    ours = present & baseline.keys()
    if not ours:
        return  # empty, or only other applications' tables: the revisions create everything
    inspector = sa.inspect(connection)
    different = sorted(t for t in ours if {c["name"] for c in inspector.get_columns(t)} != baseline[t])
    if different:
        raise SchemaError(
            f"the database has briefbot tables but no schema revision, and {', '.join(different)} "
            f"differ from revision {BASELINE}: not touching it; compare it with "
            f"bot/store/migrations/versions/{BASELINE}_baseline.py"
        )
    if ours == baseline.keys():
        from alembic import command

        logger.info("database made before migrations: its tables match revision %s; stamping it", BASELINE)
        _run(command.stamp, connection, BASELINE)
    else:
        logger.info("database made before migrations, lacking %s: revision %s adds them",
                    ", ".join(sorted(baseline.keys() - ours)), BASELINE)  # fmt: skip


def _baseline_columns() -> dict[str, set[str]]:
    """Each table of the first revision and its column names, read by running that revision on an
    in-memory SQLite database: the revision file is the only description of it."""
    from alembic import command

    scratch = sa.create_engine("sqlite://")
    quiet = _scratch_run.set(True)
    try:
        with scratch.begin() as connection:
            _run(command.upgrade, connection, BASELINE)
            inspector = sa.inspect(connection)
            return {
                table: {column["name"] for column in inspector.get_columns(table)}
                for table in inspector.get_table_names()
                if table != VERSION_TABLE
            }
    finally:
        _scratch_run.reset(quiet)
        scratch.dispose()


def _refuse_unknown_revision(connection: sa.Connection) -> None:
    revision = _status(connection).revision
    if revision is not None and not _is_known(revision):
        raise SchemaError(
            f"the database's schema is at revision {revision}, which this briefbot does not know "
            f"(its newest is {head_revision()}): run the newer briefbot, or downgrade with it first"
        )


def _recreate_lost_tables(connection: sa.Connection, metadata: sa.MetaData) -> None:
    """At head the store's tables are exactly the revisions' result (a test compares them), so
    tables lost while the version row stayed (restored partly, dropped by hand) are made again."""
    present = set(sa.inspect(connection).get_table_names())
    lost = [table for table in metadata.sorted_tables if table.name not in present]
    if lost:
        logger.warning("the database has lost tables (%s): creating them again", ", ".join(t.name for t in lost))
        metadata.create_all(connection, tables=lost)


def _status(connection: sa.Connection) -> SchemaStatus:
    present = set(sa.inspect(connection).get_table_names())
    if VERSION_TABLE not in present:
        return SchemaStatus(None, head_revision(), legacy=bool(present & _BASELINE_TABLES))
    versions = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return SchemaStatus(versions[0] if versions else None, head_revision())


# Enough to tell a database made before migrations from someone else's: briefbot's oldest tables.
_BASELINE_TABLES = {"conversation_turns", "processed_events", "cached_replies"}


def _is_known(revision: str) -> bool:
    return revision in _revision_numbers()


# --- Alembic, configured in code --------------------------------------------------------------------


def _run(step, connection: sa.Connection, *args, **kwargs) -> None:
    """One Alembic command on ``connection`` (env.py uses it as is, inside the caller's
    transaction); its errors become one line."""
    from alembic.config import Config
    from alembic.util import CommandError

    # Quiet: no "Generating ..." notes on stdout; briefbot says what it did.
    config = Config(stdout=io.StringIO(), cmd_opts=argparse.Namespace(quiet=True))
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    try:
        step(config, *args, **kwargs)
    except CommandError as error:
        raise SchemaError(_one_line(error)) from None


def _one_line(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if text.startswith(("Can't locate revision", "No such revision")):
        return f"{text} (known revisions: {', '.join(['base', *_revision_numbers(), 'head'])})"
    return text


@contextmanager
def _locked(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection in a transaction that no other briefbot process migrating this database holds
    at the same time."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            yield connection
        return
    with _file_lock(engine.url.database), engine.begin() as connection:
        yield connection


@contextmanager
def _file_lock(database: str | None) -> Iterator[None]:
    if not database or database == ":memory:":
        yield  # private to this process
        return
    import fcntl

    with open(f"{database}-migrate.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
