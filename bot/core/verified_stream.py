"""Verified streaming: a streaming model's answer passes on claim by claim, each claim only
once the grounding verifier has passed it. A claim that fails is dropped, never shown."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from bot.engines.model.engine import REFUSAL_MARKER
from bot.grounding.claims import ClaimSplitter
from bot.grounding.verifier import Verdict, cited_ids, verify, within_given
from bot.knowledge.articles import KnowledgeBase


def check_claim(claim: str, knowledge: KnowledgeBase) -> Verdict:
    """The one call from streaming into the grounding verifier, for one claim with the ids it cites."""
    return verify(claim, cited_ids(claim), knowledge)


class VerifiedStream:
    """Reads the model's pieces; ``claims()`` yields each verified claim as soon as it passes.

    Afterwards: ``text`` is every verified claim in order (draft text with passage ids),
    ``dropped`` the problems of the claims that failed, ``refused`` whether the model said the
    articles do not cover the question before anything was shown.
    """

    def __init__(
        self, knowledge: KnowledgeBase, qualify_ids: Callable[[str], str], *, given: frozenset[str] | None = None
    ) -> None:
        self.knowledge = knowledge
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
        verdict = within_given(check_claim(claim, self.knowledge), cited_ids(claim), self.given)
        if not verdict.grounded:
            self.dropped.append(verdict.problems)
            return False
        self.text += (self._separator if self.text else "") + claim
        self._separator = ""
        return True
