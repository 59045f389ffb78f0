"""What an engine produces before the core turns it into a ``Reply``: text whose
citations are ``[article/passage]`` ids, in the order they appear."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers.reply import Citation, Reply
from bot.knowledge.articles import KnowledgeBase


@dataclass(frozen=True)
class Draft:
    text: str
    refused: bool = False
    given: frozenset[str] | None = None  # the passage ids the model was shown, when not all of them


def to_reply(draft: Draft, knowledge: KnowledgeBase, *, language: str, engine: str, **extra) -> Reply:
    """Number the cited passages [1], [2]... in order of appearance and attach their quotes.
    Short ids ("[p3]", "[openai-aws/p9, p10]") resolve as the verifier resolves them."""
    from bot.grounding import citation_groups  # the verifier's modules load with the first answer

    groups = [] if draft.refused else citation_groups(draft.text, knowledge)
    ids = list(dict.fromkeys(i for g in groups for i in g.resolved))
    text = draft.text
    for group in reversed(groups):
        numbers = "".join(f"[{ids.index(i) + 1}]" for i in group.resolved)
        if numbers:
            start = group.start
            while start > 0 and text[start - 1] in " \t":
                start -= 1
            text = f"{text[:start]} {numbers}{text[group.end :]}"
    citations = []
    for passage_id in ids:
        passage = knowledge.passage(passage_id)
        article = knowledge.article(passage.article_id)
        title = article.title  # the article's own title, like the quote: the source as published
        citations.append(Citation(passage_id, passage.original, title, article.published.isoformat(), article.source))
    return Reply(text=text.strip(), citations=tuple(citations), language=language, engine=engine,
                 refused=draft.refused, **extra)  # fmt: skip
