"""Small text helpers shared by the core: cleaning input and tokenizing for retrieval."""

from __future__ import annotations

import re
import unicodedata

CHARS_PER_TOKEN = 4  # a rough, language-neutral estimate: enough to bound a prompt
_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")


def clean_input(text: str) -> str:
    """Strip control characters (keeping newlines and tabs as spaces) and surrounding blanks."""
    kept = []
    for ch in _ANSI_ESCAPE.sub("", text):
        if ch in "\n\t\r":
            kept.append(" " if ch != "\n" else "\n")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(ch)
    return re.sub(r"[ \t]+", " ", "".join(kept)).strip()


def words(text: str) -> list[str]:
    """Lower-cased word tokens; elisions split (``l'accordo`` -> ``l``, ``accordo``)."""
    return _WORD.findall(text.lower())
