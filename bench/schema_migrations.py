"""What schema migrations cost a process (issue 14). Prints; asserts nothing.
Run: .venv/bin/python bench/schema_migrations.py   (PostgreSQL rows need BRIEFBOT_TEST_POSTGRES_URL)

Per back-end, in fresh subprocesses (so Alembic's import is counted when it happens):
- opening the store on a database already at head (the start of every process after the first),
  and for comparison what the code before migrations spent there (``create_all``);
- opening it on an empty database (Alembic loads and runs every revision);
- adopting a database made before migrations (checked against 0001, stamped);
- N processes running ``briefbot db upgrade`` together on one empty database (wall time).
Not covered: large tables (no revision copies data yet), remote databases (loopback only).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
TOGETHER = 4

OPEN_STORE = """
import sys, time
from bot.store.database import Store
t = time.perf_counter()
Store(sys.argv[1]).close()
print(time.perf_counter() - t)
"""

OLD_OPEN = """
import sys, time
from bot.store.database import _create_engine
from tests.data.schema_before_migrations import metadata
t = time.perf_counter()
engine = _create_engine(sys.argv[1])
metadata.create_all(engine)  # what opening the store did before migrations
engine.dispose()
print(time.perf_counter() - t)
"""

MAKE_LEGACY = """
import sys
import sqlalchemy as sa
from tests.data.schema_before_migrations import metadata
metadata.create_all(sa.create_engine(sys.argv[1]))
"""


def python(*args: str, url: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFBOT_DATABASE_URL": url, "BRIEFBOT_ENGINE": "offline"}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def open_seconds(url: str) -> float:
    return float(python("-c", OPEN_STORE, url, url=url))


class Databases:
    """Fresh empty databases of one back-end."""

    def __init__(self, backend: str, folder: Path, server: str = "") -> None:
        self.backend, self.folder, self.server, self.schemas = backend, folder, server, []

    def new(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.folder / uuid.uuid4().hex}.sqlite3"
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        return f"{self.server}?options=-csearch_path%3D{schema}"

    def driver_url(self, url: str) -> str:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)

    def drop(self) -> None:
        for schema in self.schemas:
            self._admin(f"DROP SCHEMA {schema} CASCADE")

    def _admin(self, sql: str) -> None:
        engine = sa.create_engine(self.driver_url(self.server))
        with engine.begin() as db:
            db.execute(sa.text(sql))
        engine.dispose()


def measure(databases: Databases) -> list[tuple[str, str]]:
    at_head, fresh, legacy, old_way = [], [], [], []
    for _ in range(RUNS):
        url = databases.new()
        fresh.append(open_seconds(url))
        at_head.append(open_seconds(url))
        old_way.append(float(python("-c", OLD_OPEN, url, url=url)))
        old = databases.new()
        python("-c", MAKE_LEGACY, databases.driver_url(old), url=old)
        legacy.append(open_seconds(old))
    url = databases.new()
    started = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-m", "bot", "db", "upgrade"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT),
                                  "BRIEFBOT_DATABASE_URL": url}) for _ in range(TOGETHER)]  # fmt: skip
    codes = [p.wait() for p in processes]
    together = time.perf_counter() - started

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms (min {min(values) * 1000:.0f})"

    return [
        ("open the store, database at head", ms(at_head)),
        ("  the same before migrations (create_all)", ms(old_way)),
        ("open the store, empty database", ms(fresh)),
        ("open the store, made before migrations", ms(legacy)),
        (f"{TOGETHER} x 'db upgrade' together, wall", f"{together:.2f} s, exit codes {codes}"),
    ]


def main() -> None:
    backends = [("sqlite", "")]
    if server := os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", ""):
        backends.append(("postgresql", server))
    with tempfile.TemporaryDirectory() as folder:
        for backend, server in backends:
            databases = Databases(backend, Path(folder), server)
            try:
                rows = measure(databases)
            finally:
                databases.drop()
            print(f"\n{backend} (median of {RUNS} fresh processes; the store's own import not counted)")
            for name, value in rows:
                print(f"  {name:<42} {value}")


if __name__ == "__main__":
    main()
