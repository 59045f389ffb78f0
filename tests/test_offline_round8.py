"""Round 8 of the offline engine (issue 12): a question about a detail the article does not give
(a precise figure, the day, the value of something else, a name it never mentions) is refused,
and questions the article does answer are answered. Each test asserts on the reply a user sees:
answered, citing which passage, or refused."""

import pytest

from tests.support import knowledge_folder

WIND = """\
id: wind
title: "Ventora costruirà il parco eolico di Capo Lino"
title_en: "Ventora will build the Capo Lino wind farm"
language: it
published: 2026-05-01
passages:
  - id: p1
    it: "Ventora ha firmato con la regione un contratto da 2 miliardi di euro per il parco eolico di Capo Lino."
    en: "Ventora signed a 2 billion euro contract with the region for the Capo Lino wind farm."
  - id: p2
    it: "Il parco avrà centinaia di turbine e sarà operativo entro la fine del 2029."
    en: "The farm will have hundreds of turbines and will be operational by the end of 2029."
  - id: p3
    it: "Il contratto durerà dodici anni."
    en: "The contract will last twelve years."
  - id: p4
    it: "I cavi sottomarini li fornirà la società Eolis."
    en: "The undersea cables will be supplied by the company Eolis."
"""


@pytest.mark.parametrize(
    "question",
    [
        "Quante turbine esattamente? Mi serve il numero preciso.",
        "how many turbines exactly will the farm have?",
        "in che giorno è stato firmato il contratto?",
        "che giorno è stato firmato il contratto?",
        "on what date was the contract signed?",
    ],
)
async def test_a_precise_figure_or_day_the_article_does_not_give_is_refused(tmp_path, make_briefer, question):
    # p2 gives "hundreds of" turbines, not a number; no passage names the day of the signing.
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, WIND)).answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("quante turbine avrà il parco?", "wind/p2"),
        ("quanti anni dura esattamente il contratto?", "wind/p3"),
        ("quanto vale esattamente il contratto?", "wind/p1"),
        ("entro quando sarà operativo il parco?", "wind/p2"),
    ],
)
async def test_a_figure_or_date_the_article_gives_is_answered(tmp_path, make_briefer, question, passage):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, WIND), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == passage


@pytest.mark.parametrize(
    "question",
    [
        "Eolis ha firmato un contratto con la regione?",  # a name of the article, opening the question
        "Nvidia ha firmato un contratto con la regione?",  # a name no passage holds, opening the question
        "did altman sign the contract with the region?",  # a name no passage holds, in lower case
        "le turbine sono della nvidia?",
        "what kind of turbines? are they from altman",
    ],
)
async def test_a_question_about_a_name_the_article_never_mentions_is_refused_in_any_case(
    tmp_path, make_briefer, question
):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, WIND)).answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("Ventora ha firmato un contratto per il parco?", "wind/p1"),
        ("ventora signed a contract for the wind farm?", "wind/p1"),
        ("chi fornirà i cavi, eolis?", "wind/p4"),
    ],
)
async def test_a_name_the_article_mentions_is_answered_in_any_case(tmp_path, make_briefer, question, passage):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, WIND), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == passage


async def test_a_name_opening_the_question_is_checked_as_a_name(make_briefer):
    # The shipped article names Google only as a possible supplier, and the deal it signed is with AWS.
    reply = await make_briefer().answer("Google ha firmato un accordo simile con OpenAI?")
    assert reply.refused and not reply.citations


VALUED = """\
id: valued
title: "Ventora e Eolis"
title_en: "Ventora and Eolis"
language: it
published: 2026-05-02
passages:
  - id: p1
    it: "Ventora ha firmato con Eolis un contratto da 2 miliardi di euro."
    en: "Ventora signed a 2 billion euro contract with Eolis."
  - id: p2
    it: "La società Eolis vale 9 miliardi di euro in borsa."
    en: "The company Eolis is worth 9 billion euros on the stock market."
"""


@pytest.mark.parametrize("question", ["what is Ventora valued at?", "quanto vale Ventora?"])
async def test_what_a_name_is_worth_is_not_answered_by_the_value_of_its_deal(tmp_path, make_briefer, question):
    # p1 gives the value of the contract Ventora signed, not what Ventora is worth.
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, VALUED)).answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    ("question", "passage"),
    [("quanto vale Eolis?", "valued/p2"), ("quanto vale il contratto tra Ventora e Eolis?", "valued/p1")],
)
async def test_what_a_name_is_worth_is_answered_where_the_article_says_it(tmp_path, make_briefer, question, passage):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, VALUED), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == passage
