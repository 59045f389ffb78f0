"""The pytest fixtures of the local fakes (``tests/fakes/``), registered by ``conftest.py``.

They live here so that the fakes themselves import without pytest and can be run by hand
(``python -m tests.fakes.slack_server --port 3001``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from tests.fakes.discord_server import FakeDiscord
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_server import FakeSlack


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest_asyncio.fixture
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    """A started ``FakeOpenAI`` for one test."""
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture
def fake_openai_thread() -> Iterator[FakeOpenAI]:
    """A ``FakeOpenAI`` served from a background thread, for sync and subprocess tests."""
    with FakeOpenAI.run_in_thread() as server:
        yield server
