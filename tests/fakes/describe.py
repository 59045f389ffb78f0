"""What the bot sent a fake, as a person would read it: one header line, then any text a user
would see, indented. For the fakes run by hand and for ``make demo``."""

from __future__ import annotations

import json
import textwrap
from typing import Any

SHOWN_SLACK = ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url", "chat.startStream",
               "chat.appendStream", "chat.stopStream")  # fmt: skip


def slack_text(args: dict[str, Any]) -> str:
    """The text a Slack user sees in a post, update or response_url body: its blocks' text (the
    ``text`` field is only the notification fallback when blocks are given)."""
    blocks = args.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    pieces = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            pieces.append(block["text"].get("text", ""))
        for element in block.get("elements", []):
            text = element.get("text", "")
            pieces.append(text.get("text", "") if isinstance(text, dict) else text)
    shown = "\n".join(p for p in pieces if p) or args.get("text") or args.get("markdown_text") or ""
    return shown.strip()


def describe_slack_call(call: Any) -> str:
    args = call.args
    if call.method not in SHOWN_SLACK:
        return call.method
    where = f" in {args['channel']}" if args.get("channel") else ""
    if args.get("thread_ts"):
        where += f", thread {args['thread_ts']}"
    if call.method == "chat.update":
        where += f", message {args.get('ts')}"
    return f"{call.method}{where}\n{_indent(slack_text(args))}"


def describe_discord_request(request: Any) -> str:
    body = request.body if isinstance(request.body, dict) else {}
    header = f"{request.method} {request.path}"
    content = body.get("content") or (body.get("data") or {}).get("content") or ""
    return f"{header}\n{_indent(content)}" if content else header


def describe_openai_request(request: Any) -> str:
    body = request.json if isinstance(request.json, dict) else {}
    if not body:
        return f"{request.path}"
    asked = ""
    for message in reversed(body.get("messages", [])):
        try:
            asked = json.loads(message.get("content", "")).get("question", "")
        except (ValueError, AttributeError):
            continue
        if asked:
            break
    what = f"question {asked!r}" if asked else "briefing request"
    return f"{request.path} (model {body.get('model', '?')}): {what}"


def _indent(text: str) -> str:
    return textwrap.indent(text, "     | ", lambda _line: True) if text else "     | (no text)"
