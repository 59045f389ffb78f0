"""The pieces of issue 14's observability on their own: the log formatters and settings, how a
reply's outcome is named, readiness, and the endpoints served in-process. The real processes
are driven by tests/test_process_metrics.py."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from bot.answers.reply import Reply
from bot.config import ConfigError, Settings
from bot.logs import JsonFormatter, TextFormatter, configure_logging
from bot.observability.answer_log import hashed, outcome_of, platform_of
from bot.observability.readiness import Readiness


def record(message: str, *args, exc: bool = False, **extra) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("boom")
        except ValueError:
            exc_info = sys.exc_info()
    made = logging.LogRecord("bot.answers", logging.INFO, __file__, 1, message, args, exc_info)
    made.__dict__.update(extra)
    return made


# --- formatters ------------------------------------------------------------------------------------


def test_json_lines_hold_time_level_logger_message_and_the_extra_fields():
    line = JsonFormatter().format(record("question %s", "answered", platform="slack", total_ms=12.5, tokens_in=10))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["logger"] == "bot.answers"
    assert entry["message"] == "question answered"
    assert entry["time"].endswith("+00:00") and "T" in entry["time"]
    assert (entry["platform"], entry["total_ms"], entry["tokens_in"]) == ("slack", 12.5, 10)


def test_a_json_traceback_stays_inside_its_one_line():
    line = JsonFormatter().format(record("bug while answering", exc=True))
    assert len(line.splitlines()) == 1
    entry = json.loads(line)
    assert "ValueError: boom" in entry["exc_info"] and entry["message"] == "bug while answering"


def test_an_extra_field_never_hides_the_message_or_the_level():
    entry = json.loads(JsonFormatter().format(record("real message", level_name="x", logger_name="y", time_="z")))
    assert entry["message"] == "real message" and entry["level"] == "INFO"


def test_json_takes_values_json_cannot_encode_as_text():
    entry = json.loads(JsonFormatter().format(record("odd", where=object())))
    assert entry["where"].startswith("<object object")


def test_text_lines_read_as_before_with_the_extra_fields_after():
    plain = TextFormatter().format(record("stopped"))
    assert plain.endswith("INFO bot.answers: stopped")
    line = TextFormatter().format(record("question %s", "refused", platform="discord", conversation="discord:1:2"))
    assert line.endswith('INFO bot.answers: question refused platform="discord" conversation="discord:1:2"')


def test_a_text_traceback_comes_after_the_fields():
    head, *rest = TextFormatter().format(record("bug", exc=True, platform="slack")).splitlines()
    assert head.endswith('bug platform="slack"') and rest[0].startswith("Traceback") and "ValueError: boom" in rest[-1]


@pytest.mark.parametrize(("log_format", "formatter"), [("json", JsonFormatter), ("text", TextFormatter)])
def test_configure_logging_uses_the_chosen_format_and_level(log_format, formatter, capsys):
    settings = Settings.from_env({"BRIEFBOT_LOG_FORMAT": log_format, "BRIEFBOT_LOG_LEVEL": "WARNING"}, dotenv=False)
    configure_logging(settings, logging.INFO)
    try:
        [handler] = logging.getLogger().handlers
        assert isinstance(handler.formatter, formatter) and logging.getLogger().level == logging.WARNING
        logging.getLogger("bot.test").info("not shown")
        logging.getLogger("bot.test").warning("shown", extra={"part": "store"})
        err = capsys.readouterr().err
        assert "not shown" not in err and "shown" in err
        if log_format == "json":
            assert json.loads(err)["part"] == "store"
    finally:
        logging.getLogger().handlers.clear()


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"BRIEFBOT_LOG_FORMAT": "xml"}, "BRIEFBOT_LOG_FORMAT must be one of text, json (got 'xml')"),
        ({"BRIEFBOT_LOG_TEXT": "maybe"}, "BRIEFBOT_LOG_TEXT must be true or false (got 'maybe')"),
        ({"BRIEFBOT_HEALTH_PORT": "http"}, "BRIEFBOT_HEALTH_PORT must be a positive int (got 'http')"),
        ({"BRIEFBOT_HEALTH_PORT": "70000"}, "BRIEFBOT_HEALTH_PORT must be a port number, 1-65535 (got 70000)"),
    ],
)
def test_bad_observability_settings_fail_at_start_in_one_line(env, error):
    with pytest.raises(ConfigError) as raised:
        Settings.from_env(env, dotenv=False)
    assert str(raised.value) == error


def test_the_health_port_is_off_unless_set():
    assert Settings.from_env({}, dotenv=False).health_port is None
    settings = Settings.from_env({"BRIEFBOT_HEALTH_PORT": "9464", "BRIEFBOT_LOG_TEXT": "true"}, dotenv=False)
    assert (settings.health_port, settings.health_host, settings.log_text) == (9464, "0.0.0.0", True)


# --- outcomes and ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "outcome"),
    [
        (Reply("ok"), "answered"),
        (Reply("not in the article", refused=True), "refused"),
        (Reply("busy", refused=True, extras={"transient": "busy"}), "busy"),
        (Reply("slow down", refused=True, extras={"transient": "rate_limited"}), "rate_limited"),
        (Reply("offline", extras={"fallback": "model_unavailable"}), "fallback"),
        (Reply("offline", extras={"fallback": "internal_error"}), "fallback"),
        (Reply("offline", grounded=False, extras={"fallback": "not_verified"}), "verification_failed"),
        (Reply("quoted", extras={"verification": {"checked": True, "outcome": "quoted"}}), "verification_failed"),
        (Reply("trimmed", extras={"verification": {"checked": True, "outcome": "trimmed"}}), "answered"),
    ],
)
def test_each_reply_is_named_by_its_outcome(reply, outcome):
    assert outcome_of(reply) == outcome


def test_the_platform_comes_from_the_ids_and_the_user_is_hashed():
    assert platform_of("slack:T1:U1", None) == "slack"
    assert platform_of(None, "discord:dm:42") == "discord"
    assert platform_of(None, None) == "cli"
    assert hashed("slack:T1:U1") == hashed("slack:T1:U1") != hashed("slack:T1:U2")
    assert len(hashed("slack:T1:U1")) == 16 and "U1" not in hashed("slack:T1:U1") and hashed(None) == ""


# --- readiness ------------------------------------------------------------------------------------------


async def test_readiness_names_what_is_not_ready_until_each_part_says_so():
    readiness = Readiness()
    assert await readiness.problems() == {}
    readiness.waiting("knowledge", "warming up")
    readiness.waiting("discord", "connecting to the gateway")
    assert await readiness.problems() == {"knowledge": "warming up", "discord": "connecting to the gateway"}
    readiness.ready("knowledge")
    readiness.ready("discord")
    readiness.waiting("discord", "gateway disconnected, reconnecting")
    assert await readiness.problems() == {"discord": "gateway disconnected, reconnecting"}


async def test_a_checked_part_is_asked_at_each_probe_sync_or_async():
    readiness = Readiness()
    connected = [False]

    async def socket_down():
        return None if connected[0] else "socket down"

    readiness.check("slack", socket_down)
    readiness.check("other", lambda: None)
    assert await readiness.problems() == {"slack": "socket down"}
    connected[0] = True
    assert await readiness.problems() == {}

    def broken():
        raise RuntimeError("oops")

    readiness.check("broken", broken)
    assert await readiness.problems() == {"broken": "check failed (RuntimeError)"}
