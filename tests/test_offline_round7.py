"""Round 7 of the offline engine (issue 12): questions typed the way people chat ("whats the
deal worth", "xke...", "isnt it...") are answered like the same questions written in full, and
nothing the articles do not say is. Each test asserts on the reply a user sees: answered,
citing which passage, or refused."""

import pytest

from tests.support import knowledge_folder

PORT = """\
id: port
title: "Marenord vince la gara per il porto di Vela"
title_en: "Marenord wins the tender for the port of Vela"
language: it
published: 2026-04-01
passages:
  - id: p1
    it: "Marenord gestirà il porto di Vela per dieci anni, dopo aver vinto la gara del comune."
    en: "Marenord will run the port of Vela for ten years, after winning the town's tender."
  - id: p2
    it: "La concessione vale 400 milioni di euro."
    en: "The concession is worth 400 million euros."
  - id: p3
    it: "Il sindaco di Vela, Carla Neri, ha detto che i lavori sul molo partiranno entro marzo 2027."
    en: "The mayor of Vela, Carla Neri, said that work on the pier will start by March 2027."
  - id: p4
    it: "Il nuovo terminal sarà pronto entro il 2028 e avrà un'altissima efficienza energetica."
    en: "The new terminal will be ready by 2028 and will be extremely energy efficient."
"""


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("whats the concession worth", "port/p2"),
        ("so how many yrs does marenord run the port", "port/p1"),
        ("wat did the mayor say abt the pier", "port/p3"),
        ("cmq quanto vale la concessione", "port/p2"),
        ("ma quindi x quanti anni gestisce il porto marenord", "port/p1"),
    ],
)
async def test_chat_shorthand_is_read_as_written_in_full(tmp_path, make_briefer, question, passage):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, PORT), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == passage


@pytest.mark.parametrize("question", ["whats the mayor's salary", "cmq quanto guadagna il sindaco"])
async def test_chat_shorthand_about_what_the_article_does_not_say_is_refused(tmp_path, make_briefer, question):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, PORT)).answer(question)
    assert reply.refused and not reply.citations


async def test_going_to_be_asks_what_something_will_be_like_as_will_be_does(tmp_path, make_briefer):
    # "Is X going to be <adjective>" is "will X be <adjective>", which a passage may say in other
    # words ("ready"); only an event ("going to be extended") must be said as such.
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, PORT), offline_paraphrases=False)
    reply = await briefer.answer("is the terminal going to be operational by 2028?")
    assert not reply.refused and reply.citations[0].id == "port/p4"
    refused = await briefer.answer("is the terminal going to be extended?")
    assert refused.refused and not refused.citations


@pytest.mark.parametrize(
    "question",
    [
        "did marenord comment on the tender",
        "marenord ha commentato la gara?",
        "what did Marenord say about the concession?",
        "cosa ha detto Marenord sulla concessione?",
    ],
)
async def test_whether_someone_commented_is_answered_only_by_what_someone_said(tmp_path, make_briefer, question):
    # The tender's passage names Marenord but reports nothing Marenord said.
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, PORT)).answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize("question", ["did the mayor comment on the pier?", "il sindaco ha commentato i lavori?"])
async def test_a_comment_the_article_reports_is_answered(tmp_path, make_briefer, question):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, PORT)).answer(question)
    assert not reply.refused and reply.citations[0].id == "port/p3"


FEES = """\
id: fees
title: "Il canone del porto di Vela"
title_en: "The fee for the port of Vela"
language: it
published: 2026-04-02
passages:
  - id: p1
    it: "La concessione costa a Marenord 40 milioni di euro all'anno."
    en: "The concession costs Marenord 40 million euros a year."
  - id: p2
    it: "Il contratto di concessione è stato firmato il 3 marzo 2026."
    en: "The concession contract was signed on 3 March 2026."
"""


@pytest.mark.parametrize(
    "question",
    [
        "how much is the concession worth per year?",
        "quanto vale la concessione all'anno?",
        "when was the tender won?",
        "quando è stata vinta la gara?",
    ],
)
async def test_a_total_or_a_length_does_not_answer_a_yearly_figure_or_when_it_happened(
    tmp_path, make_briefer, question
):
    # p2 states the concession's total value, p1 how long Marenord runs the port: neither says
    # what it is worth a year, nor when the tender was won.
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, PORT)).answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("how much does the concession cost per year?", "fees/p1"),
        ("quanto costa la concessione all'anno?", "fees/p1"),
        ("when was the contract signed?", "fees/p2"),
        ("quando è stato firmato il contratto?", "fees/p2"),
    ],
)
async def test_a_yearly_figure_or_a_date_the_article_states_is_answered(tmp_path, make_briefer, question, passage):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, FEES), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == passage


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("chi è il tizio di vela citato nel pezzo", "port/p3"),
        ("quindi cmq quanto vale sta roba della concessione", "port/p2"),
    ],
)
async def test_chat_fillers_weigh_nothing(tmp_path, make_briefer, question, passage):
    # "tizio", "roba", "quindi": words of chat that name nothing asked about.
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, PORT), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == passage


@pytest.mark.parametrize(
    "question",
    [
        "how many gpus will microsoft provide",
        "quante gpu fornirà microsoft",
        "How many GPUs will Microsoft provide?",
    ],
)
async def test_names_typed_in_lower_case_are_checked_as_names(make_briefer, question):
    # The passage on GPUs names Microsoft only as one possible supplier, far from the number:
    # typed in lower case, "microsoft" is still the name the question asks about.
    reply = await make_briefer().answer(question)
    assert reply.refused and not reply.citations
