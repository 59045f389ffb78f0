"""Shared test set-up: loopback only, no proxies, fakes registered as plugins."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_name, None)
os.environ["NO_PROXY"] = "127.0.0.1,localhost"

pytest_plugins = ["tests.fake_fixtures"]


@pytest.fixture
def anyio_backend():
    return "asyncio"


POSTGRES_URL = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_url_or_skip() -> str:
    """The local PostgreSQL server's URL; a skip with the reason when none is reachable,
    except in CI, where PostgreSQL is part of the machine and its absence is a failure."""
    import psycopg

    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server reachable at {POSTGRES_URL}: {str(error).splitlines()[0]}")
    return POSTGRES_URL


@contextmanager
def postgres_schema(prefix: str = "test") -> Iterator[str]:
    """The local PostgreSQL server's URL on a schema of its own, dropped after: what one test
    writes (questions left to hand off, event claims, request counts, model leases) never
    reaches another test's processes. Skipped, saying why, when no server is reachable (not in CI)."""
    import sqlalchemy as sa

    server = postgres_url_or_skip()
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with admin.begin() as db:
            db.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        yield f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as db:
            db.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database no other test has written to (see ``postgres_schema``)."""
    with postgres_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """Each store test runs on both back-ends."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'briefbot.sqlite3'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'briefbot.sqlite3'}"


async def _no_wait(_seconds: float) -> None:
    return None


@pytest.fixture
def make_briefer(sqlite_url):
    """Build a real Briefer on a temporary SQLite store; with ``server`` (a FakeOpenAI) it
    talks to that server through the real openai SDK, with instant retry waits."""
    from bot.config import Settings
    from bot.core.briefer import Briefer
    from bot.engines.model.openai_client import OpenAIChatModel

    made = []

    def build(server=None, **overrides):
        values = {"database_url": sqlite_url, "engine": "offline", **overrides}
        if server is not None:
            values.update(engine="openai", openai_api_key="sk-test-key", openai_base_url=server.base_url)
        settings = Settings(**values)
        model = None
        if server is not None:
            model = OpenAIChatModel(
                api_key="sk-test-key",
                base_url=server.base_url,
                model="fake-model",
                timeout=values.get("model_timeout", 5.0),
                attempts=values.get("model_attempts", 2),
                wait=_no_wait,
            )
        briefer = Briefer.from_settings(settings, model=model)
        made.append(briefer)
        return briefer

    yield build
    for briefer in made:
        briefer.store.close()


@pytest.fixture
def shipped(make_briefer):
    """A briefer over the shipped knowledge, offline."""
    return make_briefer()
