"""Suggested follow-ups: up to three questions to offer after a reply.

They come from the passages' ``questions`` (written by an editor or by ingest) and are offered
only when the offline engine answers them from the passage they belong to, so a suggestion is
never one the bot would refuse, whichever engine is configured. The check runs once per
knowledge base, on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

from bot.answers.reply import Reply
from bot.engines.offline.engine import OfflineEngine
from bot.knowledge.articles import Article, KnowledgeBase
from bot.language.text import words

MAX_FOLLOW_UPS = 3


class FollowUps:
    def __init__(self, knowledge: KnowledgeBase, offline: OfflineEngine) -> None:
        self.knowledge = knowledge
        self.offline = offline

    def suggest(
        self, reply: Reply, *, asked: Iterable[str] = (), briefing: bool = False, limit: int = MAX_FOLLOW_UPS
    ) -> tuple[str, ...]:
        """Questions in the reply's language about passages the reply did not already give
        (a briefing's passages are worth asking about: it only summed them up)."""
        cited = [c.id for c in reply.citations]
        return self._choose(reply.language, cited, set() if briefing else set(cited), asked, limit)

    def prompts(self, language: str, *, limit: int = MAX_FOLLOW_UPS) -> tuple[str, ...]:
        """Suggestions for someone who has not asked anything yet: the newest articles' key points."""
        return self._choose(language, [], set(), (), limit)

    def _choose(
        self, language: str, cited: Sequence[str], skip: set[str], asked: Iterable[str], limit: int
    ) -> tuple[str, ...]:
        already = {_normal(q) for q in asked}
        chosen: list[str] = []
        for passage_id in self._reading_order(cited):
            if passage_id in skip:
                continue
            question = next(
                (q for q in self._answerable.get(passage_id, {}).get(language, ()) if _normal(q) not in already),
                None,
            )
            if question is not None:
                chosen.append(question)
                if len(chosen) == limit:
                    break
        return tuple(chosen)

    def prepare(self) -> None:
        """Check the candidate questions now rather than on the first reply."""
        _ = self._answerable

    @cached_property
    def _answerable(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """passage id -> language -> its questions that the offline engine answers from it."""
        found: dict[str, dict[str, tuple[str, ...]]] = {}
        for passage in self.knowledge.passages:
            for language, questions in passage.questions.items():
                kept = tuple(q for q in questions if self._answers_from(q, language, passage.id))
                if kept:
                    found.setdefault(passage.id, {})[language] = kept
        return found

    def _answers_from(self, question: str, language: str, passage_id: str) -> bool:
        draft = self.offline.answer(question, language)
        return not draft.refused and passage_id in draft.citations

    def _reading_order(self, cited: Sequence[str]) -> list[str]:
        """Newest article first. Within the article the reply came from, the passages after
        the last one it cited come first (where the story goes on); elsewhere, the passages
        the key points cite, then the rest."""
        order: list[str] = []
        for article in sorted(self.knowledge.articles, key=lambda a: a.published, reverse=True):
            ids = [p.id for p in article.passages]
            here = [ids.index(c) for c in cited if c in ids]
            if here:
                after = max(here) + 1
                order += ids[after:] + ids[:after]
            else:
                order += _key_point_order(article)
        return order


def _key_point_order(article: Article) -> list[str]:
    first = list(dict.fromkeys(c for point in article.key_points for c in point.cite))
    return first + [p.id for p in article.passages if p.id not in first]


def _normal(question: str) -> tuple[str, ...]:
    return tuple(words(question))
