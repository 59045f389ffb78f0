"""Plain-text rendering of a reply for the terminal."""

from __future__ import annotations

import re
import textwrap

from bot.answers.reply import Reply
from bot.language.phrases import message


def render_terminal(reply: Reply, *, width: int = 100) -> str:
    lines = [render_terminal_text(reply)]
    if reply.citations:
        lines.append("")
        for number, citation in enumerate(reply.citations, start=1):
            quote = textwrap.shorten(citation.quote, width=width - 12, placeholder=" …")
            lines.append(f"[{number}] {citation.id}: «{quote}»")
            lines.append(f"    ({citation.article_title}, {citation.published})")
    if reply.follow_ups:
        lines += ["", message("follow_ups_terminal", reply.language)]
        lines += [f"  {number}. {question}" for number, question in enumerate(reply.follow_ups, start=1)]
    return "\n".join(lines)


def render_terminal_text(reply: Reply) -> str:
    """The reply's text alone (what grows while an answer streams in)."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", reply.text)
    return re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
