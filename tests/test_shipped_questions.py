"""The questions an editor wrote under each passage of the shipped article (issue 12) are
questions that passage answers: asked of the offline engine in their language, each is
answered quoting that passage. A question the engine answers from another passage, or
refuses, is either wrong for its passage or lends its words where they mislead."""

from pathlib import Path

import pytest

from bot.engines.offline.engine import OfflineEngine
from bot.grounding import cited_ids
from bot.knowledge.articles import load_knowledge

KNOWLEDGE = load_knowledge(Path(__file__).resolve().parent.parent / "knowledge")

# Questions the passage answers that the offline engine does not answer from it (all were in the
# file before issue 12's questions were added; kept, as the editor wrote them). The engine reads
# "why" as asking for a stated reason, and p4 gives none in so many words.
NOT_ANSWERED_FROM_THEIR_PASSAGE = {
    ("p4", "it", "Perché è una mossa strategica?"),
    ("p4", "en", "Why is it a strategic move?"),
}

QUESTIONS = [
    (passage.id.split("/", 1)[1], language, question)
    for passage in KNOWLEDGE.passages
    for language, questions in passage.questions.items()
    for question in questions
]
# A listed question the engine comes to answer from its passage fails the run (strict): take it off the list.
CASES = [
    pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason="listed: not answered from its passage"))
    if case in NOT_ANSWERED_FROM_THEIR_PASSAGE
    else case
    for case in QUESTIONS
]


@pytest.fixture(scope="module")
def engine() -> OfflineEngine:
    return OfflineEngine(KNOWLEDGE)


@pytest.mark.parametrize(("passage", "language", "question"), CASES)
def test_each_question_is_answered_from_its_own_passage(engine, passage, language, question):
    draft = engine.answer(question, language)
    cited = [] if draft.refused else cited_ids(draft.text, KNOWLEDGE)
    # Quoted first, or second beside a passage that says the same thing (the subtitle's
    # "why did OpenAI sign with AWS?" is answered with the deal, p3, and the subtitle, p2).
    assert f"openai-aws/{passage}" in cited, (question, cited)


def test_the_listed_exceptions_are_still_in_the_file():
    assert set(QUESTIONS) >= NOT_ANSWERED_FROM_THEIR_PASSAGE
