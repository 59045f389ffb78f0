"""A fake Discord on 127.0.0.1: a gateway (websocket, plain JSON frames) and the REST API a bot uses.

The real discord.py client connects to it (``Route.BASE`` / ``DiscordWebSocket.DEFAULT_GATEWAY``, set by
``bot.platforms.discord.endpoints``). Every REST request is recorded with its JSON body; tests push
gateway events with ``dispatch`` and wait for requests with ``wait_for``.

    async with FakeDiscord() as discord_fake:        # in a test: the ``fake_discord`` fixture
        discord_fake.fail("POST", r"/channels/\\d+/messages", 500)   # the next matching request fails
        await discord_fake.dispatch("MESSAGE_CREATE", discord_fake.mention("hi"))
        [reply] = await discord_fake.wait_for(lambda r: r.creates_message)

Like Discord, it dispatches MESSAGE_CREATE for every message the bot creates (so the bot sees its
own messages), THREAD_CREATE for every thread it starts, and honours ``enforce_nonce``.
Run it by hand: ``python -m tests.fakes.discord_server --port 3002``.

Sharding as on Discord: ``FakeDiscord(guilds={guild_id: channel_id, ...}, shard_count=n)`` serves
``GET /gateway/bot`` with ``n`` shards, honours IDENTIFY's ``shard`` field ([id, count]), gives a
connection only the guilds of its shard (``(guild_id >> 22) % count``), and delivers a guild's
events only to that connection (DMs to shard 0). ``deliveries`` records which shard got what.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_ID = 900000000000000001
APP_ID = 900000000000000002
GUILD_ID = 900000000000000003
CHANNEL_ID = 900000000000000004
USER_ID = 900000000000000005
OTHER_BOT_ID = 900000000000000006
DM_CHANNEL_ID = 900000000000000007
TIMESTAMP = "2025-11-04T09:00:00+00:00"
WAIT_TIMEOUT = 10.0  # a guard against hanging tests, never a timed assertion


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "global_name": name, "discriminator": "0", "avatar": None, "bot": bot}


def member(user_data: dict[str, Any] | None = None) -> dict[str, Any]:
    data = {"roles": [], "joined_at": TIMESTAMP, "deaf": False, "mute": False, "flags": 0}
    if user_data is not None:
        data["user"] = user_data
    return data


BOT_USER = user(BOT_ID, "briefbot", bot=True)
ASKER = user(USER_ID, "alice")


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the API prefix, e.g. "/channels/1/messages"
    query: dict[str, str]
    body: Any  # the decoded JSON body, or None
    at: float = field(default_factory=time.monotonic)  # when it arrived

    @property
    def creates_message(self) -> bool:
        """A message the bot posts: in a channel, or an interaction follow-up."""
        return self.method == "POST" and bool(re.fullmatch(r"/channels/\d+/messages|/webhooks/\d+/[^/]+", self.path))


@dataclass(frozen=True)
class Delivery:
    shard: tuple[int, int]  # [id, count] of the connection that received the event
    event: str
    guild_id: int | None


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's formula: the shard that receives a guild's events."""
    return (guild_id >> 22) % shard_count


@dataclass
class _Failure:
    method: str
    pattern: str
    status: int
    times: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds without an answer first (a hung call)


