"""``/healthz``, ``/readyz`` and ``/metrics``: on their own port (``BRIEFBOT_HEALTH_PORT``) in
every long-running process, and beside ``/slack/events`` in Slack's HTTP mode.

- ``/healthz``: 200 while the event loop runs (it answers at all);
- ``/readyz``: 200 when the store answers, the platform connection is up and the knowledge is
  loaded; else 503 with ``{"ready": false, "not_ready": {part: reason}}``;
- ``/metrics``: the Prometheus text format of ``bot.observability.metrics.REGISTRY``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.observability.metrics import REGISTRY

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
STORE_PROBE_SECONDS = 3.0  # a probe must answer quickly even when the database does not

logger = logging.getLogger(__name__)


async def healthz(_: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def metrics(_: web.Request) -> web.Response:
    body = await asyncio.to_thread(generate_latest, REGISTRY)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def readyz_handler(briefer):
    async def readyz(_: web.Request) -> web.Response:
        problems = await not_ready(briefer)
        if problems:
            return web.json_response({"ready": False, "not_ready": problems}, status=503)
        return web.json_response({"ready": True})

    return readyz


async def not_ready(briefer) -> dict[str, str]:
    """Every part of ``briefer``'s process that is not ready, with why (empty: ready)."""
    from bot.store.records import StoreError

    problems = await briefer.readiness.problems()
    try:
        await asyncio.wait_for(asyncio.to_thread(briefer.store.ping), STORE_PROBE_SECONDS)
    except StoreError as error:
        problems["store"] = str(error)
    except TimeoutError:
        problems["store"] = f"no answer within {STORE_PROBE_SECONDS:g} s"
    return problems


def routes(briefer, *, health: bool = True) -> list[web.RouteDef]:
    """The routes for ``briefer``'s process; ``health=False`` when the app serves /healthz itself."""
    found = [web.get(READY_PATH, readyz_handler(briefer)), web.get(METRICS_PATH, metrics)]
    return [web.get(HEALTH_PATH, healthz), *found] if health else found


@asynccontextmanager
async def health_server(briefer, host: str, port: int) -> AsyncIterator[int]:
    """The three endpoints on ``host:port`` while the block runs; yields the bound port."""
    application = web.Application()
    application.add_routes(routes(briefer))
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        bound = runner.addresses[0][1]
        logger.info("health and metrics on http://%s:%s (%s, %s, %s)", host, bound, HEALTH_PATH, READY_PATH,
                    METRICS_PATH)  # fmt: skip
        yield bound
    finally:
        await runner.cleanup()
