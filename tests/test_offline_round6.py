"""Round 6 of the offline engine (issue 12): more of the paraphrases people ask are answered,
and nothing the articles do not say. Each test asserts on the reply a user sees: answered,
citing which passage, or refused."""

import pytest

from tests.support import knowledge_folder


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


EXPLAINED = """\
id: port
title: "Il porto di Vela cambia gestore"
title_en: "The port of Vela changes operator"
language: it
published: 2026-04-01
passages:
  - id: p1
    it: "La gara crea però un conflitto di interessi: Marenord, infatti, controlla anche il terminal rivale di Sasso."
    en: "The tender creates a conflict of interest: Marenord, in fact, also controls the rival terminal at Sasso."
  - id: p2
    it: "Marenord gestirà il porto di Vela per dieci anni."
    en: "Marenord will run the port of Vela for ten years."
"""


@pytest.mark.parametrize("question", ["Why is there a conflict of interest?", "Perché c'è un conflitto di interessi?"])
async def test_why_is_answered_by_an_explanation_after_a_colon(tmp_path, make_briefer, question):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, EXPLAINED), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == "port/p1"


@pytest.mark.parametrize(
    "question", ["Why does Marenord control the Sasso terminal?", "Perché Marenord controlla il terminal di Sasso?"]
)
async def test_the_explanation_does_not_answer_why_about_what_it_says(tmp_path, make_briefer, question):
    # What follows the colon explains the conflict; it does not say why Marenord controls Sasso.
    reply = await make_briefer(knowledge_dir=knowledge_folder(tmp_path, EXPLAINED)).answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    ("question", "passage"),
    [("why is it a paradox?", "openai-aws/p9"), ("Perché si parla di paradosso?", "openai-aws/p9")],
)
async def test_why_the_shipped_article_speaks_of_a_paradox(make_briefer, question, passage):
    reply = await make_briefer().answer(question)
    assert not reply.refused and reply.citations[0].id == passage


async def test_why_amazon_funds_anthropic_is_still_refused(make_briefer):
    reply = await make_briefer().answer("Why did Amazon decide to fund Anthropic?")
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("How long does the partnership run for?", "openai-aws/p3"),
        ("How much are they paying?", "openai-aws/p3"),
        ("Di quanti soldi parliamo?", "openai-aws/p3"),
    ],
)
async def test_a_question_asking_only_for_a_quantity_is_answered_by_meaning(make_briefer, question, passage):
    # None of their words is the article's: the passage nearest in meaning that states the
    # quantity answers.
    reply = await make_briefer().answer(question)
    assert not reply.refused and reply.citations[0].id == passage


@pytest.mark.parametrize(
    "question",
    [
        "How many engineers will work on the project?",  # too far in meaning from any passage
        "Quanto vale l'accordo in euro?",  # the passage states dollars
        "How much is Google paying?",  # names someone: never read this way
        "How much does it cost to train a model?",  # the articles speak of models: it is about that
        "Quanto costa addestrare un modello?",
    ],
)
async def test_a_quantity_the_article_does_not_state_is_still_refused(make_briefer, question):
    reply = await make_briefer().answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    "question",
    [
        "Will OpenAI renew the contract after the seven years?",
        "OpenAI rinnoverà il contratto dopo i sette anni?",
        "Will Amazon stop funding Anthropic?",
        "Is Amazon going to stop funding Anthropic?",
    ],
)
async def test_what_will_happen_is_refused_when_no_passage_says_it(make_briefer, question):
    # The deal's passage and the Anthropic passage hold most of these words; neither says it will happen.
    reply = await make_briefer().answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    "question",
    [
        "Will the new systems be energy efficient?",
        "Will the systems be ready by 2026?",
        "I nuovi sistemi saranno efficienti?",
    ],
)
async def test_what_will_happen_is_answered_when_a_passage_says_it(make_briefer, question):
    reply = await make_briefer().answer(question)
    assert not reply.refused and reply.citations[0].id == "openai-aws/p12"


@pytest.mark.parametrize(
    "question",
    [
        "Will AWS raise its prices for OpenAI?",  # "raise" is a generic verb, but here it is the event
        "Will OpenAI leave Microsoft entirely?",  # "leave" only meets "parte" through a synonym
        "OpenAI abbandonerà del tutto Microsoft?",
    ],
)
async def test_the_event_asked_about_must_be_said_as_such(make_briefer, question):
    reply = await make_briefer().answer(question)
    assert reply.refused and not reply.citations


async def test_words_about_the_article_need_not_be_in_the_passage(make_briefer):
    reply = await make_briefer().answer("According to the article, will the systems be ready by 2026?")
    assert not reply.refused and reply.citations[0].id == "openai-aws/p12"


async def test_which_companies_is_answered_by_the_passage_naming_several(make_briefer):
    # The positioning passage (p10) names only Amazon and ranked first; p6 names AWS, Microsoft and Google.
    reply = await make_briefer().answer("Quali aziende sono in grado di fornire un'infrastruttura del genere?")
    assert not reply.refused and reply.citations[0].id == "openai-aws/p6"


