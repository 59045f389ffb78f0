"""Test doubles at the core's seams, shared by the adapter and digest tests."""

from __future__ import annotations

import asyncio
import textwrap
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.answers.reply import Reply
from bot.config import Settings
from bot.core.briefer import Briefer
from bot.core.lifecycle import Lifecycle

GROUNDED_ANSWER = "OpenAI and AWS signed a seven-year deal worth $38 billion [openai-aws/p3]."


class ScriptedModel:
    """A chat model at the core's seam (llm's MockModel): answers with ``steps`` in order, then
    with ``default`` for good; a step that is an exception is raised. Records every request
    and can be held at a ``gate`` to prove what happens while the model works."""

    name = "openai"

    def __init__(self, *steps: str | Exception, default: str | Exception = GROUNDED_ANSWER,
                 gate: asyncio.Event | None = None) -> None:  # fmt: skip
        self.steps = deque(steps)
        self.default = default
        self.gate = gate
        self.requests: list[list[dict[str, str]]] = []
        self.started = asyncio.Event()

    async def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 600, **options) -> str:
        if "response_format" in options:  # the grounding judge: approves every claim it is shown
            from tests.fakes.openai_server import _approve_all

            return _approve_all({"messages": messages})
        self.requests.append(messages)
        self.started.set()
        if self.gate is not None:
            await self.gate.wait()
        step = self.steps.popleft() if self.steps else self.default
        if isinstance(step, Exception):
            raise step
        return step


class _EveryEventIsNew:
    def claim_event(self, key: str) -> bool:
        return True


class CannedBriefer:
    """Stands in for the core where a test needs a reply the real core would never let through
    (unverifiable text) or a core that raises."""

    def __init__(self, reply: Reply | Exception, store=None) -> None:
        self.reply = reply
        self.store = store or _EveryEventIsNew()
        self.lifecycle = Lifecycle()

    async def answer(
        self, question: str, *, conversation_id: str | None = None, lang: str | None = None, user: str | None = None,
        channel: str | None = None,
    ) -> Reply:  # fmt: skip
        return self._give()

    async def brief(self, *, lang: str = "it", conversation_id: str | None = None, user: str | None = None) -> Reply:
        return self._give()

    async def streams(self) -> bool:
        return False

    async def has_conversation(self, conversation_id: str) -> bool:
        return False

    async def remember(self, conversation_id: str, reply: Reply, *, question: str | None = None) -> None:
        return None

    def _give(self) -> Reply:
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


@asynccontextmanager
async def real_briefer(settings: Settings, model: ScriptedModel | None = None) -> AsyncIterator[Briefer]:
    """The real core on the settings' (temporary) database, with ``model`` at its seam."""
    briefer = Briefer.from_settings(settings, model=model)
    try:
        yield briefer
    finally:
        await briefer.aclose()


async def conversation_stored(briefer, conversation_id: str, *, checks: int = 1000) -> None:
    """Wait until ``conversation_id`` has turns (an adapter records a thread's conversation
    right after posting the answer that opens it, so a test replying at machine speed must
    wait for that write; a person cannot reply that fast)."""
    for _ in range(checks):
        if await briefer.has_conversation(conversation_id):
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"conversation {conversation_id} was never stored")


def knowledge_folder(tmp_path: Path, article_yaml: str) -> Path:
    """A knowledge folder under ``tmp_path`` holding one article (YAML text, dedented): tests of
    the engine on an article of their own, so that what they show holds beyond the shipped one."""
    folder = tmp_path / "knowledge"
    folder.mkdir(exist_ok=True)
    (folder / "article.yaml").write_text(textwrap.dedent(article_yaml), encoding="utf-8")
    return folder


async def cited_passages(briefer, question: str, conversation: str | None = None) -> list[str]:
    """Every passage the reply cites, in order; none when it refuses (and then it cites nothing)."""
    reply = await briefer.answer(question, conversation_id=conversation)
    if reply.refused:
        assert not reply.citations
        return []
    return [c.id for c in reply.citations]


async def answered_from(briefer, question: str, passages: set[str], conversation: str | None = None) -> list[str]:
    """The passages the reply cites, asserting it answers and cites only some of ``passages``."""
    cited = await cited_passages(briefer, question, conversation)
    assert cited and set(cited) <= passages, cited
    return cited


async def briefing_cited(briefer, question: str, key_figure: str) -> list[str]:
    """The passages the reply cites, asserting it is the briefing: not refused, under its header,
    stating the deal's figure as written in the asker's language (``key_figure``)."""
    reply = await briefer.answer(question)
    assert not reply.refused
    assert "**" in reply.text  # the briefing's header
    assert key_figure in reply.text
    return [c.id for c in reply.citations]
