"""The model engine: builds the grounded prompt, calls the chat model, reads its answer.

The system message is built once and is the same for every request, so providers can cache
it; the conversation and the question come last. While every passage fits in the budget
(``budget_tokens``), the system message carries them all. Beyond it, the system message
keeps only the instructions, and each request carries the passages retrieved for it (for a
briefing: the passages of the articles it covers), so the cost per question stays flat however
many articles there are. The draft then names the passages given, and the core accepts
citations of those only.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from bot.answers.drafts import Draft
from bot.engines.model.chat_model import ChatModel, ModelError
from bot.engines.model.prompts import Prompts
from bot.engines.offline.retrieval import PassageIndex
from bot.knowledge.articles import KnowledgeBase, Passage
from bot.language.languages import LANGUAGE_NAMES
from bot.language.text import CHARS_PER_TOKEN
from bot.store.records import Turn

REFUSAL_MARKER = "NOT_IN_ARTICLE"
_BARE_ID = re.compile(r"\[([a-z0-9_-]+)\]")
RETRIEVED_PASSAGES = 12  # passages given with a question when the knowledge is over the budget
BRIEF_ARTICLES = 6  # a briefing covers the newest articles (or the ones asked for), at most this many
PER_REQUEST_NOTE = (
    "The passages for each request come with it, inside <passages> tags: use only those passages, "
    "and cite only their ids."
)


@dataclass(frozen=True)
class AnswerPrompt:
    """The turns asking the model a question; ``passages``: the ones they carry (None: the
    system message carries every passage)."""

    turns: list[dict[str, str]]
    passages: list[Passage] | None = None

    @property
    def given(self) -> frozenset[str] | None:
        """The ids the answer may cite (None: any)."""
        return None if self.passages is None else frozenset(p.id for p in self.passages)


class ModelEngine:
    def __init__(
        self,
        model: ChatModel,
        knowledge: KnowledgeBase,
        prompts: Prompts,
        *,
        budget_tokens: int = 8000,
        index: PassageIndex | None = None,
    ) -> None:
        self.model = model
        self.name = model.name
        self.knowledge = knowledge
        self.prompts = prompts
        self.budget_tokens = budget_tokens
        size = sum(len(text) + 40 for p in knowledge.passages for text in p.texts.values()) // CHARS_PER_TOKEN
        self.retrieves = size > budget_tokens
        self.index = index if index is not None or not self.retrieves else PassageIndex(knowledge)
        knowledge_text = PER_REQUEST_NOTE if self.retrieves else render_knowledge(knowledge)
        self.system_prompt = prompts["system"].render(knowledge=knowledge_text)

    async def answer(self, question: str, language: str, history: Sequence[Turn] = ()) -> Draft:
        prompt = self.answer_prompt(question, language, history)
        if prompt is None:
            return Draft(REFUSAL_MARKER, refused=True)  # no passage shares a word with the question
        draft = await self._complete(prompt.turns, prompt.passages)
        return Draft(draft.text, refused=draft.refused, given=prompt.given)

    @property
    def can_stream(self) -> bool:
        return callable(getattr(self.model, "stream", None))

    def answer_pieces(self, prompt: AnswerPrompt) -> AsyncIterator[str]:
        """The model's answer to ``prompt`` as it streams in, raw (ids not yet qualified: see
        ``qualify_ids``): for ``can_stream`` models."""
        return self.model.stream(self.messages_for(prompt.turns))

    def answer_prompt(self, question: str, language: str, history: Sequence[Turn] = ()) -> AnswerPrompt | None:
        """The turns that ask the model ``question``, with the passages they carry when the
        knowledge is over the budget; None when no passage is worth giving (nothing shares a word)."""
        request = self.prompts["answer"].render(language_name=LANGUAGE_NAMES[language])
        if not self.retrieves:
            turns = [*self._history(history), {"role": "user", "content": request}, _question_message(question)]
            return AnswerPrompt(turns)
        passages = self._retrieve(question, history)
        if not passages:
            return None
        turns = [*self._history(history), self._passages_message(passages, request), _question_message(question)]
        return AnswerPrompt(turns, passages)

    async def brief(self, language: str, article_ids: Sequence[str] | None = None, *, kind: str = "brief") -> Draft:
        if article_ids is None:
            article_ids = [a.id for a in self.knowledge.newest_first[:BRIEF_ARTICLES]]
        ids = list(article_ids)[:BRIEF_ARTICLES] if self.retrieves else list(article_ids)
        request = self.prompts[kind].render(language_name=LANGUAGE_NAMES[language], article_ids=", ".join(ids))
        if not self.retrieves:
            return await self._complete([{"role": "user", "content": request}])
        passages = self._briefing_passages(ids)
        draft = await self._complete([self._passages_message(passages, request)], passages)
        return Draft(draft.text, refused=draft.refused, given=frozenset(p.id for p in passages))

    def _retrieve(self, question: str, history: Sequence[Turn]) -> list[Passage]:
        """The passages that best match the question, then it read with the previous question (a
        follow-up), then the passages the last answer cited. Ranked by BM25 alone: the model
        decides what answers, so it sees a fixed number of the likeliest passages."""
        earlier = next((t.content for t in reversed(history) if t.role == "user"), "")
        found = self.index.candidates(question, limit=RETRIEVED_PASSAGES)
        if earlier:
            found += self.index.candidates(f"{earlier} {question}", limit=RETRIEVED_PASSAGES // 2)
        last_cited = next((t.citations for t in reversed(history) if t.role == "assistant"), ())
        found += [p for p in (self.knowledge.passage(i) for i in last_cited) if p is not None]
        return list({p.id: p for p in reversed(found)}.values())[::-1][:RETRIEVED_PASSAGES]

    def _briefing_passages(self, article_ids: Sequence[str]) -> list[Passage]:
        """The passages of the articles briefed on, their opening passages first, within the budget."""
        articles = [a for a in (self.knowledge.article(i) for i in article_ids) if a is not None]
        budget = self.budget_tokens * CHARS_PER_TOKEN
        chosen: list[Passage] = []
        for rank in range(max((len(a.passages) for a in articles), default=0)):
            for article in articles:
                if rank < len(article.passages):
                    passage = article.passages[rank]
                    budget -= sum(len(t) + 40 for t in passage.texts.values())
                    if budget < 0:
                        return chosen
                    chosen.append(passage)
        return chosen

    def _passages_message(self, passages: list[Passage], request: str) -> dict[str, str]:
        block = render_passages(self.knowledge, passages)
        return {"role": "user", "content": f"<passages>\n{block}\n</passages>\n\n{request}"}

    def messages_for(self, turns: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system_prompt}, *turns]

    async def _complete(self, turns: list[dict[str, str]], passages: Sequence[Passage] | None = None) -> Draft:
        text = (await self.model.complete(self.messages_for(turns))).strip()
        if not text:
            raise ModelError("the model returned an empty answer")
        if REFUSAL_MARKER in text:
            return Draft(text, refused=True)
        return Draft(self.qualify_ids(text, passages))

    def _history(self, history: Sequence[Turn]) -> list[dict[str, str]]:
        return [
            _question_message(t.content) if t.role == "user" else {"role": t.role, "content": t.content}
            for t in history
        ]

    def qualify_ids(self, text: str, passages: Sequence[Passage] | None = None) -> str:
        """Models sometimes drop the article part of an id ([p3]); restore it when unambiguous
        among the passages the model was shown (``None``: all of them)."""
        if not _BARE_ID.search(text):
            return text
        by_local: dict[str, list[str]] = {}
        for passage in self.knowledge.passages if passages is None else passages:
            by_local.setdefault(passage.local_id, []).append(passage.id)

        def qualify(match: re.Match) -> str:
            found = by_local.get(match.group(1), [])
            return f"[{found[0]}]" if len(found) == 1 else match.group(0)

        return _BARE_ID.sub(qualify, text)


def _question_message(question: str) -> dict[str, str]:
    """A user's words as a message of their own holding one JSON string: JSON escaping, not a
    tag the text could close or open (``</question>``), keeps them apart from the instructions."""
    return {"role": "user", "content": json.dumps({"question": question}, ensure_ascii=False)}


def render_knowledge(knowledge: KnowledgeBase) -> str:
    return render_passages(knowledge, knowledge.passages)


def render_passages(knowledge: KnowledgeBase, passages: Sequence[Passage]) -> str:
    """The passages grouped under their article's heading, in the order given."""
    by_article: dict[str, list[Passage]] = {}
    for passage in passages:
        by_article.setdefault(passage.article_id, []).append(passage)
    blocks = []
    for article_id, chosen in by_article.items():
        article = knowledge.article(article_id)
        lines = [
            f"## Article {article.id}: {article.title}",
            f"Published {article.published.isoformat()}; language {article.language}; source: {article.source}",
        ]
        for passage in chosen:
            lines.append(f"[{passage.id}] {passage.original}")
            for language, text in passage.texts.items():
                if language != article.language:
                    lines.append(f"    ({language}) {text}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