@pytest.mark.parametrize(
    "question",
    [
        # "OpenAI and AWS signed...": one company besides the one asked about is not a list of them.
        "Which cloud players could handle OpenAI's needs?",
        # The Garman passage names AWS and OpenAI, not cloud giants that could carry such loads.
        "Quali colossi del cloud possono reggere carichi del genere?",
    ],
)
async def test_which_companies_is_not_answered_by_a_passage_naming_one_besides_those_asked(make_briefer, question):
    reply = await make_briefer().answer(question)
    assert reply.refused or reply.citations[0].id == "openai-aws/p6"


async def test_a_follow_up_asking_only_for_another_kind_of_answer_is_read_with_the_previous_question(make_briefer):
    # "tempo" only names the kind of answer (a duration), and a synonym of it in the Anthropic
    # passage must not make the follow-up look like a question of its own.
    briefer = make_briefer()
    first = await briefer.answer("Quanto vale l'intesa con AWS?", conversation_id="tempo")
    assert first.citations[0].id == "openai-aws/p3"
    reply = await briefer.answer("E per quanto tempo?", conversation_id="tempo")
    assert not reply.refused and reply.citations[0].id == "openai-aws/p3"


MINE = """\
id: mine
title: "Una miniera a Kessel"
title_en: "A mine at Kessel"
language: it
published: 2026-05-01
passages:
  - id: p1
    it: "La nuova miniera darà lavoro a 800 persone della valle."
    en: "The new mine will employ 800 people from the valley."
  - id: p2
    it: "Il progetto della miniera solleva però interrogativi sull'acqua e sulla salute degli abitanti della valle."
    en: "The mine project however raises questions about water and the health of the valley's residents."
"""


@pytest.mark.parametrize(
    "question",
    [
        "What worries does the mine project bring up for the valley?",
        "Quali timori suscita il progetto della miniera nella valle?",
    ],
)
async def test_concerns_are_answered_by_the_passage_that_reports_them(tmp_path, make_briefer, question):
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, MINE), offline_paraphrases=False)
    reply = await briefer.answer(question)
    assert not reply.refused and reply.citations[0].id == "mine/p2"


@pytest.mark.parametrize(
    "question",
    [
        "What concerns come with so much computing power sitting with a handful of firms?",
        "What issues does centralising computing power bring up?",
    ],
)
async def test_the_concerns_about_concentrated_computing_power(make_briefer, question):
    reply = await make_briefer().answer(question)
    assert not reply.refused and reply.citations[0].id == "openai-aws/p11"


@pytest.mark.parametrize("question", ["What risks does the deal pose for Microsoft?", "Quali rischi corre Google?"])
async def test_concerns_the_article_does_not_report_are_refused(make_briefer, question):
    reply = await make_briefer().answer(question)
    assert reply.refused and not reply.citations


@pytest.mark.parametrize("question", ["What is Matt Garman's job?", "Che incarico ha Matt Garman?"])
async def test_a_persons_job_is_their_role(make_briefer, question):
    reply = await make_briefer(offline_paraphrases=False).answer(question)
    assert not reply.refused and reply.citations[0].id == "openai-aws/p8"


async def test_a_job_the_article_does_not_give_is_refused(make_briefer):
    reply = await make_briefer().answer("What is Sam Altman's job?")
    assert reply.refused and not reply.citations


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        # "così / tanta" only stress a word: the passage that holds the others answers.
        ("Chi può fornire una potenza di calcolo così grande?", "openai-aws/p6"),
        ("Quali colossi possono offrire tanta potenza?", "openai-aws/p6"),
        ("Perché la potenza di calcolo è così importante?", "openai-aws/p5"),
    ],
)
async def test_intensifiers_only_stress_a_word(make_briefer, question, passage):
    reply = await make_briefer().answer(question)
    assert not reply.refused and passage in [c.id for c in reply.citations]  # quoted first or second


@pytest.mark.parametrize("question", ["Which companies does Amazon fund?", "Quali aziende finanzia Amazon?"])
async def test_which_companies_is_answered_by_one_named_when_the_passage_says_all_the_rest(make_briefer, question):
    # The list of cloud giants (p6) ranks first but does not answer; the Anthropic passage holds
    # every word of the question and names a company besides Amazon.
    reply = await make_briefer().answer(question)
    assert not reply.refused and reply.citations[0].id == "openai-aws/p9"


async def test_why_about_the_previous_answer_is_answered_by_its_explanation(make_briefer):
    # "odd" is no word of the article: the passage the previous answer quoted explains the
    # paradox after a colon, and answers.
    briefer = make_briefer()
    reply = await briefer.answer("Which competitor of OpenAI gets money from Amazon?", conversation_id="odd")
    assert reply.citations[0].id == "openai-aws/p9"
    reply = await briefer.answer("Why is that odd?", conversation_id="odd")
    assert not reply.refused and reply.citations[0].id == "openai-aws/p9"


async def test_what_we_know_about_a_name_is_what_the_article_says_about_it(make_briefer):
    # "Cosa sappiamo di X?" frames a question like "cosa dice l'articolo di X?"
    reply = await make_briefer().answer("Cosa sappiamo di Anthropic?")
    assert not reply.refused and reply.citations[0].id == "openai-aws/p9"
    reply = await make_briefer().answer("Cosa sappiamo di Oracle?")
    assert reply.refused and not reply.citations
