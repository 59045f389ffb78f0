"""Splitting a model's answer into claims while it streams in.

A claim is the shortest run of whole sentences that cites a passage, or a line (a bullet, a
paragraph's end). Sentences without a citation are carried into the next one, so "Mr." or a
sentence whose source is cited at the end of the next is never checked on its own. A sentence
counts as finished only when the text after it has started (and any citation right after its
full stop has arrived): a full stop at the end of the text so far may still be a decimal point.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")
_CITATION = re.compile(r"\[[^\[\]\n]{1,200}\]")
_TRAILING = re.compile(r"(?:[ \t]*\[[^\[\]\n]{1,200}\])+[.!?…]?")


class ClaimSplitter:
    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, piece: str) -> list[str]:
        """Add the next piece of text; return the claims it completed, in order."""
        self._buffer += piece
        claims = []
        while (claim := self._next_claim()) is not None:
            claims.append(claim)
        return claims

    def flush(self) -> list[str]:
        """The rest, once the answer is complete."""
        rest, self._buffer = self._buffer, ""
        return [rest] if rest.strip() else []

    def _next_claim(self) -> str | None:
        start = 0
        while match := _SENTENCE_END.search(self._buffer, start):
            if match.group() == "\n":
                end = match.end()
            else:
                end = self._after_sentence(match.end())
                if end is None:
                    return None  # what follows the full stop has not arrived yet
            while end < len(self._buffer) and self._buffer[end] in " \t\n":
                end += 1  # the separator stays with the claim, so claims joined give back the text
            candidate = self._buffer[:end]
            if match.group() == "\n" or _CITATION.search(candidate):
                if end == len(self._buffer) and match.group() != "\n":
                    return None  # the next sentence has not started: a citation may still follow
                self._buffer = self._buffer[end:]
                return candidate
            start = end  # no citation yet: the next sentence joins this claim
        return None

    def _after_sentence(self, position: int) -> int | None:
        """Where the sentence ending at ``position`` really ends: after citations that follow
        its full stop ("... billion. [a/p3]"); None while that cannot be told yet."""
        rest = self._buffer[position:]
        stripped = rest.lstrip(" \t")
        if not stripped:
            return None
        if not stripped.startswith("["):
            return position
        trailing = _TRAILING.match(rest)
        if trailing is None:
            return None if "]" not in rest and "\n" not in rest else position
        end = position + trailing.end()
        return end if end < len(self._buffer) else None
