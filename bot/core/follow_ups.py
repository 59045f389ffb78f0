"""Suggested follow-ups: up to three questions to offer after a reply.

They come from the passages' ``questions`` (written by an editor or by ingest). A question is
offered only when the offline engine answers it with its own passage first, so a suggestion is
never one the bot would refuse, whichever engine is configured; and only when the passage's text
alone answers it too (an engine built without the ``questions``, which the offline engine also
indexes): a question an editor got wrong cannot make itself answerable. Each question is checked
once, when it is first a candidate, by words only (the sentence embedder is not loaded for it),
and a passage's questions only as far as the first one that may be offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cached_property

from bot.answers.reply import Reply
from bot.engines.offline.engine import OfflineEngine
from bot.grounding import cited_ids
from bot.knowledge.articles import Article, KnowledgeBase
from bot.language.text import words

MAX_FOLLOW_UPS = 3


class FollowUps:
    def __init__(self, knowledge: KnowledgeBase, offline: OfflineEngine) -> None:
        self.knowledge = knowledge
        self.offline = offline
        self._checked: dict[tuple[str, str, str], bool] = {}  # (passage id, language, question) -> may be offered

    def suggest(
        self, reply: Reply, *, asked: Iterable[str] = (), briefing: bool = False, limit: int = MAX_FOLLOW_UPS
    ) -> tuple[str, ...]:
        """Questions in the reply's language about passages the reply did not already give
        (a briefing's passages are worth asking about: it only summed them up)."""
        cited = [c.id for c in reply.citations]
        if briefing:  # its points, in their order
            return self._choose(reply.language, [], set(), asked, limit)
        return self._choose(reply.language, cited, set(cited), asked, limit)

    def prompts(self, language: str, *, limit: int = MAX_FOLLOW_UPS) -> tuple[str, ...]:
        """Suggestions for someone who has not asked anything yet: the newest articles' key points."""
        return self._choose(language, [], set(), (), limit)

    def _choose(
        self, language: str, cited: Sequence[str], skip: set[str], asked: Iterable[str], limit: int
    ) -> tuple[str, ...]:
        already = {_normal(q) for q in asked}
        chosen: list[str] = []
        for passage_id in self._reading_order(cited):
            if passage_id in skip or self.knowledge.passage(passage_id).role == "title":
                continue  # (a title's questions are about the article, not the news)
            question = next((q for q in self._answerable(passage_id, language) if _normal(q) not in already), None)
            if question is not None:
                chosen.append(question)
                if len(chosen) == limit:
                    break
        return tuple(chosen)

    def prepare(self) -> None:
        """Check now, rather than during replies, each passage's questions up to the first that
        may be offered (the one a reply offers, unless it was already asked)."""
        for passage in self.knowledge.passages:
            for language in passage.questions:
                next(self._answerable(passage.id, language), None)

    def _answerable(self, passage_id: str, language: str) -> Iterator[str]:
        """The passage's questions in ``language`` that pass both checks (see the module), in order."""
        passage = self.knowledge.passage(passage_id)
        for question in passage.questions.get(language, ()) if passage else ():
            key = (passage_id, language, question)
            if key not in self._checked:
                self._checked[key] = self._answers_from(question, language, passage_id)
            if self._checked[key]:
                yield question

    def _answers_from(self, question: str, language: str, passage_id: str) -> bool:
        draft = self._by_words.answer(question, language)
        if draft.refused or cited_ids(draft.text, self.knowledge)[:1] != [passage_id]:
            return False
        by_text = self._text_only.answer(question, language)
        return not by_text.refused and passage_id in cited_ids(by_text.text, self.knowledge)

    @cached_property
    def _by_words(self) -> OfflineEngine:
        """The offline engine reading words only (its own index): what it answers, the engine with
        paraphrases answers the same way, since meaning is consulted only when words refuse; and
        checking suggestions never loads the sentence embedder, which a process would then hold
        from its start."""
        return OfflineEngine(self.knowledge, index=self.offline.index, paraphrases=False)

    @cached_property
    def _text_only(self) -> OfflineEngine:
        """An offline engine over the same articles without their passages' questions."""
        articles = tuple(
            replace(a, passages=tuple(replace(p, questions={}) for p in a.passages)) for a in self.knowledge.articles
        )
        return OfflineEngine(KnowledgeBase(articles), paraphrases=False)  # the text itself, not its meaning

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
