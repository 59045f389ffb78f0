"""Plain-text rendering of a reply for the terminal."""

from __future__ import annotations

import re
import textwrap

from bot.answers.reply import Reply


def render_terminal(reply: Reply, *, width: int = 100) -> str:
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", reply.text)
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
    lines = [text]
    if reply.citations:
        lines.append("")
        for number, citation in enumerate(reply.citations, start=1):
            quote = textwrap.shorten(citation.quote, width=width - 12, placeholder=" …")
            lines.append(f"[{number}] {citation.id}: «{quote}»")
            lines.append(f"    ({citation.article_title}, {citation.published})")
    return "\n".join(lines)
