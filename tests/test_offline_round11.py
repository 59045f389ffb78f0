"""Round 11 of the offline engine (issue 12): more of the questions people ask are answered (who
spoke for a company, yes/no questions on a stated fact, "why" about the article's analysis, what a
question sets aside, everyday names of things), and traps that only borrow a passage's names stay
refused. Each test asserts on the reply a user sees: answered, citing which passage, or refused."""

import pytest

from tests.support import knowledge_folder
from tests.test_offline_round10 import PLANT  # an article with a town, its supplier and the one before

NETWORK = """\
id: net
title: "Lumen sceglie ADS: 2 miliardi per la sua rete"
title_en: "Lumen picks ADS: 2 billion for its network"
language: it
published: 2026-04-01
passages:
  - id: p1
    it: >-
      Lumen e Aquavia Digital Services (ADS) hanno firmato un accordo da 2 miliardi di euro della durata di dieci
      anni per la fornitura di servizi di rete.
    en: >-
      Lumen and Aquavia Digital Services (ADS) signed a ten-year deal worth 2 billion euros for the supply of
      network services.
  - id: p2
    it: >-
      Come ha sottolineato il CEO di ADS, Carla Neri, l'ampiezza e la disponibilità immediata della rete ADS sono
      fattori unici per supportare i vasti carichi di lavoro di Lumen.
    en: >-
      As ADS CEO Carla Neri pointed out, the breadth and immediate availability of the ADS network are unique
      factors in supporting Lumen's vast workloads.
  - id: p3
    it: "La scelta di ADS da parte di Lumen segna la fine dell'esclusiva con Idrogest."
    en: "Lumen's choice of ADS marks the end of its exclusivity with Idrogest."
  - id: p4
    it: >-
      Tuttavia, l'accordo crea anche un paradosso nel mercato: Aquavia, infatti, finanzia contemporaneamente Nodo,
      diretto concorrente di Lumen.
    en: >-
      However, the deal also creates a paradox in the market: Aquavia, in fact, at the same time funds Nodo, a
      direct competitor of Lumen.
  - id: p5
    it: >-
      Per sviluppare la sua rete, Lumen necessita di migliaia di GPU, un'infrastruttura che solo pochi colossi del
      cloud come ADS, Idrogest e Google possono fornire.
    en: >-
      To develop its network, Lumen needs thousands of GPUs, an infrastructure that only a few cloud giants such as
      ADS, Idrogest and Google can provide.
  - id: p6
    it: >-
      Questa concentrazione delle GPU in pochi grandi attori solleva interrogativi sulla sicurezza, ma la partita si
      gioca non solo sul software, ma soprattutto sulle reti.
    en: >-
      This concentration of GPUs in a few large players raises questions about security, but the contest is played
      not only on software but above all on networks.
  - id: p7
    it: >-
      Lumen e ADS puntano a rendere operativa la rete entro la fine del 2027, con l'obiettivo di garantire
      un'infrastruttura resiliente ed efficiente.
    en: >-
      Lumen and ADS aim to make the network operational by the end of 2027, with the goal of guaranteeing a
      resilient and efficient infrastructure.
"""


@pytest.fixture
def network(tmp_path, make_briefer):
    return make_briefer(knowledge_dir=knowledge_folder(tmp_path, NETWORK))


async def _cites(briefer, question: str, conversation: str | None = None) -> str | None:
    reply = await briefer.answer(question, conversation_id=conversation)
    if reply.refused:
        assert not reply.citations
        return None
    return reply.citations[0].id


async def test_someone_from_a_company_is_someone_from_its_division_the_article_names(network):
    # "Aquavia Digital Services (ADS)": ADS's CEO speaks for Aquavia, and the follow-up asks what she said.
    assert await _cites(network, "did anyone from Aquavia comment?", "c1") == "net/p2"
    assert await _cites(network, "what did she say?", "c1") == "net/p2"


