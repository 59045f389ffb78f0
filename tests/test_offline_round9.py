"""Round 9 of the offline engine (issue 12): questions the article answers, asked in everyday
words, are answered, and traps stay refused. Each test asserts on the reply a user sees:
answered, citing which passage, or refused."""

import pytest

from tests.support import knowledge_folder

PLANT = """\
id: plant
title: "Aquavia costruirà il dissalatore di Porto Neve"
title_en: "Aquavia will build the Porto Neve desalination plant"
language: it
published: 2026-03-01
passages:
  - id: p1
    it: "Aquavia ha firmato con il comune un contratto da 400 milioni di euro per il dissalatore di Porto Neve."
    en: "Aquavia signed a 400 million euro contract with the town for the Porto Neve desalination plant."
  - id: p2
    it: "Il comune e Aquavia puntano a rendere operativo l'impianto entro la metà del 2028."
    en: "The town and Aquavia aim to make the plant operational by the middle of 2028."
  - id: p3
    it: "Il contratto durerà quindici anni."
    en: "The contract will last fifteen years."
"""


@pytest.mark.parametrize(
    "question",
    [
        "when is it all supposed to be up and running?",
        "when will the plant go live?",
        "per quando è prevista l'entrata in funzione?",
        "quando sarà tutto attivo?",
    ],
)
async def test_when_something_will_be_working_in_everyday_words_is_the_deadline(tmp_path, make_briefer, question):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, PLANT), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == "plant/p2"


@pytest.mark.parametrize(
    "question",
    [
        "how many workers will be running the plant?",
        "quanti dipendenti attivi avrà l'impianto?",
    ],
)
async def test_everyday_words_do_not_answer_what_the_article_does_not_say(tmp_path, make_briefer, question):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, PLANT)).answer(question)
    assert reply.refused and not reply.citations

DAM = """\
id: dam
title: "Idrovia rinnova la diga di Val Serra"
title_en: "Idrovia renews the Val Serra dam"
language: it
published: 2026-04-01
passages:
  - id: p1
    it: "Idrovia e la Regione Alpina hanno firmato un contratto da 90 milioni per rinnovare la diga di Val Serra."
    en: "Idrovia and the Alpine Region signed a 90 million euro contract to renew the Val Serra dam."
  - id: p2
    it: "Questa scelta rafforza Idrovia, leader di mercato nelle dighe, rispetto al suo principale sfidante."
    en: "This choice strengthens Idrovia, the market leader in dams, against its main challenger."
  - id: p3
    it: "Come sottolineato dal presidente della Regione Alpina, Carla Neri, la diga garantirà energia a tutta la valle."
    en: "As the Alpine Region's president, Carla Neri, pointed out, the dam will guarantee power to the whole valley."
"""


async def test_who_is_quoted_is_the_passage_with_someone_and_what_they_said(tmp_path, make_briefer):
    # p2 names a role ("the market leader") but nobody saying anything; p3 quotes the president.
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, DAM)).answer("who gets quoted about the dam?")
    assert not reply.refused and reply.citations[0].id == "dam/p3"


async def test_who_commented_for_a_side_nobody_speaks_for_is_refused(tmp_path, make_briefer):
    # Idrovia is called the market leader, but nobody at Idrovia is quoted.
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, DAM)).answer("who at Idrovia commented?")
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    "question", ["Is it a ten-year contract?", "is this a 20 yr deal?", "è un contratto decennale?"]
)
async def test_a_yes_no_question_stating_a_length_is_answered_by_the_length_the_article_gives(
    tmp_path, make_briefer, question
):
    # The contract lasts fifteen years: the passage saying so answers "is it ten years?" (no).
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, PLANT), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == "plant/p3"


async def test_a_stated_length_of_something_the_article_never_mentions_is_refused(tmp_path, make_briefer):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, PLANT)).answer(
        "Is it a ten-year warranty for the pumps?"
    )
    assert reply.refused and not reply.citations


CHIPS = """\
id: chips
title: "Le fabbriche di auto rallentano"
title_en: "Car factories slow down"
language: it
published: 2026-02-01
passages:
  - id: p1
    it: "Le fabbriche di auto europee hanno ridotto la produzione del dieci per cento."
    en: "European car factories cut production by ten percent."
  - id: p2
    it: "La fornitura di chip è diventata il vero collo di bottiglia del settore."
    en: "The supply of chips has become the real bottleneck of the sector."
"""


@pytest.mark.parametrize(
    "question", ["what is the main constraint on the sector?", "qual è il fattore limitante per il settore?"]
)
async def test_the_limiting_factor_is_the_bottleneck_the_article_names(tmp_path, make_briefer, question):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, CHIPS), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == "chips/p2"


async def test_a_constraint_on_something_the_article_never_mentions_is_refused(tmp_path, make_briefer):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, CHIPS)).answer(
        "what constraint does the new law place on exports?"
    )
    assert reply.refused and not reply.citations
