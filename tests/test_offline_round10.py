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


FLEET = """\
id: fleet
title: "Ferrovie del Nord rinnova la flotta"
title_en: "Ferrovie del Nord renews its fleet"
language: it
published: 2026-05-01
passages:
  - id: p1
    it: "Ferrovie del Nord ha ordinato a Treno Alto centinaia di nuovi convogli elettrici per le linee regionali."
    en: "Ferrovie del Nord ordered hundreds of new electric trains from Treno Alto for its regional lines."
  - id: p2
    it: "I primi convogli entreranno in servizio nella primavera del 2027."
    en: "The first trains will enter service in the spring of 2027."
"""


@pytest.mark.parametrize(
    "question",
    [
        "di quanti convogli parliamo più o meno?",
        "di quanti convogli parliamo grosso modo?",
        "roughly how many trains did they order?",
        "how many trains more or less?",
    ],
)
async def test_an_approximate_count_answers_a_question_asking_roughly(tmp_path, make_briefer, question):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, FLEET), offline_paraphrases=False).answer(
        question
    )
    assert not reply.refused and reply.citations[0].id == "fleet/p1"


async def test_asking_roughly_does_not_answer_what_the_article_does_not_count(tmp_path, make_briefer):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, FLEET)).answer(
        "roughly how many drivers will be hired?"
    )
    assert reply.refused and not reply.citations


RIVAL = """\
id: rival
title: "Ferrovie del Nord sceglie Treno Alto"
title_en: "Ferrovie del Nord picks Treno Alto"
language: it
published: 2026-05-02
passages:
  - id: p1
    it: "Ferrovie del Nord ha scelto i convogli di Treno Alto, diretto concorrente di Rotaia Sud."
    en: "Ferrovie del Nord chose the trains of Treno Alto, a direct competitor of Rotaia Sud."
  - id: p2
    it: "Come ha sottolineato il capo di Treno Alto, Carla Neri, i convogli sono i più leggeri."
    en: "As Treno Alto's head Carla Neri pointed out, the trains are the lightest."
"""


@pytest.mark.parametrize(
    "question",
    [
        "chi è il concorrente diretto di Rotaia Sud che viene citato",
        "who is the direct competitor of Rotaia Sud that is mentioned?",
    ],
)
async def test_a_relative_clause_saying_which_one_does_not_ask_who_speaks(tmp_path, make_briefer, question):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, RIVAL), offline_paraphrases=False).answer(
        question
    )
    assert not reply.refused and reply.citations[0].id == "rival/p1"


async def test_who_is_quoted_still_asks_who_speaks(tmp_path, make_briefer):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, RIVAL)).answer("who commented for Treno Alto?")
    assert not reply.refused and reply.citations[0].id == "rival/p2"


TENDER = """\
id: tender
title: "Treno Alto vince la gara di Ferrovie del Nord"
title_en: "Treno Alto wins the Ferrovie del Nord tender"
language: it
published: 2026-05-03
passages:
  - id: p1
    it: "Ferrovie del Nord ha ordinato a Treno Alto centinaia di nuovi convogli per le linee regionali."
    en: "Ferrovie del Nord ordered hundreds of new trains from Treno Alto for its regional lines."
  - id: p2
    it: "La scelta conferma che a contare non è solo il comfort, ma soprattutto la velocità dei convogli."
    en: "The choice confirms that what counts is not only the comfort, but above all the speed of the trains."
"""


@pytest.mark.parametrize(
    "question",
    [
        "what mattered more for winning here, comfort or speed?",
        "per vincere la gara conta di più il comfort o la velocità?",
    ],
)
async def test_a_choice_between_two_options_is_answered_by_the_passage_holding_both(tmp_path, make_briefer, question):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, TENDER)).answer(question)
    assert not reply.refused and reply.citations[0].id == "tender/p2"


