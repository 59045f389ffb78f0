"""The gate in front of bolt for HTTP mode: a request Slack did not sign, or a body no Slack
request could have, is turned away with a 4xx and one log line, before bolt parses it.

Bolt would answer such bodies with a 500 and a traceback (truncated JSON, a JSON array, a
``payload=`` that is not JSON, invalid UTF-8, a timestamp that is not a number) and log an
unsigned body whole; here nothing of a rejected body is logged but its size.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass

from slack_sdk.signature import SignatureVerifier


@dataclass(frozen=True)
class Rejection:
    status: int
    reason: str  # one short line, no request content in it


def check_request(raw: bytes, headers, signing_secret: str) -> Rejection | None:
    """None when ``raw`` is a signed, well-formed Slack request body; else why not."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not timestamp.isdigit():
        return Rejection(400, "X-Slack-Request-Timestamp missing or not a number")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Rejection(400, "body is not UTF-8")
    if not SignatureVerifier(signing_secret).is_valid(text, timestamp, signature):
        return Rejection(401, "signature missing or wrong, or timestamp older than 5 minutes")
    content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        return _json_object(text, "body")
    form = urllib.parse.parse_qs(text)
    if "payload" in form:
        return _json_object(form["payload"][0], "payload")
    return None


def _json_object(text: str, what: str) -> Rejection | None:
    try:
        value = json.loads(text)
    except ValueError:
        return Rejection(400, f"{what} is not valid JSON")
    return None if isinstance(value, dict) else Rejection(400, f"{what} is not a JSON object")
