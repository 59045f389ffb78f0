"""Socket Mode end to end (a fake Socket Mode server on 127.0.0.1), and the serve_slack entry point."""

import asyncio
import json
import socket
import urllib.parse

import aiohttp
import pytest

from bot.config import ConfigError
from bot.platforms.slack.app import build_slack_app, connected_client, resolve_mode, serve_slack, socket_mode
from tests.slack_helpers import (
    APP_TOKEN,
    SlackSender,
    block_action,
    block_values,
    blocks_text,
    mention,
    signature,
    slack_settings,
)
from tests.support import ScriptedModel, real_briefer


def envelope_payload(fake, event: dict, event_id: str) -> dict:
    return json.loads(SlackSender(None, "", fake).event_body(event, event_id=event_id))


def command_payload(fake, name: str, text: str) -> dict:
    return dict(urllib.parse.parse_qsl(SlackSender(None, "", fake).command_body(name, text), keep_blank_values=True))


async def test_socket_mode_answers_mentions_once_and_acks_commands(slack_api, tmp_path):
    settings = slack_settings(slack_api, tmp_path)
    model = ScriptedModel()
    async with real_briefer(settings, model) as briefer:
        app = build_slack_app(settings, briefer)
        async with socket_mode(app, APP_TOKEN):
            await slack_api.wait_for_socket()
            payload = envelope_payload(slack_api, mention("how much is the deal worth?", "100.1"), "EvSOCKET1")
            first = await slack_api.send_envelope("events_api", payload)
            await slack_api.wait_for_ack(first)
            [update] = await slack_api.wait_for("chat.update")
            assert "38 billion" in blocks_text(update)
            assert slack_api.calls_to("chat.postMessage")[0].args["thread_ts"] == "100.1"

            retry = await slack_api.send_envelope("events_api", payload, retry_attempt=1)
            await slack_api.wait_for_ack(retry)
            usage = await slack_api.send_envelope("slash_commands", command_payload(slack_api, "/ask", ""))
            ack = await slack_api.wait_for_ack(usage)
            assert ack["payload"]["text"].startswith("Usage: `/ask`")

            asked = await slack_api.send_envelope("slash_commands", command_payload(slack_api, "/ask", "how long?"))
            await slack_api.wait_for_ack(asked)
            await slack_api.wait_for("chat.postMessage", 2)  # the mention's placeholder, then /ask's answer
    assert len(model.requests) == 2  # the retried envelope was not answered again
    assert slack_api.calls_to("apps.connections.open")[0].headers["Authorization"] == f"Bearer {APP_TOKEN}"


async def test_serve_slack_auto_picks_socket_mode_when_the_app_token_is_set(slack_api, tmp_path):
    settings = slack_settings(slack_api, tmp_path)
    async with real_briefer(settings, ScriptedModel()) as briefer:
        serving = asyncio.create_task(serve_slack(settings, briefer, mode="auto"))
        try:
            await slack_api.wait_for_socket()
            payload = envelope_payload(slack_api, mention("how much is the deal worth?", "100.1"), "EvSERVE")
            await slack_api.send_envelope("events_api", payload)
            [update] = await slack_api.wait_for("chat.update")
        finally:
            serving.cancel()
            with pytest.raises(asyncio.CancelledError):
                await serving
    assert "38 billion" in blocks_text(update)
    assert slack_api.calls_to("auth.test")  # the token is checked at start


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_serve_slack_in_http_mode_answers_a_signed_ask(slack_api, tmp_path):
    settings = slack_settings(slack_api, tmp_path, slack_app_token="")
    port = free_port()
    async with real_briefer(settings, ScriptedModel()) as briefer, aiohttp.ClientSession() as session:
        serving = asyncio.create_task(serve_slack(settings, briefer, mode="http", host="127.0.0.1", port=port))
        try:
            await slack_api.wait_for("auth.test")
            sender = SlackSender(session, f"http://127.0.0.1:{port}/slack/events", slack_api)
            for _ in range(100):  # the site starts right after auth.test; give it a few event-loop turns
                try:
                    status, _ = await sender.command("/ask", "How much is the deal worth?")
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.01)
            assert status == 200
            [answer] = await slack_api.wait_for("chat.postMessage")
        finally:
            serving.cancel()
            with pytest.raises(asyncio.CancelledError):
                await serving
    assert "38 billion" in blocks_text(answer) and "openai-aws/p3" in blocks_text(answer)


async def test_a_rejected_bot_token_stops_the_start_with_one_line(slack_api, tmp_path):
    slack_api.fail("auth.test", "invalid_auth")
    settings = slack_settings(slack_api, tmp_path)
    with pytest.raises(ConfigError) as error:
        async with connected_client(settings):
            pass
    assert str(error.value) == "SLACK_BOT_TOKEN was not accepted by Slack (invalid_auth)"
    assert settings.slack_bot_token not in str(error.value)


@pytest.mark.parametrize(
    ("overrides", "mode", "expected"),
    [
        ({}, "auto", "socket"),
        ({"slack_app_token": ""}, "auto", "http"),
        ({}, "http", "http"),
        ({"slack_bot_token": ""}, "auto", "SLACK_BOT_TOKEN is not set"),
        ({"slack_app_token": ""}, "socket", "SLACK_APP_TOKEN is not set"),
        ({"slack_signing_secret": ""}, "http", "SLACK_SIGNING_SECRET is not set"),
        ({}, "carrier-pigeon", "Slack mode must be one of"),
    ],
)
def test_resolve_mode(slack_api, tmp_path, overrides, mode, expected):
    settings = slack_settings(slack_api, tmp_path, **overrides)
    if expected in ("socket", "http"):
        assert resolve_mode(settings, mode) == expected
    else:
        with pytest.raises(ConfigError, match=expected):
            resolve_mode(settings, mode)


def test_signature_helper_matches_slacks_documented_example():
    # https://api.slack.com/authentication/verifying-requests-from-slack (documented example values)
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert signature(body, "1531420618", "8f742231b10e8888abcd99yyyzzz85a5") == expected


async def test_socket_mode_delivers_the_feedback_buttons_presses(slack_api, tmp_path):
    settings = slack_settings(slack_api, tmp_path)
    async with real_briefer(settings) as briefer:
        app = build_slack_app(settings, briefer)
        async with socket_mode(app, APP_TOKEN):
            await slack_api.wait_for_socket()
            asked = envelope_payload(slack_api, mention("quanto vale l'accordo?", "300.1"), "EvSOCKET9")
            await slack_api.wait_for_ack(await slack_api.send_envelope("events_api", asked))
            [answer] = await slack_api.wait_for("chat.update")
            [feedback] = block_values(answer, "context_actions")
            message = {"type": "message", "ts": answer.args["ts"], "thread_ts": "300.1", "text": ""}
            up = block_action("briefbot_feedback", feedback["elements"][0]["positive_button"]["value"],
                              message=message, action_type="feedback_buttons")  # fmt: skip
            await slack_api.wait_for_ack(await slack_api.send_envelope("interactive", up))
            await slack_api.wait_for("chat.postEphemeral")
    [rating] = briefer.store.ratings()
    assert (rating.platform, rating.rating, rating.answer.question) == ("slack", "up", "quanto vale l'accordo?")
