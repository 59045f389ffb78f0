"""The core: one place that turns a question or a briefing request into a ``Reply``.

It knows nothing about Slack or Discord. Flow for a question: clean and bound the input,
pick the language, load the conversation's recent turns, ask the model engine (when
configured) and verify its answer against the cited passages, fall back to the offline
engine when the model is down or its answer is not grounded, store the turn, reply.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace

from bot.answers.drafts import Draft, to_reply
from bot.answers.reply import Reply
from bot.config import Settings
from bot.core.follow_ups import FollowUps
from bot.core.verified_stream import VerifiedStream
from bot.engines.model.chat_model import ChatModel, ModelError
from bot.engines.model.engine import ModelEngine
from bot.engines.model.prompts import Prompts, load_prompts
from bot.engines.offline.engine import OfflineEngine
from bot.grounding.verifier import verify
from bot.knowledge.articles import KnowledgeBase, load_knowledge
from bot.language.detection import detect_language
from bot.language.languages import DEFAULT_LANGUAGE
from bot.language.phrases import message
from bot.language.text import clean_input
from bot.store.database import Store, Turn

logger = logging.getLogger(__name__)

CHARS_PER_TOKEN = 4  # a rough, language-neutral estimate: enough to bound a prompt


class Briefer:
    def __init__(
        self,
        *,
        knowledge: KnowledgeBase,
        store: Store,
        prompts: Prompts,
        settings: Settings,
        model: ChatModel | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.store = store
        self.settings = settings
        self.offline = OfflineEngine(knowledge)
        self.follow_ups = FollowUps(knowledge, self.offline)
        self.model = model
        self.model_engine = ModelEngine(model, knowledge, prompts) if model is not None else None

    @classmethod
    def from_settings(
        cls, settings: Settings, *, model: ChatModel | None = None, store: Store | None = None
    ) -> Briefer:
        knowledge = load_knowledge(settings.knowledge_dir)
        prompts = load_prompts(settings.prompts_dir)
        if model is None and settings.resolved_engine == "openai":
            model = _model_from_settings(settings)
        store = store or Store(settings.database_url)
        return cls(knowledge=knowledge, store=store, prompts=prompts, settings=settings, model=model)

    @property
    def can_stream(self) -> bool:
        """Whether ``answer_stream`` gives an answer claim by claim (a model that streams)."""
        return self.model_engine is not None and self.model_engine.can_stream

    @property
    def engine_name(self) -> str:
        return self.model_engine.name if self.model_engine else self.offline.name

    async def answer(self, question: str, *, conversation_id: str | None = None, lang: str | None = None) -> Reply:
        question, language, early = self._screen(question, lang)
        if early is not None:
            return early
        history = await self._history(conversation_id)
        reply = await self._answer(question, language, history)
        return await self._finish(reply, question, history, conversation_id)

    async def answer_stream(
        self, question: str, *, conversation_id: str | None = None, lang: str | None = None
    ) -> AsyncIterator[Reply]:
        """Like ``answer``, but with a model that streams, the answer grows claim by claim: each
        ``Reply`` yielded holds the claims verified so far (each text extends the previous one),
        and the last is the complete reply, stored, with its follow-ups. Claims that fail
        verification are never yielded. Other engines yield the complete reply once."""
        if self.model_engine is None or not self.model_engine.can_stream:
            yield await self.answer(question, conversation_id=conversation_id, lang=lang)
            return
        question, language, early = self._screen(question, lang)
        if early is not None:
            yield early
            return
        history = await self._history(conversation_id)
        stream = VerifiedStream(self.knowledge, self.model_engine.qualify_ids)
        failure = ""
        try:
            async for _claim in stream.claims(self.model_engine.answer_pieces(question, language, history)):
                yield self._reply(Draft(stream.text), language, self.model_engine.name)
        except Exception as error:  # whatever the model did, the user gets an answer
            logger.warning("model stream failed: %s", _describe(error))
            failure = "model_unavailable"
        fallback = lambda: self.offline.answer(question, language, history)  # noqa: E731
        reply = self._streamed_reply(stream, failure, fallback, language)
        yield await self._finish(reply, question, history, conversation_id)

    def _screen(self, question: str, lang: str | None) -> tuple[str, str, Reply | None]:
        """Clean and bound the question and pick the language; a reply when it cannot be asked."""
        question = clean_input(question)
        language = lang or detect_language(question) if question else (lang or DEFAULT_LANGUAGE)
        if not question:
            text = message("empty_question", language)
            return question, language, Reply(text, language=language, engine=self.engine_name, refused=True)
        limit = self.settings.max_question_chars
        if len(question) > limit:
            text = message("too_long", language, length=len(question), limit=limit)
            return question, language, Reply(text, language=language, engine=self.engine_name, refused=True)
        return question, language, None

    async def _finish(self, reply: Reply, question: str, history: list[Turn], conversation_id: str | None) -> Reply:
        asked = [t.content for t in history if t.role == "user"] + [question]
        reply = replace(reply, follow_ups=self.follow_ups.suggest(reply, asked=asked))
        if conversation_id:
            await self.remember(conversation_id, reply, question=question)
        return reply

    async def brief(
        self,
        *,
        lang: str = DEFAULT_LANGUAGE,
        conversation_id: str | None = None,
        article_ids: Sequence[str] | None = None,
        kind: str = "brief",
    ) -> Reply:
        """A 3-6 point briefing; ``kind="digest"`` words it as the daily digest. Generated
        once per (knowledge version, language, articles, engine) and cached in the store."""
        ids = tuple(sorted(article_ids)) if article_ids is not None else None
        key = f"{kind}:{self.knowledge.version}:{lang}:{self.engine_name}:{','.join(ids or ('*',))}"
        cached = await asyncio.to_thread(self.store.cached, key)
        if cached is not None:
            reply = to_reply(Draft(cached["text"]), self.knowledge, language=lang, engine=cached["engine"])
        else:
            reply = await self._brief(lang, ids, kind)
            if reply.grounded and not reply.notice:
                await asyncio.to_thread(self.store.cache, key, {"text": reply.extras["draft"], "engine": reply.engine})
        if conversation_id:
            await self.remember(conversation_id, reply)
        return replace(reply, follow_ups=self.follow_ups.suggest(reply, briefing=True))

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (the language model, the
        model client): long-running adapters call this before taking traffic.

        Then everything loaded so far is moved out of the garbage collector's reach: it lives
        as long as the process, and scanning it again and again made every request slower
        (slack-bolt deep-copies each request for its lazy listeners, and every copy paid for it).
        """
        detect_language("warm up the language identifier")
        self.follow_ups.prepare()
        prepare = getattr(self.model, "warm_up", None)
        if prepare is not None:
            prepare()
        gc.collect()
        gc.freeze()

    async def has_conversation(self, conversation_id: str) -> bool:
        return bool(await self._history(conversation_id))

    async def aclose(self) -> None:
        close = getattr(self.model, "aclose", None)
        if close is not None:
            await close()
        await asyncio.to_thread(self.store.close)

    # --- internals ---------------------------------------------------------------------

    async def _answer(self, question: str, language: str, history: list[Turn]) -> Reply:
        if self.model_engine is None:
            return self._offline_reply(self.offline.answer(question, language, history), language)
        try:
            draft = await self.model_engine.answer(question, language, history)
        except Exception as error:  # whatever the model did, the user gets an answer
            logger.warning("model unavailable, answering offline: %s", _describe(error))
            return self._offline_reply(self.offline.answer(question, language, history), language, "model_unavailable")
        return self._checked(draft, language, fallback=lambda: self.offline.answer(question, language, history))

    async def _brief(self, language: str, ids: Sequence[str] | None, kind: str) -> Reply:
        if self.model_engine is None:
            return self._offline_reply(self.offline.brief(language, ids), language)
        try:
            draft = await self.model_engine.brief(language, ids, kind=kind)
        except Exception as error:  # whatever the model did, the user gets a briefing
            logger.warning("model unavailable, briefing offline: %s", _describe(error))
            return self._offline_reply(self.offline.brief(language, ids), language, "model_unavailable")
        if draft.refused:  # a briefing cannot be "not in the article": the model misbehaved
            return self._offline_reply(self.offline.brief(language, ids), language, "not_verified", grounded=False)
        return self._checked(draft, language, fallback=lambda: self.offline.brief(language, ids))

    def _checked(self, draft: Draft, language: str, *, fallback) -> Reply:
        if draft.refused:
            return self._reply(self.offline.refusal(language), language, self.model_engine.name)
        verdict = verify(draft.text, draft.citations, self.knowledge)
        if verdict.grounded:
            return self._reply(draft, language, self.model_engine.name)
        logger.warning("model answer not grounded, replaced: %s", "; ".join(verdict.problems))
        return self._offline_reply(fallback(), language, "not_verified", grounded=False)

    def _streamed_reply(self, stream: VerifiedStream, failure: str, fallback, language: str) -> Reply:
        """The complete reply after a stream: the verified claims (already shown) and a note on
        what was left out; with nothing shown, the same fallbacks as a non-streamed answer."""
        engine = self.model_engine.name
        if not stream.text:
            if failure:
                return self._offline_reply(fallback(), language, failure)
            if stream.refused:
                return self._reply(self.offline.refusal(language), language, engine)
            logger.warning("no streamed claim was grounded, replaced: %d dropped", len(stream.dropped))
            return self._offline_reply(fallback(), language, "not_verified", grounded=False)
        notes = [message("model_stopped", language)] if failure else []
        if stream.dropped:
            logger.warning("streamed claims dropped: %s", "; ".join(p for ps in stream.dropped for p in ps))
            notes.append(message("claims_dropped", language, count=len(stream.dropped)))
        if not notes:
            return self._reply(Draft(stream.text), language, engine)
        notice = " ".join(notes)
        draft = Draft(f"{stream.text.rstrip()}\n\n_{notice}_")
        return self._reply(draft, language, engine, notice=notice, grounded=not stream.dropped)

    def _offline_reply(self, draft: Draft, language: str, notice: str = "", *, grounded: bool = True) -> Reply:
        if notice:
            notice_text = message(notice, language)
            draft = Draft(f"_{notice_text}_\n\n{draft.text}", refused=draft.refused)
            return self._reply(draft, language, self.offline.name, notice=notice_text, grounded=grounded)
        return self._reply(draft, language, self.offline.name, grounded=grounded)

    def _reply(self, draft: Draft, language: str, engine: str, **extra) -> Reply:
        reply = to_reply(draft, self.knowledge, language=language, engine=engine, **extra)
        reply.extras["draft"] = draft.text
        return reply

    async def _history(self, conversation_id: str | None) -> list[Turn]:
        if not conversation_id:
            return []
        settings = self.settings
        recent = await asyncio.to_thread(
            self.store.recent_turns,
            conversation_id,
            limit=settings.conversation_turns,
            max_age_seconds=settings.conversation_ttl_hours * 3600,
        )
        budget = settings.conversation_token_budget * CHARS_PER_TOKEN
        kept: list[Turn] = []
        for turn in reversed(recent):  # newest first, until the budget is spent
            budget -= len(turn.content)
            if budget < 0:
                break
            kept.append(turn)
        return kept[::-1]

    async def remember(self, conversation_id: str, reply: Reply, *, question: str | None = None) -> None:
        """Store a question (if any) and its reply as turns of ``conversation_id``: for callers
        that learn the conversation's id only after answering (a thread that starts at the
        posted reply)."""
        turns = [Turn("user", question, reply.language)] if question else []
        turns.append(
            Turn(
                "assistant",
                reply.extras.get("draft", reply.text),
                reply.language,
                tuple(c.id for c in reply.citations),
                reply.engine,
                reply.grounded,
            )
        )
        await asyncio.to_thread(self.store.add_turns, conversation_id, turns)


def _model_from_settings(settings: Settings) -> ChatModel:
    from bot.engines.model.openai_client import OpenAIChatModel  # raises ConfigError when OPENAI_API_KEY is missing

    return OpenAIChatModel.from_settings(settings)


def _describe(error: Exception) -> str:
    """Our own errors carry safe messages; anything else is named by its type only, since
    a library's message may echo a request (and with it a key)."""
    return str(error) if isinstance(error, ModelError) else type(error).__name__
