"""Round 4 of the offline engine (issue 12): a passage that holds a question's words but not
what it asks for does not answer. An amount in another currency or unit, a thing that belongs
to someone else, the named value of a thing the passage leaves unnamed, and a follow-up that
asks something new about someone are refused; the questions the passage does answer still are."""

import pytest

from bot.engines.offline.answer_types import question_type

CHIPS_ARTICLE = """\
id: chips
title: "OpenAI sceglie i chip"
title_en: "OpenAI picks its chips"
language: it
published: 2026-02-01
passages:
  - id: p1
    it: "OpenAI userà GPU Nvidia GB200 nei nuovi centri dati, secondo il piano annunciato a gennaio."
    en: "OpenAI will use Nvidia GB200 GPUs in the new data centres, under the plan announced in January."
  - id: p2
    it: "Microsoft, che ospita da anni i modelli di OpenAI, non ha commentato la scelta delle GPU."
    en: "Microsoft, which has hosted OpenAI's models for years, did not comment on the choice of GPUs."
"""


@pytest.mark.parametrize(
    ("question", "units"),
    [
        ("What does the contract cost in euros?", {"eur"}),
        ("Quanto costa il contratto in sterline?", {"gbp"}),
        ("How many megawatts will the data centres use?", {"mw"}),
        ("How much is the deal worth?", set()),
    ],
)
def test_the_unit_an_amount_is_asked_in_is_read_from_the_question(question, units):
    assert question_type(question).units == units


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What does the contract cost in dollars?", True),
        ("What does the contract cost in euros?", False),
        ("Quanto costa il contratto in dollari?", True),
        ("Quanto costa il contratto in sterline?", False),
    ],
)
async def test_an_amount_in_another_currency_does_not_answer(make_briefer, question, answered):
    reply = await make_briefer().answer(question)
    assert reply.refused is not answered
    if answered:
        assert reply.citations[0].id == "openai-aws/p3" and "38" in reply.text


async def test_a_thing_someone_else_has_does_not_answer_for_the_name_asked_about(make_briefer):
    # The article counts the GPUs OpenAI needs; Microsoft is named in the same sentence, far from them.
    briefer = make_briefer()
    own = await briefer.answer("How many GPUs does OpenAI need?")
    others = await briefer.answer("How many of Microsoft's GPUs does OpenAI need?")
    assert not own.refused and own.citations[0].id == "openai-aws/p6"
    assert others.refused and not others.citations


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("Which GPU model will OpenAI use?", True),
        ("Quale modello di GPU userà OpenAI?", True),
        ("Which model of GPU does Microsoft host?", False),  # p2 names GPUs, but no model of them
    ],
)
async def test_which_model_needs_a_passage_that_names_it(tmp_path, make_briefer, question, answered):
    (tmp_path / "chips.yaml").write_text(CHIPS_ARTICLE, encoding="utf-8")
    reply = await make_briefer(knowledge_dir=tmp_path).answer(question)
    assert reply.refused is not answered
    if answered:
        assert reply.citations[0].id == "chips/p1"


async def test_the_shipped_article_names_no_model_of_gpu(make_briefer):
    briefer = make_briefer()
    assert (await briefer.answer("What model of GPU does OpenAI want?")).refused
    assert (await briefer.answer("Che modello di GPU serve a OpenAI?")).refused


async def test_a_follow_up_asking_something_new_about_someone_is_a_new_question(make_briefer):
    briefer = make_briefer()
    first = await briefer.answer("Does the deal end OpenAI's exclusive tie with Microsoft?", conversation_id="ms")
    assert not first.refused and first.citations[0].id == "openai-aws/p7"
    new = await briefer.answer("And how did Microsoft respond?", conversation_id="ms")
    assert new.refused and not new.citations
    # a follow-up that only points back ("he") is still read with the previous question
    boss = await briefer.answer("Who runs AWS?", conversation_id="boss")
    said = await briefer.answer("And what did he say?", conversation_id="boss")
    assert boss.citations[0].id == "openai-aws/p8" and said.citations[0].id == "openai-aws/p8"
