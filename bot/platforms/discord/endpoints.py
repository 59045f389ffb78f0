"""Point discord.py at another REST API and gateway (a rate-limit proxy, a local fake).

discord.py reads both addresses from class attributes (``Route.BASE`` for every REST
call, interaction callbacks and follow-ups included; ``DiscordWebSocket.DEFAULT_GATEWAY``
for the first connection), so the override is process-wide while it is active. It is
applied only around a running client and restored afterwards: one bot client per process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_API_URL = "https://discord.com/api/v10"


@contextmanager
def discord_endpoints(api_url: str, gateway_url: str = "") -> Iterator[None]:
    """Use ``api_url`` (REST base, with the version) and ``gateway_url`` (``ws(s)://``) while inside."""
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = (api_url or DEFAULT_API_URL).rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
