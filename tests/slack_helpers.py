"""Running the real Slack adapter against the fake Slack, and sending it signed requests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp

from bot.config import Settings
from bot.platforms.slack.app import build_slack_app, http_server
from bot.platforms.slack.web_client import slack_web_client
from tests.fakes.slack_server import BOT_USER_ID, TEAM_ID, FakeSlack

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
CHANNEL = "C0000001"
DM_CHANNEL = "D0000001"
USER = "U0000001"


def slack_settings(fake: FakeSlack, tmp_path, **overrides) -> Settings:
    values = {
        "engine": "offline",
        "database_url": f"sqlite:///{tmp_path / 'briefbot.sqlite3'}",
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_app_token": APP_TOKEN,
        "slack_api_url": fake.api_url,
    }
    return Settings(**{**values, **overrides})


def signature(body: str, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return "v0=" + digest


@dataclass
class RecordedSleeps:
    """An injected wait for the Web API client's 429 retries: records, never really sleeps."""

    seconds: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


class SlackSender:
    """Sends what Slack would send to the app's /slack/events, signed."""

    def __init__(self, session: aiohttp.ClientSession, url: str, fake: FakeSlack):
        self.session = session
        self.url = url
        self.fake = fake
        self._events = 0

    async def post(self, body: str, content_type: str, *, headers: dict | None = None, timestamp=None):
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature(body, timestamp),
        }
        async with self.session.post(self.url, data=body.encode(), headers={**signed, **(headers or {})}) as r:
            return r.status, await r.text()

    def command_body(self, name: str, text: str = "", *, channel: str = CHANNEL, **fields) -> str:
        form = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "general",
            "user_id": USER,
            "user_name": "ada",
            "command": name,
            "text": text,
            "response_url": self.fake.response_url(name.strip("/")),
            "trigger_id": f"{time.time_ns()}.{uuid.uuid4().hex[:12]}",  # one per invocation, as Slack's
            "api_app_id": "A1",
            **fields,
        }
        return urllib.parse.urlencode(form)

    async def command(self, name: str, text: str = "", **kwargs):
        return await self.post(self.command_body(name, text, **kwargs), "application/x-www-form-urlencoded")

    def event_body(self, event: dict, *, event_id: str | None = None) -> str:
        if event_id is None:
            self._events += 1
            event_id = f"Ev{self._events:08d}"
        envelope = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        return json.dumps(envelope)

    async def event(self, event: dict, *, event_id: str | None = None, headers: dict | None = None):
        return await self.post(self.event_body(event, event_id=event_id), "application/json", headers=headers)


def mention(text: str, ts: str, *, channel: str = CHANNEL, thread_ts: str | None = None) -> dict:
    event = {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER_ID}> {text}", "ts": ts, "channel": channel}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(text: str, ts: str, *, channel: str = CHANNEL, channel_type: str = "channel", **fields) -> dict:
    event = {"type": "message", "user": USER, "text": text, "ts": ts, "channel": channel}
    return {**event, "channel_type": channel_type, **fields}


@dataclass
class RunningApp:
    sender: SlackSender
    sleeps: RecordedSleeps
    url: str
    briefer: object


@asynccontextmanager
async def running_http_app(fake: FakeSlack, settings: Settings, briefer):
    """The real bolt app (HTTP mode) on 127.0.0.1, its Web API client pointed at ``fake``."""
    sleeps = RecordedSleeps()
    async with aiohttp.ClientSession() as session:
        client = slack_web_client(settings, session=session, sleep=sleeps, jitter=0)
        app = build_slack_app(settings, briefer, client=client)
        async with http_server(app, "127.0.0.1", 0, signing_secret=settings.slack_signing_secret) as port:
            base = f"http://127.0.0.1:{port}"
            yield RunningApp(SlackSender(session, base + "/slack/events", fake), sleeps, base, briefer)


def blocks_text(call) -> str:
    """All the text a user sees in a recorded post/update (blocks included)."""
    blocks = call.args.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    pieces = [call.args.get("text") or ""]
    for block in blocks:
        if block.get("text"):
            pieces.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element.get("text", "")
            pieces.append(text.get("text", "") if isinstance(text, dict) else text)  # buttons: plain_text
    return "\n".join(pieces)


async def send_interaction(sender: SlackSender, payload: dict):
    """A block action or view submission, posted form-encoded and signed as Slack posts them."""
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})
    return await sender.post(body, "application/x-www-form-urlencoded")


def block_action(action_id: str, value: str, *, message: dict, channel: str = CHANNEL, user: str = USER,
                 action_type: str = "button") -> dict:  # fmt: skip
    """Slack's ``block_actions`` payload for a button pressed under ``message``."""
    container = {"type": "message", "message_ts": message["ts"], "channel_id": channel, "is_ephemeral": False}
    return interaction_payload(
        "block_actions", user, container=container, channel={"id": channel, "name": "general"}, message=message,
        actions=[{"type": action_type, "action_id": action_id, "block_id": "b1", "value": value, "action_ts": "1.2"}],
    )  # fmt: skip


def interaction_payload(kind: str, user: str = USER, **fields) -> dict:
    """What every interaction payload (``block_actions``, ``view_submission``) carries, plus ``fields``."""
    return {
        "type": kind,
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": "ada", "team_id": TEAM_ID},
        "api_app_id": "A1",
        "token": "legacy",
        "trigger_id": "12345.67890.abcdef",
        **fields,
    }


def view_submission(callback_id: str, private_metadata: str, values: dict, *, user: str = USER) -> dict:
    view = {"id": "V1", "type": "modal", "callback_id": callback_id, "private_metadata": private_metadata,
            "state": {"values": values}, "hash": "1"}  # fmt: skip
    return interaction_payload("view_submission", user, view=view)


def block_values(call, kind: str) -> list[dict]:
    """The blocks of ``kind`` (``actions``, ``context_actions``...) in a recorded call."""
    blocks = call.args.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [b for b in blocks if b.get("type") == kind]
