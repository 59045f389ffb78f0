"""A stand-in model for the fake OpenAI run by hand and for ``make demo``: it answers from the
passages in the prompt it is sent, quoting the one that shares the most words with the question
(then with the conversation's earlier questions) and citing it, so the bot's grounding checks
pass and a person trying the bot sees real, cited answers without an OpenAI account.

It is no language model: a question no passage shares a word with gets ``NOT_IN_ARTICLE``, and a
briefing request gets the opening passages as bullet points.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

REFUSAL = "NOT_IN_ARTICLE"
BRIEFING_POINTS = 3
_PASSAGE = re.compile(r"^\[(?P<id>[\w.-]+/[\w.-]+)\] (?P<text>.+)$")
_TRANSLATION = re.compile(r"^\s+\((?P<lang>[a-z]{2})\) (?P<text>.+)$")
_LANGUAGE = re.compile(r"\bin (Italian|English)\b")
_WORD = re.compile(r"\w+")
_STOPWORDS_TEXT = """the a an and or of to in on for with is are was were be by it its that this what which who how
much many does do did has have had from at as about me tell il lo la le gli i un una di da del della
che per con su e è sono quanto quanti quale chi come"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@dataclass(frozen=True)
class Passage:
    id: str
    texts: dict[str, str]  # language ("original" for the article's own) -> text


def quoting_reply(body: dict[str, Any]) -> str:
    """The reply to one Chat Completions request ``body``."""
    messages = [m for m in body.get("messages", []) if isinstance(m.get("content"), str)]
    passages = _passages("\n".join(m["content"] for m in messages))
    language = _language("\n".join(m["content"] for m in messages))
    questions = [q for q in (_question(m) for m in messages if m.get("role") == "user") if q]
    if not passages:
        return REFUSAL
    if not questions:  # a briefing or digest: the opening passages, one bullet each
        return "\n".join(f"- {_text(p, language)} [{p.id}]" for p in passages[:BRIEFING_POINTS])
    for question in reversed(questions):  # the question asked, then the conversation's earlier ones
        best = _best_passage(question, passages, language)
        if best is not None:
            return f"{_text(best, language)} [{best.id}]"
    return REFUSAL


def _passages(prompt: str) -> list[Passage]:
    found: list[Passage] = []
    for line in prompt.splitlines():
        if match := _PASSAGE.match(line):
            found.append(Passage(match["id"], {"original": match["text"]}))
        elif found and (match := _TRANSLATION.match(line)):
            found[-1].texts[match["lang"]] = match["text"]
    return list({p.id: p for p in found}.values())


def _language(prompt: str) -> str:
    names = _LANGUAGE.findall(prompt)
    return {"Italian": "it", "English": "en"}[names[-1]] if names else "en"


def _question(message: dict[str, Any]) -> str:
    try:
        data = json.loads(message["content"])
    except ValueError:
        return ""
    return data.get("question", "") if isinstance(data, dict) else ""


def _text(passage: Passage, language: str) -> str:
    return passage.texts.get(language, passage.texts["original"])


def _words(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in _WORD.findall(text) if w.lower() not in _STOPWORDS and len(w) > 1}


def _best_passage(question: str, passages: list[Passage], language: str) -> Passage | None:
    wanted = _words(question)
    scored = [(len(wanted & _words(" ".join(p.texts.values()))), -n, p) for n, p in enumerate(passages)]
    score, _, best = max(scored, key=lambda row: row[:2])
    return best if score else None
