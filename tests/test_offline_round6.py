"""Round 6 of the offline engine (issue 12): more of the paraphrases people ask are answered,
and nothing the articles do not say. Each test asserts on the reply a user sees: answered,
citing which passage, or refused."""


async def test_a_passage_holding_the_words_together_answers_when_a_scattered_one_ranks_first(make_briefer):
    # The list of possible suppliers (p6) names AWS, OpenAI and "fornire" far apart and ranks
    # first; the deal's passage (p3) holds them together and says what AWS supplies.
    reply = await make_briefer().answer("Che cosa fornirà Amazon Web Services a OpenAI?")
    assert not reply.refused and reply.citations[0].id == "openai-aws/p3"
