"""Markdown links and images shown as ``label (url)``: a masked link cannot hide where it leads."""

from __future__ import annotations

import re

MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)\s]+)(?:[ \t]+\"[^\"\n]*\")?\)")


def show_link_targets(text: str) -> str:
    """``[bank.com](https://evil.example)`` -> ``bank.com (https://evil.example)``."""
    return MARKDOWN_LINK.sub(_visible_link, text)


def _visible_link(match: re.Match) -> str:
    label, url = match.group(1).strip(), match.group(2)
    return url if not label or label == url else f"{label} ({url})"