class FakeDiscord:
    api_prefix = "/api/v10"

    def __init__(self, *, guilds: dict[int, int] | None = None, shard_count: int = 1) -> None:
        self.guilds = dict(guilds or {GUILD_ID: CHANNEL_ID})  # guild id -> its one text channel
        self.shard_count = shard_count  # what GET /gateway/bot recommends
        self.deliveries: list[Delivery] = []
        self._channel_guilds = {channel: guild for guild, channel in self.guilds.items()}
        self._shards: dict[web.WebSocketResponse, tuple[int, int]] = {}
        self.requests: list[Request] = []
        self.created_messages: list[dict[str, Any]] = []  # what users would see, after nonce dedupe
        self.identify_payloads: list[dict[str, Any]] = []
        self.close_code_on_identify: int | None = None  # e.g. 4014: a privileged intent not enabled
        # Seconds between a connection's GUILD_CREATE events after the first (0: all at once): a bot
        # in many guilds receives them over seconds, and discord.py waits for the last before on_ready.
        self.guild_pace = 0.0
        self._guild_streams: set[asyncio.Task] = set()
        self._failures: list[_Failure] = []
        self._closing = asyncio.Event()  # ends the hung calls at once when the fake stops
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = itertools.count(1)
        self._ids = itertools.count(910000000000000000)
        self._interaction_channels: dict[str, dict[str, Any]] = {}
        self._nonces: dict[tuple[str, str], dict[str, Any]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.api_prefix}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", self.api_prefix + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)  # port 0: any free one
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc_info) -> None:
        self._closing.set()
        for stream in self._guild_streams:
            stream.cancel()
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- scripting -----------------------------------------------------------------------------

    def fail(self, method: str, path_pattern: str, status: int, *, times: int = 1, code: int = 0, **extra: Any) -> None:
        """The next ``times`` requests matching ``method`` and the ``path_pattern`` regex get ``status``;
        ``extra`` goes into the JSON body (e.g. ``retry_after=600, global_=False`` for a 429)."""
        body = {"message": f"scripted {status}", "code": code}
        body.update({k.rstrip("_"): v for k, v in extra.items()})
        headers = {}
        if status == 429:  # as Discord sends it (discord.py takes a 429 without "Via" for a Cloudflare ban)
            headers = {"Via": "1.1 google", "Retry-After": str(body.get("retry_after", 1)), "X-RateLimit-Scope": "user"}
        self._failures.append(_Failure(method, path_pattern, status, times, body, headers))

    def hang(self, method: str, path_pattern: str, seconds: float, *, times: int = 1) -> None:
        """The next ``times`` matching requests get no answer for ``seconds`` (then a 504, as a
        gateway in front of Discord would give)."""
        body = {"message": "scripted hang", "code": 0}
        self._failures.append(_Failure(method, path_pattern, 504, times, body, delay=seconds))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway DISPATCH to the connection of the guild's shard (a DM's: shard 0)."""
        frame = self._frame(event, data)
        guild_id = int(data["guild_id"]) if data.get("guild_id") else None
        for socket in list(self._sockets):
            shard_id, shard_count = self._shards.get(socket, (0, 1))
            if shard_id == (shard_of(guild_id, shard_count) if guild_id is not None else 0):
                self.deliveries.append(Delivery((shard_id, shard_count), event, guild_id))
                await socket.send_str(frame)

    async def wait_for(
        self, predicate: Callable[[Request], bool], count: int = 1, *, timeout: float = WAIT_TIMEOUT
    ) -> list[Request]:
        """The first ``count`` recorded requests matching ``predicate``, waiting for them to arrive."""

        def matching() -> list[Request]:
            return [r for r in self.requests if predicate(r)]

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(matching()) >= count), timeout)
        return matching()[:count]

    async def wait_for_identify(self, count: int = 1, *, timeout: float = WAIT_TIMEOUT) -> None:
        """Wait until ``count`` connections have identified and been sent READY and their guilds."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self._sockets) >= count), timeout)

    def guild_of(self, channel_id: int | str) -> int:
        """The guild a channel (or a thread the bot started) belongs to; unknown channels: the first guild."""
        return self._channel_guilds.get(int(channel_id), next(iter(self.guilds)))

    # --- payload builders ----------------------------------------------------------------------

    def message(
        self,
        content: str,
        *,
        channel_id: int = CHANNEL_ID,
        guild: bool = True,
        author: dict[str, Any] = ASKER,
        mentions: tuple[dict[str, Any], ...] = (),
        referenced: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE payload from ``author``."""
        data = {
            "id": str(next(self._ids)),
            "channel_id": str(channel_id),
            "author": author,
            "content": content,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [dict(m, member=member()) if guild else m for m in mentions],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 19 if referenced else 0,
            "flags": 0,
        }
        if guild:
            data["guild_id"] = str(self.guild_of(channel_id))
            data["member"] = member()
        if referenced is not None:
            data["message_reference"] = {"message_id": referenced["id"], "channel_id": str(channel_id)}
            data["referenced_message"] = referenced
        return data

    def mention(self, text: str, *, channel_id: int = CHANNEL_ID, author: dict[str, Any] = ASKER):
        """A guild message that mentions the bot: ``<@bot> text``."""
        return self.message(f"<@{BOT_ID}> {text}", channel_id=channel_id, author=author, mentions=(BOT_USER,))

    def interaction(
        self, command: str, options: dict[str, str], *, guild: bool = True, locale: str = "en-US",
        channel_id: int = CHANNEL_ID,
    ) -> dict[str, Any]:  # fmt: skip
        """An INTERACTION_CREATE payload for a slash command; its follow-ups land in its channel."""
        token = f"interaction-token-{next(self._ids)}"
        channel = (
            {
                "id": str(channel_id),
                "type": 0,
                "name": "general",
                "guild_id": str(self.guild_of(channel_id)),
                "position": 0,
                "permission_overwrites": [],
            }
            if guild
            else {"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [ASKER]}
        )
        self._interaction_channels[token] = channel
        data = {
            "id": str(next(self._ids)),
            "application_id": str(APP_ID),
            "type": 2,
            "token": token,
            "version": 1,
            "data": {
                "id": str(next(self._ids)),
                "name": command,
                "type": 1,
                "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
            },
            "channel_id": channel["id"],
            "channel": channel,
            "locale": locale,
            "app_permissions": "0",
            "attachment_size_limit": 8388608,
            "entitlements": [],
            "context": 0,
        }
        if guild:
            data["guild_id"] = str(self.guild_of(channel_id))
            data["guild_locale"] = "it"
            data["member"] = dict(member(ASKER), permissions="0")
        else:
            data["user"] = ASKER
        return data

    def component_interaction(self, custom_id: str, message: dict[str, Any]) -> dict[str, Any]:
        """An INTERACTION_CREATE for a button pressed under ``message`` (a message the bot created)."""
        return self._interaction_payload(3, {"custom_id": custom_id, "component_type": 2}, message["channel_id"],
                                         message=message)  # fmt: skip

    def modal_submit(self, custom_id: str, values: dict[str, str], *, channel_id: str) -> dict[str, Any]:
        """An INTERACTION_CREATE for a submitted modal: ``values`` maps text inputs' custom ids to text."""
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
        return self._interaction_payload(5, {"custom_id": custom_id, "components": rows}, channel_id)

    def _interaction_payload(self, kind: int, data: dict[str, Any], channel_id: str, **extra) -> dict[str, Any]:
        token = f"interaction-token-{next(self._ids)}"
        in_guild = str(channel_id) != str(DM_CHANNEL_ID)
        guild_id = str(self.guild_of(channel_id))
        channel = ({"id": str(channel_id), "type": 0, "name": "general", "guild_id": guild_id, "position": 0,
                    "permission_overwrites": []} if in_guild
                   else {"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [ASKER]})  # fmt: skip
        self._interaction_channels[token] = channel
        payload = {"id": str(next(self._ids)), "application_id": str(APP_ID), "type": kind, "token": token,
                   "version": 1, "data": data, "channel_id": str(channel_id), "channel": channel, "locale": "en-US",
                   "app_permissions": "0", "attachment_size_limit": 8388608, "entitlements": [], "context": 0,
                   **extra}  # fmt: skip
        if in_guild:
            payload.update(guild_id=guild_id, guild_locale="it", member=dict(member(ASKER), permissions="0"))
        else:
            payload["user"] = ASKER
        return payload

    def message_content(self, channel_id: str | int, message_id: str) -> dict[str, Any]:
        """The bot's message as it stands now (after any edits)."""
        wanted = (str(message_id), str(channel_id))
        return next(m for m in self.created_messages if (m["id"], m["channel_id"]) == wanted)

    # --- gateway -------------------------------------------------------------------------------

    def _frame(self, event: str, data: dict[str, Any]) -> str:
        return json.dumps({"op": 0, "t": event, "s": next(self._sequence), "d": data})

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                break
            payload = json.loads(frame.data)
            if payload["op"] == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif payload["op"] == 2 and self.close_code_on_identify is not None:
                self._record_identify(payload["d"])
                await socket.close(code=self.close_code_on_identify)
            elif payload["op"] == 2:
                self._record_identify(payload["d"])
                shard_id, shard_count = payload["d"].get("shard") or (0, 1)
                if not 0 <= shard_id < shard_count:
                    await socket.close(code=4010)  # Discord's "Invalid shard"
                    break
                guilds = [g for g in self.guilds if shard_of(g, shard_count) == shard_id]
                await socket.send_str(self._frame("READY", self._ready(guilds, [shard_id, shard_count])))
                await self._send_guilds(socket, guilds[:1])
                if self.guild_pace:  # the others one by one, while the connection goes on
                    self._guild_streams.add(asyncio.create_task(self._send_guilds(socket, guilds[1:])))
                else:
                    await self._send_guilds(socket, guilds[1:])
                async with self._changed:
                    self._shards[socket] = (shard_id, shard_count)
                    self._sockets.append(socket)
                    self._changed.notify_all()
        if socket in self._sockets:
            self._sockets.remove(socket)
        self._shards.pop(socket, None)
        return socket

    async def _send_guilds(self, socket: web.WebSocketResponse, guilds: list[int]) -> None:
        for guild_id in guilds:
            if self.guild_pace:
                await asyncio.sleep(self.guild_pace)
            if socket.closed:
                return
            await socket.send_str(self._frame("GUILD_CREATE", self._guild(guild_id)))

    def _record_identify(self, data: dict[str, Any]) -> None:
        self.identify_payloads.append({k: v for k, v in data.items() if k != "token"})

    def _ready(self, guilds: list[int], shard: list[int]) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "shard": shard,
            "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    def _guild(self, guild_id: int) -> dict[str, Any]:
        return {
            "id": str(guild_id),
            "name": "Newsroom",
            "unavailable": False,
            "owner_id": str(USER_ID),
            "member_count": 2,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": str(guild_id),
                    "name": "@everyone",
                    "permissions": "0",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [
                {
                    "id": str(self.guilds[guild_id]),
                    "type": 0,
                    "name": "general",
                    "position": 0,
                    "guild_id": str(guild_id),
                    "permission_overwrites": [],
                }
            ],
            "threads": [],
            "members": [member(BOT_USER)],
            "voice_states": [],
            "presences": [],
            "preferred_locale": "it",
        }

    # --- REST ----------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        body = json.loads(raw) if raw and request.content_type == "application/json" else None
        recorded = Request(request.method, path, dict(request.query), body)
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()

        for failure in self._failures:
            if failure.times and failure.method == request.method and re.fullmatch(failure.pattern, path):
                failure.times -= 1
                if failure.delay:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._closing.wait(), failure.delay)
                response = _json(failure.body, status=failure.status)
                response.headers.update(failure.headers)
                return response
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, path)
            if method == request.method and match:
                return await handler(body or {}, *match.groups())
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _routes(self):
        return (
            ("GET", r"/users/@me", self._me),
            ("GET", r"/gateway/bot", self._gateway_bot),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("PUT", r"/applications/\d+/commands", self._sync_commands),
            ("PUT", r"/applications/\d+/guilds/\d+/commands", self._sync_commands),
            ("POST", r"/channels/(\d+)/typing", self._typing),
            ("POST", r"/channels/(\d+)/messages", self._create_message),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", self._edit_message),
            ("POST", r"/channels/(\d+)/messages/(\d+)/threads", self._create_thread),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._interaction_callback),
            ("POST", r"/webhooks/\d+/([^/]+)", self._follow_up),
            ("PATCH", r"/webhooks/\d+/([^/]+)/messages/@original", self._edit_original),
        )

    async def _me(self, body) -> web.Response:
        return _json(BOT_USER)

    async def _gateway_bot(self, body) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return _json({"url": self.gateway_url, "shards": self.shard_count, "session_start_limit": limit})

    async def _application(self, body) -> web.Response:
        return _json(
            {
                "id": str(APP_ID),
                "name": "briefbot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": ASKER,
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _sync_commands(self, body) -> web.Response:
        return _json([dict(c, id=str(next(self._ids)), application_id=str(APP_ID), version="1") for c in body])

    async def _typing(self, body, channel_id) -> web.Response:
        return web.Response(status=204)

    async def _create_message(self, body, channel_id) -> web.Response:
        nonce_key = (channel_id, body.get("nonce", ""))
        if body.get("enforce_nonce") and nonce_key in self._nonces:
            return _json(self._nonces[nonce_key])
        message = self._bot_message(body, channel_id)
        if body.get("enforce_nonce"):
            self._nonces[nonce_key] = message
        await self.dispatch("MESSAGE_CREATE", message)
        return _json(message)

    async def _edit_message(self, body, channel_id, message_id) -> web.Response:
        message = next((m for m in self.created_messages if m["id"] == message_id), None)
        if message is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        for key in ("content", "components", "embeds"):
            if key in body:
                message[key] = body[key]
        message["edited_timestamp"] = TIMESTAMP
        await self.dispatch("MESSAGE_UPDATE", message)
        return _json(message)

    async def _create_thread(self, body, channel_id, message_id) -> web.Response:
        self._channel_guilds[int(message_id)] = self.guild_of(channel_id)
        thread = {
            "id": message_id,
            "guild_id": str(self.guild_of(channel_id)),
            "parent_id": channel_id,
            "owner_id": str(BOT_ID),
            "type": 11,
            "name": body["name"],
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "locked": False,
                "archive_timestamp": TIMESTAMP,
            },
        }
        await self.dispatch("THREAD_CREATE", dict(thread, newly_created=True))
        return _json(thread)

    async def _interaction_callback(self, body, interaction_id, token) -> web.Response:
        return _json(
            {"interaction": {"id": interaction_id, "type": 2, "response_message_loading": body.get("type") == 5}}
        )

    async def _follow_up(self, body, token) -> web.Response:
        channel = self._interaction_channels.get(token, {"id": str(CHANNEL_ID)})
        message = self._bot_message(body, channel["id"], webhook_id=str(APP_ID))
        await self.dispatch("MESSAGE_CREATE", message)
        return _json(message)

    async def _edit_original(self, body, token) -> web.Response:
        """Editing an interaction's first response (e.g. its "thinking" message) in place."""
        channel = self._interaction_channels.get(token, {"id": str(CHANNEL_ID)})
        return _json(self._bot_message(body, channel["id"], webhook_id=str(APP_ID)))

    def _bot_message(self, body, channel_id: str, **extra) -> dict[str, Any]:
        message = {
            "id": str(next(self._ids)),
            "channel_id": channel_id,
            "author": BOT_USER,
            "content": body.get("content", ""),
            "components": body.get("components", []),
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            **extra,
        }
        if channel_id != str(DM_CHANNEL_ID):
            message["guild_id"] = str(self.guild_of(channel_id))
        self.created_messages.append(message)
        return message


def _json(data: Any, *, status: int = 200) -> web.Response:
    # discord.py only decodes a body whose Content-Type is exactly "application/json".
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})



if __name__ == "__main__":
    from tests.fakes.run import main

    main(["discord"])