async def test_a_choice_between_options_the_article_never_weighs_is_refused(tmp_path, make_briefer):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, TENDER)).answer(
        "what mattered more for winning here, reliability or safety?"
    )
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    "question",
    [
        "per quando sono in servizio, 2026?",
        "when do they enter service, 2026?",
    ],
)
async def test_a_question_about_when_stating_a_year_to_check_is_answered_with_the_true_date(
    tmp_path, make_briefer, question
):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, FLEET), offline_paraphrases=False).answer(
        question
    )
    assert not reply.refused and reply.citations[0].id == "fleet/p2"


async def test_a_stated_year_does_not_answer_when_something_never_said_happens(tmp_path, make_briefer):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, FLEET)).answer(
        "when will the new depot open, 2026?"
    )
    assert reply.refused and not reply.citations


BACKERS = """\
id: backers
title: "Treno Alto: 300 milioni di euro per un posto in prima fila"
title_en: "Treno Alto: 300 million euros for a place in the front row"
language: it
published: 2026-05-04
passages:
  - id: p1
    role: title
    it: "Treno Alto: 300 milioni di euro per un posto in prima fila"
    en: "Treno Alto: 300 million euros for a place in the front row"
  - id: p2
    it: "Treno Alto è sostenuta finanziariamente dalla banca Credito Alpino."
    en: "Treno Alto is financially backed by the bank Credito Alpino."
"""


async def test_a_very_common_synonym_does_not_stand_for_what_is_asked(tmp_path, make_briefer):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, BACKERS))
    await briefer.answer("Chi sostiene Treno Alto?", conversation_id="backers")
    reply = await briefer.answer("e quanti soldi ci ha investito?", conversation_id="backers")
    assert reply.refused and not reply.citations


async def test_the_target_date_asks_for_a_date(tmp_path, make_briefer):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, FLEET)).answer(
        "What's the expected date for the first trains?"
    )
    assert not reply.refused and reply.citations[0].id == "fleet/p2"


GRID = """\
id: grid
title: "La rete elettrica frena le auto elettriche"
title_en: "The power grid slows electric cars"
language: it
published: 2026-05-05
passages:
  - id: p1
    it: "Secondo lo studio, la rete di ricarica è il vero collo di bottiglia per la diffusione delle auto elettriche."
    en: "According to the study, the charging network has become the real bottleneck for the spread of electric cars."
  - id: p2
    it: "Le vendite di auto elettriche sono cresciute del 20% nel 2025."
    en: "Sales of electric cars grew by 20% in 2025."
"""


@pytest.mark.parametrize(
    "question", ["qual è il freno principale per le auto elettriche?", "qual è oggi il principale freno?"]
)
async def test_the_everyday_brake_is_the_articles_bottleneck(tmp_path, make_briefer, question):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, GRID), offline_paraphrases=False).answer(
        question
    )
    assert not reply.refused and reply.citations[0].id == "grid/p1"


CHARGE = """\
id: charge
title: "Le colonnine di ricarica si concentrano"
title_en: "Charging points are concentrating"
language: it
published: 2026-05-06
passages:
  - id: p1
    it: "La concentrazione delle colonnine di ricarica in pochi operatori solleva dubbi sulla concorrenza e sui prezzi."
    en: "The concentration of charging points in a few operators raises doubts about competition and prices."
  - id: p2
    it: "Le colonnine installate in Italia sono 60.000."
    en: "There are 60,000 charging points installed in Italy."
"""


@pytest.mark.parametrize(
    "question",
    [
        "ci sono rischi se le colonnine finiscono in mano a pochi big?",
        "are there risks if charging points end up in the hands of a few big names?",
    ],
)
async def test_whether_there_are_risks_in_everyday_words_is_answered_by_the_concerns(tmp_path, make_briefer, question):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, CHARGE), offline_paraphrases=False).answer(
        question
    )
    assert not reply.refused and reply.citations[0].id == "charge/p1"


async def test_asking_whether_there_are_risks_the_article_never_raises_is_refused(tmp_path, make_briefer):
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, CHARGE)).answer(
        "ci sono rischi per la salute di chi vive vicino alle colonnine?"
    )
    assert reply.refused and not reply.citations
