"""The Slack adapter: a bolt ``AsyncApp`` served over HTTP (/slack/events, /healthz, /readyz,
/metrics) or Socket Mode.

Entry point for the CLI: ``serve_slack(settings, briefer, mode=..., host=..., port=...)``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import ConfigError, Settings
from bot.core.handoff import recover_lapsed
from bot.observability import endpoints
from bot.platforms.slack.assistant import build_assistant
from bot.platforms.slack.digest_command import SlackDigestCommand, digest_listener
from bot.platforms.slack.home import BRIEF_ACTION, DIGEST_ACTION, AppHome
from bot.platforms.slack.listeners import Listener, SlackListeners
from bot.platforms.slack.news_command import SlackNewsCommand, news_listener
from bot.platforms.slack.requests import check_request
from bot.platforms.slack.web_client import slack_web_client

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MODES = ("auto", "socket", "http")

logger = logging.getLogger(__name__)


def build_slack_app(
    settings: Settings,
    briefer,
    *,
    client: AsyncWebClient | None = None,
    extra_listeners: Iterable[Listener] = (),
) -> AsyncApp:
    """The bolt app with every listener of ``SlackListeners.table()`` (plus ``extra_listeners``) registered.

    ``client`` posts the replies; pass one that shares a connection pool. Bolt itself gets a
    client without one: it deep-copies each request's context (client included) for lazy
    listeners, and an aiohttp session cannot be copied.
    """
    app = AsyncApp(
        client=slack_web_client(settings),
        signing_secret=settings.slack_signing_secret,
        logger=logging.getLogger("bot.platforms.slack.bolt"),
    )
    client = client or app.client
    news_command = SlackNewsCommand(settings, briefer, client)
    listeners = SlackListeners(
        briefer, client, mention_only=settings.slack_mention_only, on_file_shared=news_command.file_shared
    )
    digest_command = SlackDigestCommand(settings, briefer, client)
    digest = digest_listener(settings, briefer, client, digest_command)
    news = news_listener(news_command)
    home = AppHome(briefer, client, digest_command)
    app.event("app_home_opened")(home.opened)
    app.action(BRIEF_ACTION)(home.brief)
    app.action(DIGEST_ACTION)(home.manage_digest)
    app.assistant(build_assistant(listeners))
    registrars = {"command": app.command, "event": app.event, "action": app.action, "view": app.view}
    for listener in [*listeners.table(), digest, news, *extra_listeners]:
        registrars[listener.kind](listener.name)(ack=listener.ack, lazy=listener.work)
    return app


def web_application(app: AsyncApp, signing_secret: str, briefer=None) -> web.Application:
    """``POST /slack/events`` (signed, well-formed requests go on to bolt) and ``GET /healthz``;
    with ``briefer``, ``GET /readyz`` and ``GET /metrics`` too (bot.observability.endpoints)."""

    async def events(request: web.Request) -> web.Response:
        raw = await request.read()
        rejected = check_request(raw, request.headers, signing_secret)
        if rejected is not None:
            logger.warning("rejected a request to %s: HTTP %s, %s (%d bytes)", EVENTS_PATH, rejected.status,
                           rejected.reason, len(raw))  # fmt: skip
            return web.json_response({"ok": False, "error": rejected.reason}, status=rejected.status)
        bolt_request = AsyncBoltRequest(body=raw.decode("utf-8"), query=request.query_string, headers=request.headers)
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    application = web.Application()
    application.add_routes([web.post(EVENTS_PATH, events), web.get(HEALTH_PATH, health)])
    if briefer is not None:
        application.add_routes(endpoints.routes(briefer, health=False))
    return application


@asynccontextmanager
async def http_server(
    app: AsyncApp, host: str, port: int, *, signing_secret: str, briefer=None
) -> AsyncIterator[int]:
    """Serve ``app`` on ``host:port`` while the block runs; yields the bound port (useful with port 0)."""
    runner = web.AppRunner(web_application(app, signing_secret, briefer), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


@asynccontextmanager
async def socket_mode(app: AsyncApp, app_token: str) -> AsyncIterator:
    """Connected to Slack over Socket Mode while the block runs; yields the Socket Mode client."""
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(app, app_token)
    await handler.connect_async()
    try:
        yield handler.client
    finally:
        await handler.close_async()


@asynccontextmanager
async def connected_client(settings: Settings) -> AsyncIterator[AsyncWebClient]:
    """One Web API client with one connection pool; the token is checked with ``auth.test`` at start."""
    async with aiohttp.ClientSession() as session:
        client = slack_web_client(settings, session=session)
        try:
            identity = await client.auth_test()
        except SlackApiError as error:
            reason = error.response.get("error") or f"HTTP {error.response.status_code}"
            raise ConfigError(f"SLACK_BOT_TOKEN was not accepted by Slack ({reason})") from None
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            raise ConfigError(f"cannot reach Slack at {settings.slack_api_url} ({_network_reason(error)})") from None
        logger.info("connected to Slack as %s in team %s", identity.get("user_id"), identity.get("team_id"))
        yield client


def _network_reason(error: BaseException) -> str:
    """What went wrong on the network, in a few words (no URL with a token in it: Slack puts none there)."""
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__


@asynccontextmanager
async def recovering(briefer, client: AsyncWebClient) -> AsyncIterator[None]:
    """While the block runs, Slack questions whose process stopped before answering are answered
    here (``bot.core.handoff``)."""
    listeners = SlackListeners(briefer, client)
    stop = briefer.lifecycle.stop_requested
    task = asyncio.create_task(
        recover_lapsed(listeners.handoff, ("slack",), listeners.answer_recovered, listeners.apologize, stop)
    )
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def run_http(settings: Settings, briefer, host: str, port: int) -> None:
    """Serve HTTP mode until cancelled or asked to stop (then: no new requests, answers in flight
    finished, and only then the Web API client closed)."""
    briefer.readiness.waiting("slack", "checking the bot token with Slack")
    async with connected_client(settings) as client:
        app = build_slack_app(settings, briefer, client=client)
        secret = settings.slack_signing_secret
        async with http_server(app, host, port, signing_secret=secret, briefer=briefer) as bound:
            logger.info("Slack events on http://%s:%s%s", host, bound, EVENTS_PATH)
            briefer.readiness.ready("slack")
            async with recovering(briefer, client):
                await briefer.lifecycle.stop_requested.wait()
            briefer.readiness.waiting("slack", "stopping")
        await briefer.lifecycle.drain()


async def run_socket_mode(settings: Settings, briefer) -> None:
    """Stay connected over Socket Mode until cancelled or asked to stop (as ``run_http``)."""
    briefer.readiness.waiting("slack", "connecting over Socket Mode")
    async with connected_client(settings) as client:
        app = build_slack_app(settings, briefer, client=client)
        async with socket_mode(app, settings.slack_app_token) as socket_client:
            logger.info("connected over Socket Mode")

            async def socket_down() -> str | None:
                return None if await socket_client.is_connected() else "Socket Mode connection down, reconnecting"

            briefer.readiness.check("slack", socket_down)
            async with recovering(briefer, client):
                await briefer.lifecycle.stop_requested.wait()
            briefer.readiness.waiting("slack", "stopping")
        await briefer.lifecycle.drain()


def resolve_mode(settings: Settings, mode: str) -> str:
    """``socket`` or ``http``; ``auto`` picks Socket Mode when SLACK_APP_TOKEN is set. ConfigError if unusable."""
    if mode not in MODES:
        raise ConfigError(f"Slack mode must be one of {', '.join(MODES)} (got {mode!r})")
    if mode == "auto":
        mode = "socket" if settings.slack_app_token else "http"
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set (the bot token, xoxb-...)")
    if mode == "socket" and not settings.slack_app_token:
        raise ConfigError("SLACK_APP_TOKEN is not set (an app-level token, xapp-..., needed for Socket Mode)")
    if mode == "http" and not settings.slack_signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET is not set (needed to verify requests in HTTP mode)")
    return mode


async def serve_slack(
    settings: Settings, briefer, *, mode: str = "auto", host: str = "0.0.0.0", port: int = 3000
) -> None:
    """Run the Slack bot until cancelled: ``mode`` is ``auto``, ``socket`` or ``http``."""
    if resolve_mode(settings, mode) == "socket":
        await run_socket_mode(settings, briefer)
    else:
        await run_http(settings, briefer, host, port)
