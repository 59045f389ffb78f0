"""The model engine: builds the grounded prompt, calls the chat model, reads its answer.

The system message (instructions plus every passage) is built once and is the same for
every request, so providers can cache it; the conversation and the question come last.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Sequence

from bot.answers.drafts import Draft
from bot.engines.model.chat_model import ChatModel, ModelError
from bot.engines.model.prompts import Prompts
from bot.knowledge.articles import KnowledgeBase
from bot.language.languages import LANGUAGE_NAMES
from bot.store.database import Turn

REFUSAL_MARKER = "NOT_IN_ARTICLE"
_BARE_ID = re.compile(r"\[([a-z0-9_-]+)\]")


class ModelEngine:
    def __init__(self, model: ChatModel, knowledge: KnowledgeBase, prompts: Prompts) -> None:
        self.model = model
        self.name = model.name
        self.knowledge = knowledge
        self.prompts = prompts
        self.system_prompt = prompts["system"].render(knowledge=render_knowledge(knowledge))

    async def answer(self, question: str, language: str, history: Sequence[Turn] = ()) -> Draft:
        return await self._complete(self._answer_turns(question, language, history))

    @property
    def can_stream(self) -> bool:
        return callable(getattr(self.model, "stream", None))

    def answer_pieces(self, question: str, language: str, history: Sequence[Turn] = ()) -> AsyncIterator[str]:
        """The model's answer as it streams in, raw (ids not yet qualified): for ``can_stream`` models."""
        return self.model.stream(self.messages_for(self._answer_turns(question, language, history)))

    def _answer_turns(self, question: str, language: str, history: Sequence[Turn]) -> list[dict[str, str]]:
        request = self.prompts["answer"].render(language_name=LANGUAGE_NAMES[language])
        return [*self._history(history), {"role": "user", "content": request}, _question_message(question)]

    async def brief(self, language: str, article_ids: Sequence[str] | None = None, *, kind: str = "brief") -> Draft:
        ids = list(article_ids) if article_ids is not None else [a.id for a in self.knowledge.articles]
        request = self.prompts[kind].render(language_name=LANGUAGE_NAMES[language], article_ids=", ".join(ids))
        return await self._complete([{"role": "user", "content": request}])

    def messages_for(self, turns: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system_prompt}, *turns]

    async def _complete(self, turns: list[dict[str, str]]) -> Draft:
        text = (await self.model.complete(self.messages_for(turns))).strip()
        if not text:
            raise ModelError("the model returned an empty answer")
        if REFUSAL_MARKER in text:
            return Draft(text, refused=True)
        return Draft(self.qualify_ids(text))

    def _history(self, history: Sequence[Turn]) -> list[dict[str, str]]:
        return [
            _question_message(t.content) if t.role == "user" else {"role": t.role, "content": t.content}
            for t in history
        ]

    def qualify_ids(self, text: str) -> str:
        """Models sometimes drop the article part of an id ([p3]); restore it when unambiguous."""
        by_local: dict[str, list[str]] = {}
        for passage in self.knowledge.passages:
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
    blocks = []
    for article in knowledge.articles:
        lines = [
            f"## Article {article.id}: {article.title}",
            f"Published {article.published.isoformat()}; language {article.language}; source: {article.source}",
        ]
        for passage in article.passages:
            lines.append(f"[{passage.id}] {passage.original}")
            for language, text in passage.texts.items():
                if language != article.language:
                    lines.append(f"    ({language}) {text}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
