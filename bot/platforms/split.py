"""Split a long message into parts that each fit a platform's length limit.

Cuts at the last paragraph break that fits, else a line break, a sentence end,
a space, and only as a last resort inside a word. Never cuts inside a ``` code
block: a block that alone exceeds the limit is closed at the cut and reopened
(with its language tag) in the next part. Whitespace at a cut is dropped;
nothing else is.
"""

from __future__ import annotations

import re

MIN_LIMIT = 40  # room for a reopened fence ("```" + language tag + newlines) plus some code

_FENCE = "```"
_CLOSE = "\n```"
_LANGUAGE = re.compile(r"[\w+#.-]{1,20}\n")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]*_]*(?=\s)")


def split_message(text: str, limit: int) -> list[str]:
    """Return ``text`` as parts of at most ``limit`` characters (an empty list for blank text)."""
    if limit < MIN_LIMIT:
        raise ValueError(f"limit must be at least {MIN_LIMIT} characters (got {limit})")
    parts: list[str] = []
    rest = text.strip()
    while rest:
        if len(rest) <= limit:
            parts.append(rest)
            break
        blocks = _code_blocks(rest)
        if blocks and blocks[0][0] == 0 and blocks[0][1] > limit:
            part, rest = _split_code_block(rest, blocks[0][1], limit)
        else:
            cut = _best_cut(rest, limit, blocks)
            part, rest = rest[:cut], rest[cut:]
        parts.append(part.rstrip())
        rest = rest.lstrip()
    return parts


def _code_blocks(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each fenced block; an unclosed fence runs to the end of the text."""
    fences = [m.start() for m in re.finditer(re.escape(_FENCE), text)]
    blocks = []
    for opening, closing in zip(fences[::2], [*fences[1::2], None], strict=False):
        blocks.append((opening, len(text) if closing is None else closing + len(_FENCE)))
    return blocks


def _best_cut(text: str, limit: int, blocks: list[tuple[int, int]]) -> int:
    """The end of the first part: the best boundary within ``limit`` that is not inside a code block."""

    def allowed(cut: int) -> bool:
        return 0 < cut <= limit and not any(start < cut < end for start, end in blocks)

    window = text[: limit + 1]  # a boundary may sit right at the limit
    boundaries = (
        [m.start() for m in re.finditer(r"\n[ \t]*\n", window)],
        [m.start() for m in re.finditer(r"\n", window)],
        [m.end() for m in _SENTENCE_END.finditer(window)],
        [m.start() for m in re.finditer(r"\s", window)],
        [start for start, _ in blocks],  # just before a block, even when glued to a word
    )
    for candidates in boundaries:
        usable = [cut for cut in candidates if allowed(cut)]
        if usable:
            return usable[-1]
    return limit


def _split_code_block(text: str, end: int, limit: int) -> tuple[str, str]:
    """Cut an oversized block that starts ``text``: close its fence in the part, reopen it in the rest."""
    language = _LANGUAGE.match(text, len(_FENCE))
    if language:
        header, body_start = text[: language.end()], language.end()
    else:
        header, body_start = _FENCE + "\n", len(_FENCE) + text.startswith("\n", len(_FENCE))
    closed = text.startswith(_FENCE, end - len(_FENCE)) and end - len(_FENCE) >= body_start
    body_end = end - len(_FENCE) if closed else end
    body = text[body_start:body_end]

    budget = limit - len(header) - len(_CLOSE)
    newline = body.rfind("\n", 0, budget + 1)
    cut = newline if newline > 0 else budget
    chunk, remaining = body[:cut], body[cut:].lstrip("\n")
    part = header + chunk.rstrip("\n") + _CLOSE
    if not remaining.strip():  # only blank lines were left: the block ends with this part
        return part, text[end:]
    return part, header + remaining + text[body_end:]
