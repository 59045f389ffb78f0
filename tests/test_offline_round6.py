"""Round 6 of the offline engine (issue 12): more of the paraphrases people ask are answered,
and nothing the articles do not say. Each test asserts on the reply a user sees: answered,
citing which passage, or refused."""

import pytest


async def test_a_passage_holding_the_words_together_answers_when_a_scattered_one_ranks_first(make_briefer):
    # The list of possible suppliers (p6) names AWS, OpenAI and "fornire" far apart and ranks
    # first; the deal's passage (p3) holds them together and says what AWS supplies.
    reply = await make_briefer().answer("Che cosa fornirà Amazon Web Services a OpenAI?")
    assert not reply.refused and reply.citations[0].id == "openai-aws/p3"


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        # "Come si chiama il numero uno di...": asks for who holds a role, like "chi è il capo di..."
        ("Come si chiama il numero uno di AWS?", "openai-aws/p8"),
        # "in ballo" (at stake) frames a question about an amount, like "di quanti soldi parliamo"
        ("Quanti soldi ci sono in ballo nell'accordo?", "openai-aws/p3"),
    ],
)
async def test_ordinary_italian_phrasings_are_answered(make_briefer, question, passage):
    reply = await make_briefer(offline_paraphrases=False).answer(question)
    assert not reply.refused and reply.citations[0].id == passage


@pytest.mark.parametrize(
    "question",
    [
        "Come si chiama il fondatore di OpenAI?",  # no passage names OpenAI's founder
        "Quanti soldi ci sono in ballo per Google?",  # no amount stands next to Google
    ],
)
async def test_the_same_phrasings_about_what_the_article_does_not_say_are_refused(make_briefer, question):
    reply = await make_briefer().answer(question)
    assert reply.refused and not reply.citations
