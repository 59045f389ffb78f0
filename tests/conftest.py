"""Shared test set-up: loopback only, no proxies, fakes registered as plugins."""

import os

import pytest

for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_name, None)
os.environ["NO_PROXY"] = "127.0.0.1,localhost"

pytest_plugins = [
    "tests.fakes.openai_server",
    "tests.fakes.slack_server",
    "tests.fakes.discord_server",
]


@pytest.fixture
def anyio_backend():
    return "asyncio"
