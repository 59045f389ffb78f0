"""What every long-running command (``slack``, ``discord``, ``serve``, ``digest --serve``) does
around its work: graceful stop on SIGTERM/SIGINT, /healthz, /readyz and /metrics on
``BRIEFBOT_HEALTH_PORT`` (when set), the store opened and the knowledge loaded once connected to
the platform (a process that cannot open them stops with the reason), then the warm-up and the
model's start-up check (``bot/core/startup.py`` says where start-up work goes), retention enforced
in the background, and added, changed or removed articles picked up."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.config import ConfigError
from bot.core.startup import in_thread
from bot.knowledge.articles import KnowledgeError
from bot.knowledge.live import KnowledgeWatcher
from bot.store.records import StoreError
from bot.store.retention import enforce_retention

logger = logging.getLogger(__name__)

CONNECT_WAIT = 10.0  # seconds the warm-up waits for the platform's connection before starting anyway


async def run_long(briefer, serve):
    """Run ``serve(briefer)`` and return its result; it returns once ``briefer.lifecycle`` is asked
    to stop and its work in flight is done (or handed back)."""
    lifecycle = briefer.lifecycle
    lifecycle.install_signal_handlers()
    settings = briefer.settings
    # Until serve's first step has registered the connections it needs, /readyz must not say ready.
    briefer.readiness.waiting("startup", "starting")
    async with contextlib.AsyncExitStack() as stack:
        if settings.health_port:
            await stack.enter_async_context(_health_server(briefer, settings.health_host, settings.health_port))
        return await _run(briefer, serve, settings)


async def _run(briefer, serve, settings):
    lifecycle = briefer.lifecycle
    failed: list[Exception] = []  # why the store or the knowledge could not be opened: the process stops

    async def connected_and_open() -> bool:
        if not await _connected(briefer):
            return False
        try:
            await asyncio.to_thread(briefer.open)
        except (StoreError, KnowledgeError) as error:
            failed.append(error)
            lifecycle.request_stop("cannot start")
            return False
        return True

    # Answers wait for these; they start once the platform is connected and the store open.
    briefer.startup.begin(in_thread(briefer.warm_up), briefer.check_model, after=connected_and_open)
    upkeep = asyncio.create_task(_upkeep(briefer, settings))
    # Runs once serve's first step (up to its first wait) is done: its parts are registered by then.
    asyncio.get_running_loop().call_soon(briefer.readiness.ready, "startup")
    try:
        result = await serve(briefer)
    finally:
        await briefer.startup.wait()  # its worker thread cannot be cancelled: let it end first
        upkeep.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await upkeep
    if failed:
        raise failed[0]
    if lifecycle.stopping:
        logger.info("stopped")
    return result


async def _upkeep(briefer, settings) -> None:
    """Once started: retention enforced, and the knowledge watched for changes (both use the store)."""
    await briefer.startup.wait()
    if briefer.lifecycle.stopping:
        return
    watch = KnowledgeWatcher(briefer, settings.knowledge_dir, interval=settings.knowledge_poll_seconds)
    await asyncio.gather(enforce_retention(briefer), watch.run())


async def _connected(briefer) -> bool:
    """True once the platform's connections are up, ready or still preparing (at most ``CONNECT_WAIT`` s: a platform
    that takes longer gets its warm-up anyway); False when the process is asked to stop first."""
    stopping = asyncio.create_task(briefer.lifecycle.stop_requested.wait())
    connected = asyncio.create_task(
        briefer.readiness.settled(ignoring=("knowledge",), connected=True, limit=CONNECT_WAIT)
    )
    try:
        await asyncio.wait((stopping, connected), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (stopping, connected):
            task.cancel()
    return not briefer.lifecycle.stopping


@contextlib.asynccontextmanager
async def _health_server(briefer, host: str, port: int):
    from bot.observability.endpoints import health_server

    try:
        server = health_server(briefer, host, port)
        bound = await server.__aenter__()
    except OSError as error:
        raise ConfigError(f"BRIEFBOT_HEALTH_PORT: cannot listen on {host}:{port} ({error.strerror or error})") from None
    try:
        yield bound
    finally:
        await server.__aexit__(None, None, None)
