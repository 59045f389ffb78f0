"""Slack rendering: Markdown to mrkdwn, escaping, citation blocks, splitting under Slack's limits.

Safety invariant: nothing rendered here ever contains a raw ``<``. Slack builds every
special entity (``<!channel>``, ``<@U…>``, ``<!subteam^…>``, ``<url|label>``) from a ``<``,
so text from a model or a user can neither ping anyone nor show a disguised link.
Markdown links become ``label (url)``: the real address stays visible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answers.reply import Citation, Reply
from bot.platforms.links import show_link_targets
from bot.platforms.split import split_message

SECTION_LIMIT = 3000  # characters in one section block's text
CONTEXT_ELEMENTS_LIMIT = 10  # elements in one context block
QUOTE_LIMIT = 280  # characters of a cited passage shown under an answer

_FENCE = re.compile(r"```[^\n`]*\n?(.*?)(?:```|\Z)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]{0,3}&gt;[ \t]?", re.MULTILINE)
_BOLD_ITALIC = re.compile(r"\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_BOLD_MARK = "\x00"  # stands for mrkdwn's "*" until single-star italics are converted

# Incoming Slack markup: <@U1|name>, <#C1|general>, <!here>, <!subteam^S1|@team>, <url|label>.
_SLACK_ENTITY = re.compile(r"<([^<>]+)>")


@dataclass(frozen=True)
class SlackMessage:
    """One ``chat.postMessage`` / ``chat.update`` body: fallback text plus Block Kit blocks."""

    text: str
    blocks: list[dict] = field(default_factory=list)

    def as_kwargs(self) -> dict:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Escape the three mrkdwn control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_to_mrkdwn(markdown: str) -> str:
    """Convert the core's light Markdown to Slack mrkdwn, escaping everything first."""
    pieces = []
    position = 0
    for block in _FENCE.finditer(markdown):
        pieces.append(_prose(markdown[position : block.start()]))
        pieces.append("```\n" + escape(block.group(1).rstrip("\n")) + "\n```")
        position = block.end()
    pieces.append(_prose(markdown[position:]))
    return "".join(pieces).strip()


def _prose(markdown: str) -> str:
    """Convert Markdown outside code blocks; inline code spans are escaped but not formatted."""
    pieces = []
    position = 0
    for span in _INLINE_CODE.finditer(markdown):
        pieces.append(_format(escape(markdown[position : span.start()])))
        pieces.append(escape(span.group()))
        position = span.end()
    pieces.append(_format(escape(markdown[position:])))
    return "".join(pieces)


def _format(text: str) -> str:
    text = _HEADING.sub(lambda m: f"{_BOLD_MARK}{m.group(1)}{_BOLD_MARK}", text)
    text = _BULLET.sub(r"\1• ", text)
    text = _QUOTE.sub("> ", text)  # a raw ">" at a line start is a quote, never part of an entity
    text = show_link_targets(text)
    text = _BOLD_ITALIC.sub(lambda m: f"{_BOLD_MARK}_{m.group(1)}_{_BOLD_MARK}", text)
    text = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(2)}{_BOLD_MARK}", text)
    text = _ITALIC.sub(r"_\1_", text)
    text = _STRIKE.sub(r"~\1~", text)
    return text.replace(_BOLD_MARK, "*")


def plain_text_from_slack(text: str, *, bot_user_id: str = "") -> str:
    """A user's Slack message as plain text: the bot's own mention removed, entities made readable."""

    def readable(match: re.Match) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "" if bot_user_id and target[1:] == bot_user_id else "@" + (label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            return label or "@" + target[1:].split("^")[0]
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        return f"{label} ({target})" if label and label != target else target

    text = _SLACK_ENTITY.sub(readable, text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def citation_line(number: int, citation: Citation) -> str:
    """``[1] `article/p3` “quote…” — Title, 2025-11-04`` in mrkdwn, escaped."""
    quote = " ".join(citation.quote.split())
    if len(quote) > QUOTE_LIMIT:
        quote = quote[: QUOTE_LIMIT - 1].rstrip() + "…"
    line = f"*[{number}]* `{escape(citation.id)}` “{escape(quote)}”"
    origin = ", ".join(p for p in (citation.article_title, citation.published) if p)
    if origin:
        line += f" — _{escape(origin)}_"
    return line


def context_blocks(lines: list[str]) -> list[dict]:
    """Context blocks holding ``lines`` (mrkdwn), at most ten elements per block."""
    return [
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": line} for line in lines[i : i + CONTEXT_ELEMENTS_LIMIT]],
        }
        for i in range(0, len(lines), CONTEXT_ELEMENTS_LIMIT)
    ]


def section_block(mrkdwn: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def render_reply(reply: Reply, *, limit: int = SECTION_LIMIT) -> list[SlackMessage]:
    """The reply as one or more messages; citations and the notice go under the last one."""
    parts = split_message(markdown_to_mrkdwn(reply.text), limit) or ["…"]
    footer = []
    if reply.notice and reply.notice not in reply.text:  # the core usually puts it in the text already
        footer.append(f":information_source: _{escape(reply.notice)}_")
    footer += [citation_line(n, c) for n, c in enumerate(reply.citations, start=1)]
    messages = [SlackMessage(text=part, blocks=[section_block(part)]) for part in parts]
    last = messages[-1]
    messages[-1] = SlackMessage(text=last.text, blocks=last.blocks + context_blocks(footer))
    return messages


def render_text(text: str) -> SlackMessage:
    """A short message of the bot's own (status, usage, errors) rendered like any other text."""
    mrkdwn = markdown_to_mrkdwn(text)
    return SlackMessage(text=mrkdwn, blocks=[section_block(mrkdwn)])