@pytest.mark.parametrize(
    "question",
    ["how much money did Aquavia put into Nodo?", "who is Aquavia's CEO?", "chi ha fondato Aquavia?"],
)
async def test_a_companys_own_money_or_leaders_are_not_its_divisions(network, question):
    assert await _cites(network, question) is None


async def test_a_follow_up_asking_for_a_kind_the_quoted_passage_lacks_is_not_answered_by_it(network):
    assert await _cites(network, "did anyone from Aquavia comment?", "c2") == "net/p2"
    assert await _cites(network, "and when?", "c2") != "net/p2"


async def test_its_refers_to_the_name_opening_the_sentence(network):
    # "Lumen's choice of ADS marks the end of its exclusivity": the exclusivity is Lumen's.
    assert await _cites(network, "so is Lumen's exclusivity with Idrogest over?") == "net/p3"
    assert await _cites(network, "is ADS's exclusivity over?") is None


async def test_why_about_the_analysis_may_name_who_the_explanation_names(network):
    assert await _cites(network, "perché si parla di paradosso per Aquavia?") == "net/p4"
    # What the explanation says is not explained by it.
    assert await _cites(network, "why does Aquavia fund Nodo?") is None


@pytest.mark.parametrize("question", ["Lumen usa anche Google Cloud?", "does Lumen use Google Cloud too?"])
async def test_a_name_in_several_words_is_not_its_first_word_alone(network, question):
    # The article names Google among possible suppliers, never Google Cloud, nor that Lumen uses it.
    assert await _cites(network, question) is None


async def test_an_italian_yes_no_question_without_a_question_word_is_one(tmp_path, make_briefer):
    # "Idrogest possiede ancora Aquavia?" asks yes or no, as "Idrogest possiede ancora Aquavia, sì o no?":
    # the passage naming both says nothing of owning.
    briefer = make_briefer(knowledge_dir=knowledge_folder(tmp_path, PLANT))
    assert await _cites(briefer, "Idrogest possiede ancora Aquavia?") is None


@pytest.mark.parametrize(
    ("question", "passage"),
    [("is the network meant to be efficient?", "net/p7"), ("did anybody from ADS comment?", "net/p2")],
)
async def test_filler_words_of_everyday_questions_weigh_little(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize("question", ["did anybody from ADS say anything?", "qualcuno di ADS ha detto qualcosa?"])
async def test_whether_someone_said_anything_asks_what_they_said(network, question):
    assert await _cites(network, question) == "net/p2"


@pytest.mark.parametrize("question", ["Che conseguenze ha per Idrogest?", "what impact does it have on Idrogest?"])
async def test_asking_for_the_effects_on_someone_is_asking_what_changes_for_them(network, question):
    assert await _cites(network, question) == "net/p3"


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("Chi altro oltre ad ADS potrebbe fornire le GPU?", "net/p5"),
        ("which giants are named besides Aquavia?", "net/p5"),
        ("besides the date, what are they aiming for with the network?", "net/p7"),
    ],
)
async def test_what_a_question_sets_aside_is_not_what_it_asks(network, question, passage):
    assert await _cites(network, question) == passage


async def test_needing_someone_is_not_their_need(network):
    # "ha bisogno di ADS": Lumen's need, not ADS's.
    assert await _cites(network, "Perché Lumen ha bisogno di ADS?") == "net/p5"


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("what's the risk with all the GPUs in a few hands?", "net/p6"),
        ("Quante schede grafiche servono a Lumen?", "net/p5"),
    ],
)
async def test_everyday_names_of_what_the_article_says(network, question, passage):
    assert await _cites(network, question) == passage


