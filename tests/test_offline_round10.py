"""Round 10 of the offline engine (issue 12): traps that borrow a passage's names but ask about
something it never says are refused, and more everyday questions are answered. Each test asserts
on the reply a user sees: answered, citing which passage, or refused."""

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
    it: "Aquavia ha firmato con il comune un contratto da 400 milioni di euro della durata di quindici anni."
    en: "Aquavia signed a 400 million euro contract lasting fifteen years with the town."
  - id: p2
    it: "Il comune e Aquavia puntano a rendere operativo l'impianto entro la metà del 2028."
    en: "The town and Aquavia aim to make the plant operational by the middle of 2028."
  - id: p3
    it: "La scelta di Aquavia da parte del comune segna la fine dell'esclusiva con Idrogest."
    en: "The town's choice of Aquavia marks the end of its exclusivity with Idrogest."
"""


@pytest.mark.parametrize(
    "question",
    [
        "does Idrogest still own a stake in Aquavia after this",
        "ok e alla scadenza si può rinnovare o no?",
    ],
)
async def test_a_yes_no_question_about_something_never_said_is_refused(tmp_path, make_briefer, question):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, PLANT)).answer(question)
    assert reply.refused and not reply.citations


async def test_a_yes_no_question_about_what_a_passage_says_is_answered(tmp_path, make_briefer):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, PLANT)).answer(
        "is the exclusivity with Idrogest over?"
    )
    assert not reply.refused and reply.citations[0].id == "plant/p3"
