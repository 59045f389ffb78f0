"""A fake Slack on 127.0.0.1: the Web API over HTTP, response_url posts, and a Socket Mode server.

It speaks the real wire format so the real slack_sdk / slack-bolt clients talk to it:
``POST /api/<method>`` (form or JSON bodies, ``Authorization: Bearer``), ``POST /response/<name>``,
and ``GET /ws`` (Socket Mode: ``hello``, envelopes, acks). Every call is recorded; responses
can be scripted (``ok: false`` errors, 429 with ``Retry-After``), and Slack's rate limits can be
switched on per method (``limit_rate``: per channel, and for the whole method).

Fixture: ``slack_api`` (a started ``FakeSlack``, in ``tests/fake_fixtures.py``). Run it by hand:
``python -m tests.fakes.slack_server --port 3001``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections import defaultdict, deque
from contextlib import suppress
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0000001"
WAIT_LIMIT = 10.0  # seconds: only a safety net against a hung test, never part of an assertion


@dataclass
class Call:
    method: str
    args: dict
    headers: dict = field(default_factory=dict)
    response: dict = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass
class Scripted:
    status: int = 200
    body: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (cut short when the fake stops)


class FakeSlack:
    def __init__(self, *, bot_user_id: str = BOT_USER_ID, bot_id: str = BOT_ID, team_id: str = TEAM_ID):
        self.identity = {"user_id": bot_user_id, "bot_id": bot_id, "team_id": team_id}
        self.calls: list[Call] = []
        self.acks: dict[str, dict] = {}
        self._scripts: dict[str, deque[Scripted]] = defaultdict(deque)
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._files: dict[str, tuple[bytes, str]] = {}
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._limits: dict[str, _RateLimit] = {}
        self.port = 0

    # -- lifecycle

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.add_routes(
            [
                web.post("/api/{method}", self._api),
                web.get("/api/{method}", self._api),  # read methods (users.info...) also come as GET
                web.post("/response/{name}", self._response_url),
                web.get("/ws", self._socket),
                web.get("/files-pri/{name}", self._file),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()  # port 0: any free one
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing.set()
        for socket in list(self._sockets):
            await socket.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    # -- scripting

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer ``{"ok": false, "error": error}``."""
        for _ in range(times):
            self._scripts[method].append(Scripted(body={"ok": False, "error": error}))

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer 429 with ``Retry-After``."""
        for _ in range(times):
            self._scripts[method].append(
                Scripted(
                    status=429,
                    body={"ok": False, "error": "ratelimited"},
                    headers={"Retry-After": str(retry_after)},
                )
            )

    def limit_rate(
        self, method: str, *, per_channel: float = 1.0, per_second: int = 0, retry_after: int = 1
    ) -> None:
        """From now on, like Slack: a ``method`` call within ``per_channel`` seconds of the last one
        accepted for the same channel (and, with ``per_second``, past that many calls of the method
        in the last second) answers 429 with ``Retry-After``; it is recorded and does nothing else."""
        self._limits[method] = _RateLimit(per_channel, per_second, retry_after)

    def hang(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get no answer for ``seconds`` (then a normal one)."""
        for _ in range(times):
            self._scripts[method].append(Scripted(delay=seconds))

    # -- inspection

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def replies(self) -> list[Call]:
        """Everything that showed a user some text: posts, updates and response_url posts."""
        kinds = ("chat.postMessage", "chat.update", "response_url")
        return [call for call in self.calls if call.method in kinds]

    def streamed_text(self, ts: str) -> str:
        """The markdown a streamed message (chat.startStream/appendStream/stopStream) shows."""
        text = ""
        for call in self.calls:
            started = call.method == "chat.startStream" and call.response.get("ts") == ts
            if started or (call.method in ("chat.appendStream", "chat.stopStream") and call.args.get("ts") == ts):
                text += call.args.get("markdown_text") or ""
                chunks = call.args.get("chunks") or ()
                text += "".join(c.get("text", "") for c in chunks if c.get("type") == "markdown_text")
        return text

    async def wait_for(self, method: str, count: int = 1) -> list[Call]:
        """Wait until ``method`` was called at least ``count`` times; returns those calls."""
        async with asyncio.timeout(WAIT_LIMIT), self._changed:
            await self._changed.wait_for(lambda: len(self.calls_to(method)) >= count)
        return self.calls_to(method)

    # -- Socket Mode

    async def wait_for_socket(self, count: int = 1) -> None:
        async with asyncio.timeout(WAIT_LIMIT), self._changed:
            await self._changed.wait_for(lambda: len(self._sockets) >= count)

    async def send_envelope(self, kind: str, payload: dict, *, retry_attempt: int = 0) -> str:
        """Push an envelope (``events_api`` / ``slash_commands``) to the connected client."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "accepts_response_payload": kind != "events_api",
            "payload": payload,
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        await self._sockets[-1].send_str(json.dumps(envelope))
        return envelope_id

    async def wait_for_ack(self, envelope_id: str) -> dict:
        async with asyncio.timeout(WAIT_LIMIT), self._changed:
            await self._changed.wait_for(lambda: envelope_id in self.acks)
        return self.acks[envelope_id]

    # -- handlers

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.method == "POST":
            args.update(await request.post())
        call = Call(method, args, dict(request.headers))
        scripted = self._scripts[method].popleft() if self._scripts[method] else None
        if scripted is not None and scripted.delay:
            with suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), scripted.delay)
            scripted = None
        if scripted is None and method in self._limits and not self._limits[method].allows(args.get("channel", "")):
            scripted = Scripted(429, {"ok": False, "error": "ratelimited"},
                                {"Retry-After": str(self._limits[method].retry_after)})  # fmt: skip
        if scripted is not None:
            call.response = scripted.body
            await self._record(call)
            return web.json_response(scripted.body, status=scripted.status, headers=scripted.headers)
        call.response = self._answer(method, args, request.headers.get("Authorization", ""))
        await self._record(call)
        return web.json_response(call.response)

    def _answer(self, method: str, args: dict, authorization: str) -> dict:
        if method == "auth.test":
            return {"ok": True, "url": "https://fake.slack/", "team": "Fake", "user": "briefbot", **self.identity}
        if method == "apps.connections.open":
            if not authorization.startswith("Bearer xapp-"):
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/ws"}
        if method == "chat.postMessage":
            ts = f"1700000000.{next(self._ts):06d}"
            message = {"text": args.get("text", ""), "ts": ts, "user": self.identity["user_id"]}
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.startStream":
            ts = f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": args.get("channel"), "ts": ts}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text")}
        return {"ok": True}

    def share_file(self, name: str, body: bytes, *, mimetype: str = "text/plain", filetype: str = "text") -> dict:
        """A file as it appears in a ``file_share`` message event; downloading it (its
        ``url_private_download``) needs the bot token, as on Slack."""
        self._files[name] = (body, mimetype)
        url = f"http://127.0.0.1:{self.port}/files-pri/{name}"
        return {"id": f"F{len(self._files):08d}", "name": name, "mimetype": mimetype, "filetype": filetype,
                "size": len(body), "url_private": url, "url_private_download": url}  # fmt: skip

    async def _file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        await self._record(Call("file_download", {"name": name}, dict(request.headers)))
        if not request.headers.get("Authorization", "").startswith("Bearer xoxb-") or name not in self._files:
            return web.Response(status=404, text="not found")  # Slack answers a sign-in page or 404
        body, mimetype = self._files[name]
        return web.Response(body=body, content_type=mimetype)

    async def _response_url(self, request: web.Request) -> web.Response:
        await self._record(Call("response_url", await request.json(), {"name": request.match_info["name"]}))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}))
        async with self._changed:
            self._sockets.append(socket)
            self._changed.notify_all()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                async with self._changed:
                    self.acks[data["envelope_id"]] = data
                    self._changed.notify_all()
        async with self._changed:
            self._sockets.remove(socket)
        return socket


@dataclass
class _RateLimit:
    per_channel: float  # seconds between two accepted calls for one channel
    per_second: int  # accepted calls of the method in any second; 0: no such limit
    retry_after: int
    last: dict[str, float] = field(default_factory=dict)  # channel -> when its last call was accepted
    recent: deque[float] = field(default_factory=deque)  # when the calls of the last second were accepted

    def allows(self, channel: str) -> bool:
        now = time.monotonic()
        while self.recent and now - self.recent[0] >= 1.0:
            self.recent.popleft()
        if channel in self.last and now - self.last[channel] < self.per_channel:
            return False
        if self.per_second and len(self.recent) >= self.per_second:
            return False
        self.last[channel] = now
        self.recent.append(now)
        return True


if __name__ == "__main__":
    from tests.fakes.run import main

    main(["slack"])
