"""Discord rendering: the core's Markdown as Discord messages, with compact citations, split under 2,000.

The real protection against pings is ``AllowedMentions.none()`` on the client. The
escaping here (discord.py's ``escape_mentions``) is a second layer, so that a reply shown
elsewhere (a forwarded message, a log) still cannot ping: every ``@everyone`` / ``@here`` and
user or role mention gets a zero-width space after its ``@``. Markdown links become
``label (url)`` so a masked link cannot hide its real address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from discord.utils import escape_mentions

from bot.answers.reply import Citation, Reply
from bot.platforms.links import show_link_targets
from bot.platforms.split import split_message

MESSAGE_LIMIT = 2000  # characters in one Discord message's content

_SUBTEXT = "-# "


def render_reply(reply: Reply, *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The reply as one or more Discord messages: answer, a notice if any, then the sources."""
    body = show_link_targets(reply.text.strip())
    footer = [_SUBTEXT + f"*{reply.notice}*"] if reply.notice and reply.notice not in reply.text else []
    footer += source_lines(reply.citations)
    message = body + ("\n\n" + "\n".join(footer) if footer else "")
    return split_message(escape_mentions(message), limit)


def render_text(text: str, *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """A message of the bot's own (status, usage, errors) as Discord messages."""
    return split_message(escape_mentions(text), limit)


def source_lines(citations: Sequence[Citation]) -> list[str]:
    """One small line per cited article, ``-# [1] [3] Title, 2025-11-04``, in order of first citation."""
    numbers_by_origin: dict[str, list[int]] = {}
    for number, citation in enumerate(citations, start=1):
        origin = ", ".join(p for p in (citation.article_title, citation.published) if p) or citation.id
        numbers_by_origin.setdefault(origin, []).append(number)
    return [
        _SUBTEXT + " ".join(f"[{n}]" for n in numbers) + f" {origin}" for origin, numbers in numbers_by_origin.items()
    ]


def question_from_message(content: str, bot_user_id: int) -> str:
    """A user's message as a question: the bot's own mention removed, blanks collapsed."""
    without_mention = re.sub(rf"<@!?{bot_user_id}>", " ", content)
    return re.sub(r"[ \t]{2,}", " ", without_mention).strip()

