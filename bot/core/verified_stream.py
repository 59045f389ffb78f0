"""Verified streaming: a streaming model's answer passes on claim by claim, each claim only
once the grounding verifier has passed it. A claim that fails is dropped, never shown."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from bot.engines.model.engine import REFUSAL_MARKER
from bot.grounding import check_claim
from bot.grounding.claims import ClaimSplitter, split_answer
from bot.knowledge.articles import KnowledgeBase
from bot.observability.metrics import VERIFICATION_SECONDS
from bot.observability.trace import timed


def streamed_claim_problems(
    text: str, language: str, knowledge: KnowledgeBase, given: frozenset[str] | None
) -> list[str]:
    """The claim-level verifier on one streamed claim: each of its claims goes through
    ``check_claim`` with only the passages the model was shown (citing any other fails it).
    Streamed claims skip the judge."""
    split = split_answer(text, knowledge)
    if not split.groups:
        return ["cites no passage"]
    return [p for claim in split.claims for p in check_claim(claim, language, knowledge, given=given).problems]


class VerifiedStream:
    """Reads the model's pieces; ``claims()`` yields each verified claim as soon as it passes.

    Afterwards: ``text`` is every verified claim in order (draft text with passage ids),
    ``dropped`` the problems of the claims that failed, ``refused`` whether the model said the
    articles do not cover the question before anything was shown.
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        qualify_ids: Callable[[str], str],
        *,
        language: str = "en",
        given: frozenset[str] | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.language = language
        self.qualify_ids = qualify_ids
        self.given = given  # the passages the model was shown, when not all: a claim may cite only those
        self.text = ""
        self.dropped: list[tuple[str, ...]] = []
        self.refused = False
        self._separator = ""

    async def claims(self, pieces: AsyncIterator[str]) -> AsyncIterator[str]:
        splitter = ClaimSplitter()
        async for piece in pieces:
            for claim in splitter.feed(piece):
                if self._passes(claim):
                    yield claim
            if self.refused:
                return
        for claim in splitter.flush():
            if self._passes(claim):
                yield claim

    def _passes(self, claim: str) -> bool:
        if not claim.strip():  # a blank line between paragraphs: kept only between shown claims
            self._separator += claim
            return False
        if REFUSAL_MARKER in claim:
            self.refused = not self.text
            return False
        claim = self.qualify_ids(claim)
        with timed(VERIFICATION_SECONDS, "verification_seconds"):
            problems = streamed_claim_problems(claim, self.language, self.knowledge, self.given)
        if problems:
            self.dropped.append(tuple(problems))
            return False
        self.text += (self._separator if self.text else "") + claim
        self._separator = ""
        return True
