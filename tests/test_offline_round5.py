"""Round 5 of the offline engine (issue 12): questions asking for a share need a passage that
states one, hypotheticals need a passage that states a condition, and a question centred on a
thing no passage speaks of ("revenue") is refused, however many other words it shares."""


import pytest

from bot.engines.offline.answer_types import question_type
from tests.support import knowledge_folder

BASE = """\
id: plant
title: "Nordlicht apre a Torino"
title_en: "Nordlicht opens in Turin"
language: it
published: 2026-03-02
passages:
  - id: p1
    it: "Nordlicht ha nominato Giulia Ferri amministratrice delegata del gruppo."
    en: "Nordlicht has appointed Giulia Ferri chief executive of the group."
  - id: p2
    it: "L'investimento di Nordlicht nello stabilimento di Torino vale 2 miliardi di euro."
    en: "Nordlicht's investment in the Turin plant is worth 2 billion euros."
  - id: p3
    it: "Lo stabilimento di Torino produrrà batterie per auto elettriche dal 2027."
    en: "The Turin plant will make batteries for electric cars from 2027."
"""
WITH_SHARE_AND_CONDITION = BASE + """\
  - id: p4
    it: "Nordlicht detiene il 12% del mercato europeo delle batterie."
    en: "Nordlicht holds 12% of the European battery market."
  - id: p5
    it: "Se la domanda di batterie calasse, Nordlicht rinvierebbe la seconda linea dello stabilimento."
    en: "If demand for batteries fell, Nordlicht would postpone the plant's second line."
"""


def briefer_for(tmp_path, make_briefer, text):
    return make_briefer(knowledge_dir=knowledge_folder(tmp_path, text))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What percentage of the market does Nordlicht hold?", "percentage"),
        ("What share of the battery market is Nordlicht's?", "percentage"),
        ("Che percentuale del mercato ha Nordlicht?", "percentage"),
        ("Che quota del mercato europeo detiene Nordlicht?", "percentage"),
        ("What would Nordlicht do if demand fell?", "hypothetical"),
        ("What if Nordlicht had built in Spain?", "hypothetical"),
        ("Se la domanda calasse, cosa farebbe Nordlicht?", "hypothetical"),
        ("Cosa succederebbe se Nordlicht avesse scelto la Spagna?", "hypothetical"),
        ("How much is the investment worth?", "amount"),
    ],
)
def test_shares_and_hypotheticals_are_read_from_the_question_in_both_languages(question, kind):
    assert question_type(question).name == kind


@pytest.mark.parametrize(
    "question",
    [
        "What percentage of the Turin investment goes to the plant?",
        "Che percentuale dell'investimento di Nordlicht va allo stabilimento di Torino?",
    ],
)
async def test_a_share_is_not_answered_by_a_passage_without_one(tmp_path, make_briefer, question):
    reply = await briefer_for(tmp_path, make_briefer, BASE).answer(question)
    assert reply.refused and not reply.citations


async def test_a_share_is_answered_by_the_passage_that_states_it(tmp_path, make_briefer):
    reply = await briefer_for(tmp_path, make_briefer, WITH_SHARE_AND_CONDITION).answer(
        "What share of the European battery market does Nordlicht hold?"
    )
    assert not reply.refused and reply.citations[0].id == "plant/p4"


@pytest.mark.parametrize(
    "question",
    [
        "What would the Turin plant make if Nordlicht had invested less?",
        "Se Nordlicht avesse investito meno, cosa produrrebbe lo stabilimento di Torino?",
    ],
)
async def test_a_hypothetical_is_refused_when_no_passage_states_a_condition(tmp_path, make_briefer, question):
    reply = await briefer_for(tmp_path, make_briefer, BASE).answer(question)
    assert reply.refused and not reply.citations


async def test_a_hypothetical_is_answered_by_a_passage_that_states_the_condition(tmp_path, make_briefer):
    reply = await briefer_for(tmp_path, make_briefer, WITH_SHARE_AND_CONDITION).answer(
        "What would Nordlicht do if demand for batteries fell?"
    )
    assert not reply.refused and reply.citations[0].id == "plant/p5"


@pytest.mark.parametrize(
    "question",
    [
        "What is the Turin plant's revenue?",
        "What is Nordlicht's Turin battery plant revenue?",
        "How many employees will the Turin battery plant have?",
        "Qual è il fatturato dello stabilimento di batterie di Torino?",
        "Quanti dipendenti avrà lo stabilimento di batterie di Torino?",
        "How many people work at the Turin battery plant?",
        "Where are Nordlicht's Turin battery warehouses?",
    ],
)
async def test_a_question_centred_on_a_thing_no_passage_mentions_is_refused(tmp_path, make_briefer, question):
    reply = await briefer_for(tmp_path, make_briefer, BASE).answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("What is Nordlicht's investment in the Turin plant worth?", "p2"),
        ("What is the total value of the Turin investment?", "p2"),
        ("Qual è l'investimento di Nordlicht a Torino?", "p2"),
    ],
)
async def test_a_question_centred_on_a_thing_a_passage_holds_is_answered(tmp_path, make_briefer, question, passage):
    reply = await briefer_for(tmp_path, make_briefer, BASE).answer(question)
    assert not reply.refused and reply.citations[0].id == f"plant/{passage}"


WITH_SUPPLIERS = BASE + """\
  - id: p6
    it: >-
      Nordlicht avrà bisogno di 3.000 tecnici per lo stabilimento, una squadra che solo pochi partner
      locali con grandi centri di formazione come Comau, Prima Industrie e Stellantis possono aiutare a formare.
    en: >-
      Nordlicht will need 3,000 technicians for the plant, a workforce that only a few local partners
      with large training centres such as Comau, Prima Industrie and Stellantis can help it train.
"""


async def test_a_quantity_answers_only_for_the_name_it_stands_next_to(tmp_path, make_briefer):
    briefer = briefer_for(tmp_path, make_briefer, WITH_SUPPLIERS)
    own = await briefer.answer("How many technicians will Nordlicht need for the plant?")
    other = await briefer.answer("How many technicians will Stellantis provide for the plant?")
    assert not own.refused and own.citations[0].id == "plant/p6"
    assert other.refused and not other.citations
