"""Passages with stable ids: sentences (pysbd) numbered ``p1, p2...``, where re-ingesting an
updated article keeps the id of every unchanged passage and never reuses a published one.

A passage is "unchanged" when its text is the same (blanks aside). It then keeps its id and
everything an editor or an earlier ingest added to it (translation, keywords, questions...).
A changed or new sentence gets a fresh number above every number ever published, including
those of passages since removed (kept in the file's ``retired_passages``).
"""

from __future__ import annotations

import re
from functools import cache

_NUMBERED = re.compile(r"^p(\d+)$")


@cache
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language, clean=False)


def split_sentences(paragraph: str, language: str) -> list[str]:
    return [" ".join(s.split()) for s in _segmenter(language).segment(paragraph) if s.strip()]


def number_passages(
    parts: list[tuple[str, str]], language: str, previous: dict | None = None
) -> tuple[list[dict], list[str]]:
    """``parts``: (role, text) in article order. Returns the passages as knowledge-file
    mappings (id, role, the original under ``language``, plus what an unchanged passage
    carried) and the ids retired by this version."""
    old = [p for p in (previous or {}).get("passages") or [] if isinstance(p, dict) and p.get("id")]
    retired = [str(i) for i in (previous or {}).get("retired_passages") or []]
    by_text: dict[str, list[dict]] = {}
    for passage in old:
        by_text.setdefault(_key(passage.get(language)), []).append(passage)
    numbers = [int(m.group(1)) for m in (_NUMBERED.match(str(i)) for i in [p["id"] for p in old] + retired) if m]
    next_number = max(numbers, default=0) + 1
    passages, kept = [], set()
    for role, text in parts:
        same = by_text.get(_key(text))
        if same:
            carried = dict(same.pop(0))
            kept.add(str(carried["id"]))
            carried[language] = text
            passages.append(_ordered({**carried, "role": role}, language))
        else:
            passages.append(_ordered({"id": f"p{next_number}", "role": role, language: text}, language))
            next_number += 1
    retired += [str(p["id"]) for p in old if str(p["id"]) not in kept and str(p["id"]) not in retired]
    return passages, retired


def _key(text: object) -> str:
    return " ".join(str(text or "").split())


def _ordered(passage: dict, language: str) -> dict:
    """id, role (left out for body passages, as in hand-written files), the original, the rest."""
    role = passage.pop("role")
    head = {"id": str(passage.pop("id"))}
    if role != "body":
        head["role"] = role
    head[language] = passage.pop(language)
    return {**head, **passage}
