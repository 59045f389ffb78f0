"""Schema migrations on SQLite and PostgreSQL: a database made by briefbot before migrations upgraded
with its rows kept, every revision up and down, the head schema equal to the store's tables (a
forgotten migration fails here), processes starting together, lost tables made again."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.store import migrator
from bot.store.database import Store, Turn, metadata
from tests.conftest import postgres_schema
from tests.data import schema_before_migrations as before

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    """An empty database: a new SQLite file, or a PostgreSQL schema of its own (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'briefbot.sqlite3'}"
        return
    with postgres_schema("migrations") as url:
        yield url


def engine_for(url: str) -> sa.Engine:
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def briefbot(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env.update(BRIEFBOT_DATABASE_URL=url, BRIEFBOT_ENGINE="offline", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def schema_differences(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata)


def revision_row(engine: sa.Engine) -> list[str]:
    with engine.connect() as db:
        return db.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()


def table_names(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


# --- 1. a database made by briefbot before migrations ----------------------------------------------

CONVERSATION = "slack:C0LEGACY:1700000000.000100"


def fill_as_before(engine: sa.Engine, tables=None) -> None:
    """What the code before migrations did: create_all of its tables, then some rows in them."""
    before.metadata.create_all(engine, tables=tables)
    now = 1_760_000_000.0
    present = {t.name for t in (tables or before.metadata.sorted_tables)}
    rows = {
        before.turns: [
            {"conversation_id": CONVERSATION, "role": "user", "content": "Quanto vale l'accordo?", "language": "it",
             "citations": "[]", "engine": "", "grounded": True, "created_at": now},
            {"conversation_id": CONVERSATION, "role": "assistant", "content": "38 miliardi di dollari [1]",
             "language": "it", "citations": '["openai-aws/p3"]', "engine": "offline", "grounded": True,
             "created_at": now},
        ],
        before.processed_events: [{"key": "slack:Ev01", "created_at": now}],
        before.digest_subscriptions: [
            {"platform": "slack", "channel": "C0LEGACY", "workspace": "T1", "time_of_day": "09:00",
             "timezone": "Europe/Rome", "language": "it", "always": True, "paused_reason": "", "created_by": "U1",
             "updated_at": now},
        ],
        before.rated_answers: [
            {"id": "a" * 32, "kind": "answer", "platform": "slack", "channel": "C0LEGACY",
             "conversation_id": CONVERSATION, "question": "Quanto vale?", "answer": "38 miliardi",
             "citations": "[]", "language": "it", "engine": "offline", "grounded": True, "refused": False,
             "follow_ups": "[]", "created_at": now},
        ],
        before.feedback: [
            {"answer_id": "a" * 32, "platform": "slack", "user_id": "U1", "rating": "up", "reason": "",
             "created_at": now},
        ],
    }  # fmt: skip
    with engine.begin() as db:
        for table, values in rows.items():
            if table.name in present:
                db.execute(table.insert(), values)


def rows_kept(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as db:
        return {
            name: db.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar()
            for name in ("conversation_turns", "processed_events", "digest_subscriptions", "rated_answers", "feedback")
        }


def test_a_database_made_before_migrations_is_adopted_with_its_rows_and_the_bot_answers(empty_url):
    engine = engine_for(empty_url)
    fill_as_before(engine)
    assert "alembic_version" not in table_names(engine)
    assert briefbot(empty_url, "db", "current").stdout.startswith("none: tables made before migrations")

    result = briefbot(empty_url, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"schema revision: {migrator.head_revision()} (head)\n"
    assert "tables match revision 0001; stamping it" in result.stderr
    assert rows_kept(engine) == {"conversation_turns": 2, "processed_events": 1, "digest_subscriptions": 1,
                                 "rated_answers": 1, "feedback": 1}  # fmt: skip
    assert revision_row(engine) == [migrator.head_revision()]
    assert schema_differences(engine) == []
    assert briefbot(empty_url, "db", "current").stdout == f"{migrator.head_revision()} (head)\n"

    # The bot runs on it: the follow-up continues the conversation stored before the upgrade.
    answer = briefbot(empty_url, "ask", "--json", "--conversation", CONVERSATION, "E chi è il CEO di AWS?")
    assert answer.returncode == 0, answer.stderr
    assert "Garman" in json.loads(answer.stdout)["answer"]
    with engine.connect() as db:
        turns = db.execute(sa.text("SELECT role, content FROM conversation_turns WHERE conversation_id = :c "
                                   "ORDER BY id"), {"c": CONVERSATION}).all()  # fmt: skip
    assert [role for role, _ in turns] == ["user", "assistant", "user", "assistant"]
    assert turns[1].content == "38 miliardi di dollari [1]"
    engine.dispose()


def test_an_older_database_lacking_newer_tables_gets_them_and_keeps_its_rows(empty_url):
    engine = engine_for(empty_url)
    oldest = [before.turns, before.processed_events, before.cached_replies, before.digest_subscriptions]
    fill_as_before(engine, tables=oldest)

    result = briefbot(empty_url, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "lacking digest_posts, digested_articles, feedback" in result.stderr
    with engine.connect() as db:
        assert db.execute(sa.text("SELECT count(*) FROM conversation_turns")).scalar() == 2
        assert db.execute(sa.text("SELECT channel FROM digest_subscriptions")).scalar() == "C0LEGACY"
    assert schema_differences(engine) == []
    engine.dispose()


def test_a_database_whose_tables_differ_is_left_alone_with_one_line(empty_url):
    engine = engine_for(empty_url)
    fill_as_before(engine)
    with engine.begin() as db:
        db.execute(sa.text("DROP TABLE feedback"))
        db.execute(sa.text("CREATE TABLE feedback (answer_id VARCHAR(32) PRIMARY KEY, stars INTEGER)"))

    result = briefbot(empty_url, "db", "upgrade")
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("briefbot: error: the database has briefbot tables but no schema revision, and feedback")
    assert "alembic_version" not in table_names(engine)
    assert rows_kept(engine)["conversation_turns"] == 2
    assert briefbot(empty_url, "ask", "Quanto vale l'accordo?").returncode == 2  # nor does the bot touch it
    engine.dispose()


# --- 2. every revision, both ways, and the head equal to the store's tables -------------------------


def revisions_in_order() -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(migrator.MIGRATIONS))
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


def test_every_revision_goes_up_and_down_and_the_head_is_the_stores_schema(empty_url):
    engine = engine_for(empty_url)
    order = revisions_in_order()
    for revision in order:  # one step at a time up...
        assert migrator.upgrade(engine, metadata, revision).revision == revision
    assert schema_differences(engine) == [], "a change to the store's tables needs a revision (briefbot db revision)"
    for expected in [*reversed(order[:-1]), None]:  # ...and down
        assert migrator.downgrade(engine, "-1").revision == expected
    assert table_names(engine) <= {"alembic_version"}
    assert migrator.upgrade(engine, metadata).revision == order[-1]
    assert schema_differences(engine) == []
    engine.dispose()


def test_the_cli_goes_down_to_base_and_back_and_refuses_unknown_revisions(empty_url):
    assert briefbot(empty_url, "db", "upgrade").returncode == 0
    down = briefbot(empty_url, "db", "downgrade", "base")
    assert down.returncode == 0 and down.stdout.startswith("schema revision: base: no schema")
    assert briefbot(empty_url, "db", "current").stdout.startswith("base: no schema")

    unknown = briefbot(empty_url, "db", "upgrade", "9999")
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr == ("briefbot: error: Can't locate revision identified by '9999' "
                              f"(known revisions: base, {', '.join(revisions_in_order())}, head)\n")  # fmt: skip
    assert briefbot(empty_url, "db", "upgrade").returncode == 0


def test_a_database_from_a_newer_briefbot_is_refused_in_one_line(empty_url):
    engine = engine_for(empty_url)
    assert briefbot(empty_url, "db", "upgrade").returncode == 0
    with engine.begin() as db:
        db.execute(sa.text("UPDATE alembic_version SET version_num = '9001'"))
    for args in (("db", "upgrade"), ("ask", "Quanto vale l'accordo?")):
        result = briefbot(empty_url, *args)
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.splitlines()
        assert "schema is at revision 9001, which this briefbot does not know" in line
    assert briefbot(empty_url, "db", "current").stdout.startswith("9001: unknown to this briefbot")
    engine.dispose()


def test_revisions_are_numbered_in_sequence_so_a_start_needs_no_alembic():
    order = revisions_in_order()
    assert order == [f"{n:04d}" for n in range(1, len(order) + 1)]
    assert migrator.head_revision() == order[-1]


def test_an_installed_package_ships_its_revisions():
    """What [tool.setuptools.package-data] must list for a non-editable install to upgrade."""
    import tomllib

    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    shipped = {p for pattern in package_data["bot.store.migrations"] for p in migrator.MIGRATIONS.glob(pattern)}
    assert {p for p in migrator.VERSIONS.glob("*.py")} <= shipped
    assert migrator.MIGRATIONS / "script.py.mako" in shipped


# --- 3. processes starting together -----------------------------------------------------------------


def test_processes_starting_together_on_a_fresh_database_all_succeed(empty_url):
    commands = [("db", "upgrade"), ("db", "upgrade"), ("ask", "Quanto vale l'accordo?"), ("ask", "Who is the AWS CEO?")]
    with ThreadPoolExecutor(len(commands)) as pool:
        results = list(pool.map(lambda args: briefbot(empty_url, *args), commands))
    assert [r.returncode for r in results] == [0] * len(commands), [r.stderr for r in results]
    assert "38 miliardi" in results[2].stdout and "Garman" in results[3].stdout
    engine = engine_for(empty_url)
    assert revision_row(engine) == [migrator.head_revision()]
    assert schema_differences(engine) == []
    engine.dispose()


# --- 4. lost tables made again, through the migrations ------------------------------------------------


def test_a_store_whose_tables_were_dropped_gets_them_back(empty_url):
    store = Store(empty_url)
    try:
        store.add_turns("c1", [Turn("user", "hello", "en")])
        with store.engine.begin() as db:
            for table in ("conversation_turns", "processed_events"):
                db.execute(sa.text(f"DROP TABLE {table}"))
        assert store.claim_event("e1") is True
        store.add_turns("c1", [Turn("user", "again", "en")])
        assert [t.content for t in store.recent_turns("c1", limit=5, max_age_seconds=60)] == ["again"]

        with store.engine.begin() as db:  # everything, the revision table too
            for table in [*reversed(metadata.sorted_tables), sa.table("alembic_version")]:
                db.execute(sa.text(f"DROP TABLE {table.name}"))
        assert store.claim_event("e1") is True
        assert revision_row(store.engine) == [migrator.head_revision()]
        assert schema_differences(store.engine) == []
    finally:
        store.close()


# --- adding a revision, as a developer does -----------------------------------------------------------


def test_a_new_column_reaches_an_existing_database_through_a_generated_revision(tmp_path):
    """Change a table in a copy of the package, let ``briefbot db revision --autogenerate`` write
    0002, and upgrade a database holding rows: the column arrives, the rows stay, downgrade undoes it."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(ROOT / "bot", site / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    url = f"sqlite:///{tmp_path / 'briefbot.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env.update(BRIEFBOT_DATABASE_URL=url, PYTHONPATH=str(site), BRIEFBOT_KNOWLEDGE_DIR=str(ROOT / "knowledge"),
               BRIEFBOT_PROMPTS_DIR=str(ROOT / "prompts"))  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess:  # away from the checkout: the copy is the one imported
        return subprocess.run([sys.executable, "-m", "bot", "db", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)  # fmt: skip

    assert run("upgrade").returncode == 0
    store = Store(url)
    store.add_turns("c1", [Turn("user", "kept", "en")])
    store.close()

    database_py = site / "bot" / "store" / "database.py"
    source = database_py.read_text()
    marker = '    sa.Column("created_at", sa.Float, nullable=False, index=True),\n)\n\nprocessed_events'
    assert marker in source
    database_py.write_text(source.replace(marker, marker.replace(
        "index=True),\n", 'index=True),\n    sa.Column("mood", sa.String(16), nullable=True),\n', 1)))  # fmt: skip

    versions = site / "bot" / "store" / "migrations" / "versions"
    head = max(int(path.name[:4]) for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
    old, new = f"{head:04d}", f"{head + 1:04d}"
    written = run("revision", "-m", "turn mood", "--autogenerate")
    assert written.returncode == 0, written.stderr
    [revision_file] = versions.glob(f"{new}_*.py")
    assert written.stdout == f"wrote {revision_file}\n"
    generated = revision_file.read_text()
    assert f"revision = '{new}'" in generated and f"down_revision = '{old}'" in generated
    assert "add_column(sa.Column('mood'" in generated

    assert run("current").stdout.startswith(f"{old} (head is {new}")
    assert run("upgrade").stdout == f"schema revision: {new} (head)\n"
    engine = engine_for(url)
    assert "mood" in {c["name"] for c in sa.inspect(engine).get_columns("conversation_turns")}
    with engine.connect() as db:
        assert db.execute(sa.text("SELECT content FROM conversation_turns")).scalars().all() == ["kept"]
    assert run("downgrade", old).stdout == f"schema revision: {old} (head is {new}; run 'briefbot db upgrade')\n"
    assert "mood" not in {c["name"] for c in sa.inspect(engine).get_columns("conversation_turns")}
    engine.dispose()


def test_a_bad_url_is_one_line_and_never_shows_the_password(tmp_path):
    for url, expected in [
        ("mysql://u@db/x", "briefbot: error: BRIEFBOT_DATABASE_URL: unsupported database 'mysql'"),
        ("postgresql://u:hunter2secret@127.0.0.1:1/x",
         "briefbot: error: cannot open the database postgresql+psycopg://u:***@127.0.0.1:1/x: connection failed"),
    ]:  # fmt: skip
        for args in (("db", "current"), ("db", "upgrade")):
            result = briefbot(url, *args)
            assert result.returncode == 2 and result.stdout == ""
            [line] = result.stderr.splitlines()
            assert line.startswith(expected) and "hunter2secret" not in line


def test_a_start_on_a_database_at_head_does_not_load_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'briefbot.sqlite3'}"
    Store(url).close()
    code = ("import sys\nfrom bot.store.database import Store\nStore(sys.argv[1]).close()\n"
            "print('alembic' in sys.modules)")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code, url], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout == "False\n", result.stderr
