"""The grounding verifier: is each claim of a model's answer stated by the passages it cites?

An answer is split into claims (``claims``); each claim is checked against the passages its
own bracket cites (``checks``): the ids exist; links, e-mail addresses, handles and code
appear in those passages; every quantity (value, unit, currency), date and name does too;
and enough of its content words are found there, in either language. A model judge may then
read the claims that passed (``judge``). Nothing here calls the network.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from bot.grounding.checks import link_problems, name_problems, quantity_problems, strip_links, support_problems
from bot.grounding.claims import Claim, SplitAnswer, citation_groups, split_answer
from bot.grounding.evidence import passage_evidence, title_words
from bot.knowledge.articles import KnowledgeBase

__all__ = [
    "Claim", "ClaimResult", "Verification", "check_claim", "citation_groups", "cited_ids", "verify", "warm_up",
]  # fmt: skip


@dataclass
class ClaimResult:
    claim: Claim
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def cites(self) -> bool:
        return bool(self.claim.citations)


@dataclass
class Verification:
    answer: SplitAnswer
    results: list[ClaimResult]
    problems: list[str] = field(default_factory=list)  # about the whole answer
    judge: str = "off"  # "off", "used", "failed: <why>"
    given: frozenset[str] | None = None  # the passages the model was shown, when not all of them

    @property
    def grounded(self) -> bool:
        return not self.problems and bool(self.results) and all(r.ok for r in self.results)

    @property
    def failed(self) -> list[ClaimResult]:
        return [r for r in self.results if not r.ok]

    @property
    def cited(self) -> list[str]:
        return self.answer.cited

    @property
    def cited_given(self) -> list[str]:
        """The cited passages the model was actually shown."""
        return [i for i in self.cited if self.given is None or i in self.given]

    def to_json(self) -> dict:
        return {
            "cited": self.cited,
            "claims_checked": len(self.results),
            "claims_failed": len(self.failed),
            "failed": [
                {"claim": r.claim.text, "cites": [*r.claim.citations, *r.claim.unknown], "reasons": r.problems}
                for r in self.failed
            ],
            "problems": self.problems,
            "judge": self.judge,
        }


def warm_up(knowledge: KnowledgeBase) -> None:
    """Load the word-frequency lists and index every passage now, not on the first answer."""
    for passage in knowledge.passages:
        passage_evidence(passage)
    verify("Warm up [x]. Riscaldamento [x].", "en", knowledge)
    verify("Riscaldamento, due anni [x].", "it", knowledge)


def cited_ids(answer: str, knowledge: KnowledgeBase) -> list[str]:
    """Every passage id the answer cites (short ids resolved), in order of first appearance."""
    return [i for g in citation_groups(answer, knowledge) for i in g.resolved]


def verify(
    answer: str, language: str, knowledge: KnowledgeBase, *, given: Collection[str] | None = None
) -> Verification:
    """``given``: the ids of the passages the model was shown, when it was not shown them all;
    a claim is then checked against those only, and citing any other passage fails it."""
    split = split_answer(answer, knowledge)
    shown = frozenset(given) if given is not None else None
    if not split.groups:
        return Verification(split, [], ["the answer cites no passage"], given=shown)
    results = [check_claim(claim, language, knowledge, given=shown) for claim in split.claims]
    return Verification(split, results, given=shown)


def check_claim(
    claim: Claim, language: str, knowledge: KnowledgeBase, *, given: Collection[str] | None = None
) -> ClaimResult:
    result = ClaimResult(claim)
    problems = result.problems
    problems += [f"cites a passage that does not exist: {i}" for i in claim.unknown]
    shown = [i for i in claim.citations if given is None or i in given]
    problems += [f"cites a passage it was not given: {i}" for i in claim.citations if i not in shown]
    passages = [knowledge.passage(i) for i in shown]
    evidence = [passage_evidence(p) for p in passages]
    if not evidence and claim.intro:
        return result  # "Three points:" before the bullets, which carry their own brackets
    text = claim.text.lstrip(" ,;:—–-").strip()
    articles = {p.article_id: knowledge.article(p.article_id) for p in passages}
    published = [a.published for a in articles.values()]
    titles = frozenset().union(*(title_words(a) for a in articles.values()))
    problems += link_problems(text, evidence)
    plain = strip_links(text)
    problems += quantity_problems(claim, plain, language, evidence, published)
    problems += name_problems(f"{claim.label}: {plain}" if claim.label else plain, language, evidence, titles)
    if not claim.citations and not claim.unknown:
        # An uncited sentence is fine only when it states nothing: no number, name or content.
        if support_problems(claim, plain, language, evidence) or problems:
            problems.append("cites no passage")
        return result
    problems += support_problems(claim, plain, language, evidence)
    return result
