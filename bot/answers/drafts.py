"""What an engine produces before the core turns it into a ``Reply``: text whose
citations are ``[article/passage]`` ids, in the order they appear."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answers.reply import Citation, Reply
from bot.grounding.verifier import cited_ids
from bot.knowledge.articles import KnowledgeBase

_CITATION_GROUP = re.compile(r"\s*\[([^\[\]]{1,200})\]")


@dataclass(frozen=True)
class Draft:
    text: str
    refused: bool = False
    given: frozenset[str] | None = None  # the passage ids the model was shown, when not all of them

    @property
    def citations(self) -> list[str]:
        return [] if self.refused else cited_ids(self.text)


def to_reply(draft: Draft, knowledge: KnowledgeBase, *, language: str, engine: str, **extra) -> Reply:
    """Number the cited passages [1], [2]... in order of appearance and attach their quotes."""
    ids = [i for i in draft.citations if knowledge.passage(i) is not None]

    def renumber(match: re.Match) -> str:
        parts = [p.strip() for p in re.split(r"[,;]", match.group(1))]
        numbers = [f"[{ids.index(p) + 1}]" for p in parts if p in ids]
        return " " + "".join(numbers) if numbers else match.group(0)

    text = draft.text if draft.refused else _CITATION_GROUP.sub(renumber, draft.text)
    citations = []
    for passage_id in ids:
        passage = knowledge.passage(passage_id)
        article = knowledge.article(passage.article_id)
        title = article.title  # the article's own title, like the quote: the source as published
        citations.append(Citation(passage_id, passage.original, title, article.published.isoformat(), article.source))
    return Reply(text=text.strip(), citations=tuple(citations), language=language, engine=engine,
                 refused=draft.refused, **extra)  # fmt: skip