# Known names (the embedder places them near each other) and the questions an editor wrote for
# a passage: the engine finds passages by meaning here, as on the shipped article.
CLOUD = """\
id: oci
title: "Cohere sceglie OCI: 10 miliardi di dollari per la corsa all'IA"
title_en: "Cohere picks OCI: 10 billion dollars for the AI race"
language: it
published: 2026-05-01
passages:
  - id: p1
    it: >-
      Cohere e Oracle Cloud Infrastructure (OCI) hanno siglato un accordo del valore di 10 miliardi di dollari e
      della durata di cinque anni per la fornitura di servizi di cloud computing.
    en: >-
      Cohere and Oracle Cloud Infrastructure (OCI) have signed a deal worth 10 billion dollars, lasting five years,
      for the supply of cloud computing services.
  - id: p2
    it: >-
      Come sottolineato dal CEO di OCI, Clay Magouyrk, l'ampiezza e la disponibilità immediata dell'infrastruttura
      OCI sono fattori unici per supportare i vasti carichi di lavoro di Cohere.
    en: >-
      As OCI CEO Clay Magouyrk pointed out, the breadth and immediate availability of OCI infrastructure are unique
      factors in supporting Cohere's vast workloads.
    questions:
      it:
        - "Chi è l'amministratore delegato di OCI?"
        - "Perché OCI è adatta a Cohere?"
      en:
        - "Who is the chief executive of OCI?"
        - "Why is OCI a good fit for Cohere?"
  - id: p3
    it: >-
      Tuttavia, l'accordo crea anche un paradosso nel mercato: Oracle, infatti, finanzia contemporaneamente Mistral,
      diretta concorrente di Cohere.
    en: >-
      However, the deal also creates a paradox in the market: Oracle, in fact, at the same time funds Mistral, a
      direct competitor of Cohere.
  - id: p4
    it: >-
      Per sviluppare modelli sempre più potenti e complessi, Cohere necessita di un accesso immediato e su vasta
      scala a centinaia di migliaia di GPU e a cluster ottimizzati, un'infrastruttura che solo pochi colossi del
      cloud come OCI, Microsoft e Google possono fornire.
    en: >-
      To develop ever more powerful and complex models, Cohere needs immediate, large-scale access to hundreds of
      thousands of GPUs and to optimized clusters, an infrastructure that only a few cloud giants such as OCI,
      Microsoft and Google can provide.
  - id: p5
    it: >-
      Questo accordo strategico è destinato a ridefinire gli equilibri nella corsa globale all'IA generativa, che si
      gioca non solo sul software ma soprattutto sulle infrastrutture.
    en: >-
      This strategic deal is set to redefine the balance of power in the global race for generative AI, which is
      played not only on software but above all on infrastructure.
"""


@pytest.fixture
def cloud(tmp_path, make_briefer):
    return make_briefer(knowledge_dir=knowledge_folder(tmp_path, CLOUD))


async def test_whether_someone_from_a_company_commented_is_answered_by_their_words(cloud):
    # The CEO's words say nothing of "the deal" by name: asked whether someone commented, what
    # they said answers, and the follow-up asking what he said is answered by the same quote.
    assert await _cites(cloud, "did anyone from Oracle comment on the deal?", "k1") == "oci/p2"
    assert await _cites(cloud, "what did he say?", "k1") == "oci/p2"


@pytest.mark.parametrize(
    "question",
    ["Cosa fornisce esattamente OCI a Cohere?", "What does OCI provide to Cohere exactly?"],
)
async def test_the_passage_saying_what_is_asked_wins_over_one_only_sounding_alike(cloud, question):
    # The CEO's praise of OCI sounds most like the question and names both; the deal says what OCI supplies.
    assert await _cites(cloud, question) == "oci/p1"


async def test_an_adverb_of_manner_weighs_little(cloud):
    assert await _cites(cloud, "cosa fornisce concretamente OCI a Cohere?") == "oci/p1"


@pytest.mark.parametrize(
    "question",
    ["who else could offer that kind of infrastructure?", "Chi altro potrebbe fornire un'infrastruttura del genere?"],
)
async def test_who_else_asks_who(cloud, question):
    # "else / altro" only frame "who": the passage naming the cloud giants answers.
    assert await _cites(cloud, question) == "oci/p4"
