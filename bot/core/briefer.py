"""The core: one place that turns a question or a briefing request into a ``Reply``.

It knows nothing about Slack or Discord. Flow for a question: clean and bound the input,
pick the language, load the conversation's recent turns, ask the model engine (when
configured) and verify its answer against the cited passages, fall back to the offline
engine when the model is down or its answer is not grounded, store the turn, reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import functools
import gc
import hashlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.answers.drafts import Draft, to_reply
from bot.answers.reply import Reply
from bot.config import Settings
from bot.core.lifecycle import Lifecycle
from bot.core.rate_limit import RateLimiter
from bot.core.startup import StartUp
from bot.engines.model.chat_model import ChatModel, ModelError, ModelRejected
from bot.engines.model.guard import CircuitBreaker, ModelGuard
from bot.engines.model.prompts import Prompts, load_prompts
from bot.engines.model.slots import Busy, ModelSlots
from bot.knowledge.articles import KnowledgeBase
from bot.knowledge.live import load_live_knowledge
from bot.language.detection import detect_language
from bot.language.languages import DEFAULT_LANGUAGE
from bot.language.phrases import message
from bot.language.text import CHARS_PER_TOKEN, clean_input
from bot.observability.answer_log import record_answer
from bot.observability.metrics import VERIFICATION_SECONDS
from bot.observability.readiness import Readiness
from bot.observability.trace import AnswerTrace, start_trace, timed
from bot.store.opening import OpeningStore
from bot.store.records import StoreError, Turn

if TYPE_CHECKING:
    from bot.core.follow_ups import FollowUps
    from bot.core.verified_stream import VerifiedStream
    from bot.engines.model.engine import ModelEngine
    from bot.engines.offline.engine import OfflineEngine
    from bot.store.database import Store

# The engines, the verifier and the search index load with the first answer (in a long-running
# process: the warm-up, once connected), not with the process: importing them is most of what the
# process would otherwise do before connecting (README.md, "Footprint").
OFFLINE_ENGINE_NAME = "offline"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Asked:
    """A question being answered, for its metrics and log line once the reply is known."""

    question: str
    user: str | None
    conversation_id: str | None
    engine: str
    trace: AnswerTrace
    started: float


@dataclass(frozen=True)
class _Engines:
    knowledge: KnowledgeBase
    offline: OfflineEngine
    model_engine: ModelEngine | None
    follow_ups: FollowUps


@dataclass(frozen=True)
class Fallback:
    """The offline engine answers instead of the model; ``notice`` is the message key saying why."""

    notice: str


class Briefer:
    def __init__(
        self,
        *,
        knowledge: KnowledgeBase | Callable[[], KnowledgeBase],
        store: Store | OpeningStore,
        prompts: Prompts,
        settings: Settings,
        model: ChatModel | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.prompts = prompts
        self.model = model
        self.model_problem = ""  # why the last answer did not come from the model, for the CLI
        shared = store if store.dialect == "postgresql" else None  # replicas share PostgreSQL, not a SQLite file
        self.guard = ModelGuard(
            deadline=settings.answer_deadline,
            breaker=CircuitBreaker(failures=settings.breaker_failures, cooldown=settings.breaker_cooldown),
            slots=ModelSlots(
                settings.model_concurrency,
                settings.model_queue,
                store=shared,  # on SQLite the per-process cap is the whole cap: no writes per model call
                lease_seconds=settings.answer_deadline + 10,
            ),
        )
        self.rate_limit = RateLimiter(shared, settings.rate_limit_per_minute)
        self.lifecycle = Lifecycle(settings.shutdown_grace)
        self.readiness = Readiness()  # what /readyz reports; the adapters add their connections
        self.readiness.waiting("knowledge", "warming up")
        self.startup = StartUp()  # long-running processes warm up while connecting (bot/core/startup.py)
        self.judge = None
        if model is not None and settings.judge != "off":
            from bot.core.judge import Judge

            timeout = min(settings.model_timeout, settings.answer_deadline)  # the judge is bounded like an answer
            self.judge = Judge(model, model_name=settings.judge_model or None, timeout=timeout, guard=self.guard)
        self.model_rejected = False
        # The first knowledge's engines (and search index) are built on first use: by the warm-up
        # in a long-running process, once it is connected, not before it connects. A long-running
        # process even loads that knowledge then (it needs the store): ``knowledge`` is its loader.
        self._first_knowledge: KnowledgeBase | Callable[[], KnowledgeBase] | None = knowledge
        self._loading = threading.Lock()
        self._built: _Engines | None = None
        self._building = threading.Lock()

    def open(self) -> None:
        """Open the store and load the first knowledge, when they were left for later (a long-running
        process does it once connected); raises ``StoreError`` or ``KnowledgeError`` when they cannot be."""
        if isinstance(self.store, OpeningStore):
            self.store.open()
        self._first()

    def _first(self) -> KnowledgeBase | None:
        """The first knowledge, loaded now if it was given as a loader (None once the engines took it)."""
        with self._loading:
            if callable(self._first_knowledge):
                self._first_knowledge = self._first_knowledge()
            return self._first_knowledge

    @property
    def _engines(self) -> _Engines:
        engines = self._built
        if engines is None:
            with self._building:
                if self._built is None:
                    self._built = self._build_engines(self._first())
                    self._first_knowledge = None
                engines = self._built
        return engines

    @_engines.setter
    def _engines(self, engines: _Engines) -> None:
        with self._building:
            self._built = engines
            self._first_knowledge = None

    def use_knowledge(self, knowledge: KnowledgeBase) -> None:
        """Answer from ``knowledge`` from now on. The engines (and the search index) are built
        first and swapped in at once, so a question never sees half of the change; safe to
        call from a worker thread while questions are answered."""
        self._engines = self._build_engines(knowledge)
        if getattr(self, "_warmed", False):
            self._knowledge_readiness()

    def _build_engines(self, knowledge: KnowledgeBase) -> _Engines:
        from bot.core.follow_ups import FollowUps
        from bot.engines.model.engine import ModelEngine
        from bot.engines.offline.engine import OfflineEngine

        offline = OfflineEngine(knowledge, paraphrases=self.settings.offline_paraphrases)
        model_engine = None
        if self.model is not None and not self.model_rejected:
            budget = self.settings.prompt_knowledge_tokens
            model_engine = ModelEngine(self.model, knowledge, self.prompts, budget_tokens=budget, index=offline.index)
        # Follow-ups are checked lazily for new knowledge (``warm_up`` checks the first's at start).
        return _Engines(knowledge, offline, model_engine, FollowUps(knowledge, offline))

    def _knowledge_readiness(self) -> None:
        if self.knowledge.articles:
            self.readiness.ready("knowledge")
        else:
            self.readiness.waiting("knowledge", f"no articles in {self.settings.knowledge_dir}")

    @property
    def knowledge(self) -> KnowledgeBase:
        if self._built is None:  # not worth building the engines for
            first = self._first()
            if first is not None:
                return first
        return self._engines.knowledge

    @property
    def offline(self) -> OfflineEngine:
        return self._engines.offline

    @property
    def model_engine(self) -> ModelEngine | None:
        return self._engines.model_engine

    @property
    def follow_ups(self) -> FollowUps:
        return self._engines.follow_ups

    @classmethod
    def from_settings(
        cls, settings: Settings, *, model: ChatModel | None = None, store: Store | None = None,
        long_running: bool = False,
    ) -> Briefer:  # fmt: skip
        """``long_running``: the store is opened, and the knowledge loaded, only once the process
        has connected to its platform (``open``), and a schema upgrade then runs in a child process."""
        prompts = load_prompts(settings.prompts_dir)
        if model is None and settings.resolved_engine == "openai":
            model = _model_from_settings(settings)
        if store is None and long_running:
            store = OpeningStore(settings.database_url)
            knowledge = functools.partial(load_live_knowledge, settings.knowledge_dir, store)
            return cls(knowledge=knowledge, store=store, prompts=prompts, settings=settings, model=model)
        if store is None:
            from bot.store.database import Store

            store = Store(settings.database_url)
        knowledge = load_live_knowledge(settings.knowledge_dir, store)
        return cls(knowledge=knowledge, store=store, prompts=prompts, settings=settings, model=model)

    @property
    def can_stream(self) -> bool:
        """Whether ``answer_stream`` gives an answer claim by claim (a model that streams)."""
        return self.settings.stream_answers and self.model_engine is not None and self.model_engine.can_stream

    async def streams(self) -> bool:
        """Whether an answer asked now streams: decided once the start-up checks are over (a
        rejected key switches the model off), so an adapter never opens a stream for nothing."""
        await self.startup.wait()
        return self.can_stream

    @property
    def engine_name(self) -> str:
        if self._built is None:  # the name the engines will have, without building them
            return self.model.name if self.model is not None and not self.model_rejected else OFFLINE_ENGINE_NAME
        return self.model_engine.name if self.model_engine else self.offline.name

    async def answer(
        self, question: str, *, conversation_id: str | None = None, lang: str | None = None, user: str | None = None,
        channel: str | None = None,
    ) -> Reply:  # fmt: skip
        """``user`` (e.g. ``slack:T1:U1``) is held to the per-user rate limit; the CLI passes none.
        ``channel``: where it was asked, for the log line, when the conversation is not known yet
        (Slack's ``/ask`` starts its thread only once the answer is posted)."""
        asked = self._asked(question, user, conversation_id or channel)
        question, language, early = await self._screen(question, lang, user)
        if early is not None:
            return self._observed(asked, early)
        history = await self._history(conversation_id)
        reply = await self._answer(question, language, history)
        return self._observed(asked, await self._finish(reply, question, history, conversation_id))

    def _asked(self, question: str, user: str | None, conversation_id: str | None) -> _Asked:
        return _Asked(question, user, conversation_id, self.engine_name, start_trace(), time.perf_counter())

    def _observed(self, asked: _Asked, reply: Reply) -> Reply:
        """Count the answered question and log its one line (README.md, "Health, metrics and logs")."""
        try:
            record_answer(reply, engine=asked.engine, seconds=time.perf_counter() - asked.started,
                          trace=asked.trace, user=asked.user, conversation_id=asked.conversation_id,
                          question=asked.question, log_text=self.settings.log_text)  # fmt: skip
        except Exception:  # observing must never cost the user their answer
            logger.exception("bug while recording an answer's metrics")
        return reply

    async def answer_stream(
        self, question: str, *, conversation_id: str | None = None, lang: str | None = None, user: str | None = None
    ) -> AsyncIterator[Reply]:
        """Like ``answer``, but with a model that streams, the answer grows claim by claim: each
        ``Reply`` yielded holds the claims verified so far (each text extends the previous one),
        and the last is the complete reply, stored, with its follow-ups. Claims that fail
        verification are never yielded. Other engines yield the complete reply once. The stream
        goes through the same guard as ``answer`` (deadline, breaker, model slots) and the same
        rate limit."""
        await self.startup.wait()  # the model's start-up check may still switch the model off
        if not self.can_stream:
            yield await self.answer(question, conversation_id=conversation_id, lang=lang, user=user)
            return
        asked = self._asked(question, user, conversation_id)
        question, language, early = await self._screen(question, lang, user)
        if early is not None:
            yield self._observed(asked, early)
            return
        history = await self._history(conversation_id)
        engine = self.model_engine  # one knowledge for the whole answer, even if it is swapped meanwhile
        prompt = engine.answer_prompt(question, language, history)
        if prompt is None:  # over the budget and no passage shares a word with the question
            reply = self._reply(self.offline.refusal(language), language, engine.name)
            yield self._observed(asked, await self._finish(reply, question, history, conversation_id))
            return
        from bot.core.verified_stream import VerifiedStream

        qualify = functools.partial(engine.qualify_ids, passages=prompt.passages)
        stream = VerifiedStream(engine.knowledge, qualify, language=language, given=prompt.given)
        pieces = self.guard.stream(lambda: engine.answer_pieces(prompt))
        failure = ""
        try:
            async for _claim in stream.claims(pieces):
                yield self._reply(Draft(stream.text), language, engine.name)
        except Busy as busy:  # raised before the first piece: nothing has been shown
            logger.warning("busy, question not answered: %s", busy)
            busy_reply = _transient(message("busy", language), language, self.engine_name, "busy")
            yield self._observed(asked, await self._finish(busy_reply, question, history, conversation_id))
            return
        except ModelError as error:
            self.model_problem = str(error)
            logger.warning("model stream failed: %s", error)
            failure = "model_unavailable"
        except Exception:  # whatever went wrong, the user gets an answer
            self.model_problem = "an internal error (logged)"
            logger.exception("bug while streaming the model's answer")
            failure = "internal_error"
        finally:
            await pieces.aclose()
        fallback = lambda: self.offline.answer(question, language, history)  # noqa: E731
        reply = self._streamed_reply(stream, failure, fallback, language)
        yield self._observed(asked, await self._finish(reply, question, history, conversation_id))

    async def _screen(self, question: str, lang: str | None, user: str | None) -> tuple[str, str, Reply | None]:
        """Clean and bound the question, pick the language and hold ``user`` to the rate limit;
        a reply when the question cannot be asked (now)."""
        await self.startup.wait()
        question = clean_input(question)
        language = lang or detect_language(question) if question else (lang or DEFAULT_LANGUAGE)
        if not question:
            text = message("empty_question", language)
            return question, language, Reply(text, language=language, engine=self.engine_name, refused=True)
        limit = self.settings.max_question_chars
        if len(question) > limit:
            text = message("too_long", language, length=len(question), limit=limit)
            return question, language, Reply(text, language=language, engine=self.engine_name, refused=True)
        return question, language, await self._rate_limited(user, language)

    async def _finish(self, reply: Reply, question: str, history: list[Turn], conversation_id: str | None) -> Reply:
        if not reply.extras.get("transient"):  # "not now" is no answer to follow up
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
        user: str | None = None,
    ) -> Reply:
        """A 3-6 point briefing; ``kind="digest"`` words it as the daily digest. Generated
        once per (knowledge version, language, articles, engine) and cached in the store."""
        await self.startup.wait()
        limited = await self._rate_limited(user, lang)
        if limited is not None:
            return limited
        ids = tuple(sorted(article_ids)) if article_ids is not None else None
        # Hashed: the set of articles grows without bound, the key column does not.
        articles = hashlib.sha256(",".join(ids or ("*",)).encode()).hexdigest()[:32]
        key = f"{kind}:{self.knowledge.version}:{lang}:{self.engine_name}:{articles}"
        cached = await self._stored(self.store.cached, key, default=None)
        if cached is not None:
            reply = to_reply(Draft(cached["text"]), self.knowledge, language=lang, engine=cached["engine"])
        else:
            reply = await self._brief(lang, ids, kind)
            if reply.grounded and not reply.notice:
                await self._stored(self.store.cache, key, {"text": reply.extras["draft"], "engine": reply.engine})
        if conversation_id:
            await self.remember(conversation_id, reply)
        if reply.extras.get("transient"):
            return reply
        return replace(reply, follow_ups=self.follow_ups.suggest(reply, briefing=True))

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (the language model, the
        model client): long-running adapters call this before taking traffic.

        Then everything loaded so far is moved out of the garbage collector's reach: it lives
        as long as the process, and scanning it again and again made every request slower
        (slack-bolt deep-copies each request for its lazy listeners, and every copy paid for it).
        """
        detect_language("warm up the language identifier")
        from bot.grounding import warm_up

        warm_up(self.knowledge)
        self.follow_ups.prepare()
        prepare = getattr(self.model, "warm_up", None)
        if prepare is not None:
            prepare()
        self._warmed = True
        self._knowledge_readiness()
        gc.collect()
        gc.freeze()
        _release_free_memory()

    async def check_model(self) -> None:
        """Long-running processes ask at start whether the model takes the key: a rejected key
        switches this process to the offline engine (one line says so); an unreachable server
        is reported and the model kept, since it may come back (the circuit breaker copes)."""
        check = getattr(self.model, "check", None)
        if self.model is None or self.model_rejected or check is None:  # asked without building the engines
            return
        try:
            await asyncio.wait_for(check(), self.settings.answer_deadline)
        except ModelRejected as error:
            self.model_problem = str(error)
            self.model_rejected = True  # knowledge reloads, and the first build if still to come, keep it off too
            with self._building:
                if self._built is not None:
                    self._built = replace(self._built, model_engine=None)
            logger.error("model: %s: answering with the offline engine", error)
        except (ModelError, TimeoutError) as error:
            reason = str(error) or f"no answer within {self.settings.answer_deadline:g} s"
            logger.warning("model: %s: questions get offline answers until it responds", reason)
        else:
            logger.info("model: %r accepts the key", self.model)

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
        engine = self.model_engine
        fallback = lambda: self.offline.answer(question, language, history)  # noqa: E731
        draft = await self._ask_model(lambda: engine.answer(question, language, history), language)
        if isinstance(draft, Reply):
            return draft
        if isinstance(draft, Fallback):
            return self._offline_reply(fallback(), language, draft.notice)
        return await self._checked(draft, language, question=question, fallback=fallback)

    async def _brief(self, language: str, ids: Sequence[str] | None, kind: str) -> Reply:
        if self.model_engine is None:
            return self._offline_reply(self.offline.brief(language, ids), language)
        engine = self.model_engine
        draft = await self._ask_model(lambda: engine.brief(language, ids, kind=kind), language)
        if isinstance(draft, Reply):
            return draft
        if isinstance(draft, Fallback):
            return self._offline_reply(self.offline.brief(language, ids), language, draft.notice)
        if draft.refused:  # a briefing cannot be "not in the article": the model misbehaved
            return self._offline_reply(self.offline.brief(language, ids), language, "not_verified", grounded=False)
        return await self._checked(draft, language, question=None, fallback=lambda: self.offline.brief(language, ids))

    async def _ask_model(self, call, language: str) -> Draft | Reply | Fallback:
        """The model's draft; a busy ``Reply`` when no model slot is free in time; a ``Fallback``
        when the offline engine must answer instead. Model and network failures are logged in
        one line; anything else is a bug, logged with its traceback."""
        try:
            return await self.guard.run(call)
        except Busy as busy:
            logger.warning("busy, question not answered: %s", busy)
            return _transient(message("busy", language), language, self.engine_name, "busy")
        except ModelError as error:
            self.model_problem = str(error)
            logger.warning("model unavailable, answering offline: %s", error)
            return Fallback("model_unavailable")
        except Exception:
            self.model_problem = "an internal error (logged)"
            logger.exception("bug while asking the model; answering offline")
            return Fallback("internal_error")

    async def _rate_limited(self, user: str | None, language: str) -> Reply | None:
        if not user:
            return None
        wait = await self.rate_limit.wait_needed(user)
        if not wait:
            return None
        limit = self.settings.rate_limit_per_minute
        logger.info("rate limit: %s asked more than %s questions in a minute", user, limit)
        text = message("rate_limited", language, limit=limit, seconds=max(1, round(wait)))
        return _transient(text, language, self.engine_name, "rate_limited")

    async def _stored(self, method, *args, default=None):
        """A store call that must not stop an answer: on failure, logged, and ``default``."""
        try:
            return await asyncio.to_thread(method, *args)
        except StoreError as error:
            name = getattr(method, "__name__", None) or method.func.__name__
            logger.warning("store unavailable, answering without it (%s): %s", name, error)
            return default

    async def _checked(self, draft: Draft, language: str, *, question: str | None, fallback) -> Reply:
        from bot.core.verified_reply import decide, log_failures
        from bot.grounding import verify

        engine = self.model_engine.name
        if draft.refused:
            return self._reply(self.offline.refusal(language), language, engine)
        with timed(VERIFICATION_SECONDS, "verification_seconds"):
            verification = verify(draft.text, language, self.knowledge, given=draft.given)  # only what it was shown
            if self.judge is not None and not verification.problems:
                await self.judge.review(verification, self.knowledge)
        log_failures(verification, engine)
        outcome = decide(verification, self.knowledge, language, lambda p: self._on_question(question, p))
        report = {"checked": True, "outcome": outcome.kind, **verification.to_json()}
        if outcome.kind == "shown":
            return self._reply(draft, language, engine, verification=report)
        if outcome.kind == "trimmed":
            return self._reply(Draft(outcome.text), language, engine, notice_key="trimmed", after=True,
                               verification=report)  # fmt: skip
        if outcome.kind == "quoted":
            return self._reply(Draft(outcome.text), language, engine, notice_key="not_verified",
                               verification=report)  # fmt: skip
        fallback_draft = fallback()
        notice = "not_verified_refusal" if fallback_draft.refused else "not_verified"
        reply = self._reply(fallback_draft, language, self.offline.name, notice_key=notice, grounded=False,
                            verification=report)  # fmt: skip
        reply.extras["fallback"] = "not_verified"
        return reply

    def _on_question(self, question: str | None, passages) -> bool:
        """Whether the passages the model cited are about the question at all (a briefing has none)."""
        if not question:
            return True
        concepts = self.offline.index.topic_words(question)
        return not concepts or any(self.offline.index.contains(p, [c]) for p in passages for c in concepts)

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
        reply = self._reply(draft, language, self.offline.name, notice_key=notice, grounded=grounded)
        if notice:
            reply.extras["fallback"] = notice  # why the offline engine answered for the model
        return reply

    def _reply(self, draft: Draft, language: str, engine: str, *, notice_key: str = "", after: bool = False,
               verification: dict | None = None, **extra) -> Reply:  # fmt: skip
        """The reply the user sees: the notice (if any) before the text, or after it for a
        trimmed answer; what is stored for the conversation is the text without the notice."""
        text = draft.text
        if notice_key:
            notice = message(notice_key, language)
            extra["notice"] = notice
            text = f"{text}\n\n_{notice}_" if after else f"_{notice}_\n\n{text}"
        reply = to_reply(Draft(text, refused=draft.refused), self.knowledge, language=language, engine=engine, **extra)
        reply.extras["draft"] = draft.text
        reply.extras["verification"] = verification or {"checked": False}
        return reply

    async def _history(self, conversation_id: str | None) -> list[Turn]:
        if not conversation_id:
            return []
        settings = self.settings
        recent = await self._stored(
            functools.partial(
                self.store.recent_turns,
                conversation_id,
                limit=settings.conversation_turns,
                max_age_seconds=settings.conversation_ttl_hours * 3600,
            ),
            default=[],
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
        await self._stored(self.store.add_turns, conversation_id, turns)


def _release_free_memory() -> None:
    """Give the C allocator's free pages back to the system: the warm-up frees much of what it
    allocated (parsing, building the index), and glibc otherwise keeps it resident for good."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def _model_from_settings(settings: Settings) -> ChatModel:
    from bot.engines.model.openai_client import OpenAIChatModel  # raises ConfigError when OPENAI_API_KEY is missing

    return OpenAIChatModel.from_settings(settings)


def _transient(text: str, language: str, engine: str, why: str) -> Reply:
    """A reply that is no answer, only "not now" (``why``: busy, rate_limited): adapters may show
    it to the asker alone (``extras["transient"]``, which holds ``why``)."""
    return Reply(text, language=language, engine=engine, refused=True, notice=text, extras={"transient": why})
