"""Round 14 of the offline engine (issue 12): a request for a summary that asks about nothing
beyond the headlines gets the briefing ("a recap of the deal for the team"); a question that
claims a record or an absolute ("the biggest deal ever?", "dropping Idrogest completely?") is
answered only by a passage that states one; a passage that says only what a company can do does
not say whether it did it ("did Google bid too?"); and "signing date?" asks when it was signed.
Each test asserts on the reply a user sees."""

import pytest

from tests.support import knowledge_folder
from tests.test_offline_round11 import _cites
from tests.test_offline_round13 import BRIEFED

RECORD = """\
id: rec
title: "Lumen e ADS: il più grande accordo di rete di sempre"
title_en: "Lumen and ADS: the biggest network deal ever"
language: it
published: 2026-05-01
passages:
  - id: p1
    it: >-
      Lumen e ADS hanno firmato il più grande accordo di rete mai siglato in Europa, del valore di 9 miliardi di
      euro.
    en: "Lumen and ADS signed the largest network deal ever signed in Europe, worth 9 billion euros."
  - id: p2
    it: "Lumen abbandona del tutto la rete di Idrogest entro la fine del 2027."
    en: "Lumen is dropping Idrogest's network completely by the end of 2027."
"""


@pytest.fixture
def network(tmp_path, make_briefer):
    return make_briefer(knowledge_dir=knowledge_folder(tmp_path, BRIEFED))


@pytest.fixture
def record(tmp_path, make_briefer):
    return make_briefer(knowledge_dir=knowledge_folder(tmp_path, RECORD))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("tl;dr of the deal in one line pls", "ten-year deal worth 2 billion"),
        ("tl;dr pls. what's the deal here?", "ten-year deal worth 2 billion"),
        ("riassunto veloce x il team pls", "accordo decennale da 2 miliardi"),
        ("ciao, mi fai un riassuntino in 2 righe dell'accordo tra Lumen e ADS? lo giro al team vendite",
         "accordo decennale da 2 miliardi"),
    ],
)  # fmt: skip
async def test_a_summary_request_about_no_more_than_the_headline_gets_the_briefing(network, question, expected):
    reply = await network.answer(question)
    assert not reply.refused
    assert [c.id for c in reply.citations] == ["net/p1", "net/p4"]
    assert expected in reply.text


async def test_a_summary_of_one_part_of_the_article_is_answered_from_that_part(make_briefer):
    shipped = make_briefer()
    assert await _cites(shipped, "tl;dr on the risks the piece raises?") == "openai-aws/p11"


@pytest.mark.parametrize("question", ["what does the article say about Nvidia?", "cosa dice l'articolo su Oracle?"])
async def test_a_summary_request_about_a_name_no_article_names_is_refused(network, question):
    assert await _cites(network, question) is None


@pytest.mark.parametrize(
    "question",
    ["biggest network deal ever?", "is this the first time Lumen has signed with ADS?",
     "è l'accordo più grande di sempre?", "Lumen ha mai lavorato con ADS prima?"],
)  # fmt: skip
async def test_a_record_the_article_does_not_state_is_refused(network, question):
    assert await _cites(network, question) is None


@pytest.mark.parametrize("question", ["biggest network deal ever?", "è l'accordo più grande di sempre?"])
async def test_a_record_the_article_states_is_answered(record, question):
    assert await _cites(record, question) == "rec/p1"


@pytest.mark.parametrize(
    "question",
    ["so Lumen is dropping Idrogest completely?", "quindi Lumen ha lasciato del tutto Idrogest?",
     "Lumen non lavora più per niente con Idrogest, giusto?"],
)  # fmt: skip
async def test_an_absolute_the_article_does_not_state_is_refused(network, question):
    assert await _cites(network, question) is None


async def test_an_absolute_the_article_states_is_answered(record):
    assert await _cites(record, "so Lumen is dropping Idrogest completely?") == "rec/p2"


async def test_what_the_article_does_say_about_the_exclusivity_is_still_answered(network):
    assert await _cites(network, "does Lumen's exclusivity with Idrogest end?") == "net/p3"


@pytest.mark.parametrize(
    "question",
    ["did Google bid too?", "did Idrogest or Google bid on this too?",
     "Google fornisce GPU a Lumen con un contratto separato?"],
)  # fmt: skip
async def test_what_a_company_can_do_does_not_say_whether_it_did_it(network, question):
    assert await _cites(network, question) is None


@pytest.mark.parametrize(
    "question",
    ["could Google provide the GPUs too?", "is Google mentioned?", "does Google even come up in the article?",
     "Google è in grado di fornire le GPU?"],
)  # fmt: skip
async def test_what_a_company_can_do_answers_a_question_about_what_it_can_do(network, question):
    assert await _cites(network, question) == "net/p5"


@pytest.mark.parametrize("question", ["signing date?", "data della firma?", "when was the deal signed?"])
async def test_when_a_deal_was_signed_is_refused_when_no_date_is_given(network, question):
    assert await _cites(network, question) is None


async def test_when_the_network_is_ready_is_still_answered(network):
    assert await _cites(network, "when will the network be operational?") == "net/p7"


@pytest.mark.parametrize(
    "question",
    ["biggest cloud deal ever?", "is this the largest cloud computing contract ever signed?",
     "so openai is dumping azure completely??", "quindi openai ha lasciato del tutto azure?",
     "did google bid too", "google a sua volta fornisce capacità di calcolo a openai con un contratto separato?"],
)  # fmt: skip
async def test_on_the_shipped_article_claims_it_does_not_make_are_refused(make_briefer, question):
    # Each shares its words with a passage (the deal, the end of the exclusivity, the giants that
    # can supply GPUs) that does not state the claim.
    assert await _cites(make_briefer(), question) is None


@pytest.mark.parametrize(
    ("question", "passage"),
    [("does the deal end openai's exclusivity with azure?", "openai-aws/p7"),
     ("is google one of the few that can provide the gpus?", "openai-aws/p6"),
     ("è un accordo di fornitura o un investimento?", "openai-aws/p3"),
     ("is compute really the bottleneck now or is that just hype?", "openai-aws/p5")],
)  # fmt: skip
async def test_on_the_shipped_article_what_it_does_say_is_answered(make_briefer, question, passage):
    assert await _cites(make_briefer(), question) == passage


@pytest.mark.parametrize(
    ("question", "passage"),
    [("è un accordo di fornitura o un investimento?", "net/p1"),
     ("software or networks, which one does the piece say the contest is really about? pick one", "net/p6"),
     ("is Lumen's exclusivity with Idrogest really over or is that just hype?", "net/p3"),
     ("is it a network services deal or are they buying the hardware outright?", "net/p1")],
)  # fmt: skip
async def test_a_question_offering_alternatives_is_answered_by_what_the_article_says_of_one(
    network, question, passage
):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize(
    "question",
    ["il pagamento dei 2 miliardi è tutto subito o spalmato negli anni?",
     "so does Lumen pay it all in one go or a bit every year?",
     "è il più grande accordo di sempre o solo uno dei tanti?"],
)  # fmt: skip
async def test_alternatives_the_article_says_nothing_of_are_refused(network, question):
    assert await _cites(network, question) is None


@pytest.mark.parametrize(
    ("question", "passage"),
    [("who's Nodo? never heard of them tbh", "net/p4"),
     ("è un accordo di fornitura o un investimento? per noi cambia molto nella modellizzazione", "net/p1")],
)  # fmt: skip
async def test_a_remark_after_the_question_does_not_sink_it(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize(
    "question",
    ["quando l'hanno firmato sto contratto? mi serve il giorno preciso per la slide",
     "e loro come l'hanno presa? immagino non benissimo", "how did Idrogest take it? not well, I bet"],
)  # fmt: skip
async def test_a_remark_that_asks_for_something_or_a_reaction_nobody_gave_is_still_refused(network, question):
    assert await _cites(network, question) is None


@pytest.mark.parametrize(
    "question",
    ["besides ADS who else could actually deliver that kind of infrastructure?",
     "are there other companies besides ADS that could supply this kind of GPU setup?",
     "e oltre ADS chi altro è capace di fornire le GPU?"],
)  # fmt: skip
async def test_who_else_can_do_it_is_answered_by_the_list_of_those_able(network, question):
    assert await _cites(network, question) == "net/p5"


async def test_which_companies_could_do_something_else_is_not_read_off_that_list(network):
    assert await _cites(network, "which other companies could buy Lumen?") is None


@pytest.mark.parametrize(
    "question", ["who is quoted in the article?", "chi parla nell'articolo?", "chi e' citato nell'articolo?"]
)
async def test_who_speaks_in_the_article_is_answered_by_the_one_passage_quoting_someone(network, question):
    assert await _cites(network, question) == "net/p2"


@pytest.mark.parametrize(
    ("question", "passage"),
    [("qual e' il valore dell'accordo?", "net/p1"), ("E' finita l'esclusiva con Idrogest?", "net/p3")],
)
async def test_an_accent_typed_as_an_apostrophe_is_read_as_the_accent(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize(
    "question",
    ["cos'è una GPU?", "what is a GPU?", "cos'è una GPU?? l'articolo ne parla ma non ho idea di cosa sia",
     "what does GPU stand for?", "what's a cluster?"],
)  # fmt: skip
async def test_what_a_term_means_is_refused_when_no_passage_defines_it(make_briefer, question):
    # The shipped article uses "GPU" and "cluster" but never says what one is.
    assert await _cites(make_briefer(), question) is None


@pytest.mark.parametrize("question", ["what does ADS stand for?", "ADS cosa vuol dire?", "cosa significa ADS?"])
async def test_what_an_acronym_means_is_answered_where_the_article_spells_it_out(network, question):
    assert await _cites(network, question) == "net/p1"


@pytest.mark.parametrize(
    "question", ["what does Lumen's boss say about it?", "cosa dice il capo di Lumen?", "what did Lumen's chief say?"]
)
async def test_what_one_companys_boss_said_is_not_answered_with_anothers(network, question):
    # Only ADS's CEO is quoted.
    assert await _cites(network, question) is None


@pytest.mark.parametrize(
    "question", ["what does ADS's boss say?", "cosa dice il capo di ADS?", "cosa ha detto il capo di Aquavia?"]
)
async def test_what_a_companys_boss_said_is_answered_where_its_ceo_is_quoted(network, question):
    assert await _cites(network, question) == "net/p2"


@pytest.mark.parametrize(
    ("question", "passage"),
    [("verifica: il pezzo dice che l'accordo è per servizi di rete o per qualcos'altro?", "net/p1"),
     ("does the article actually call this a 'paradox' or is that my own read?", "net/p4")],
)  # fmt: skip
async def test_checking_what_the_article_says_is_asking_what_it_says(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize(
    "question",
    ["how much is the deal and for how long, bc someone in the standup said it was like 5 years",
     "quanto vale l'accordo e quanto dura? perché un collega ha detto 5 anni"],
)  # fmt: skip
async def test_hearsay_after_the_question_does_not_sink_it(network, question):
    assert await _cites(network, question) == "net/p1"


@pytest.mark.parametrize(
    "question",
    ["key terms in one line pls: who, how much, how long, what for",
     "summarize the deal in one sentence: who, how much, how long", "chi, quanto e per quanto? in due righe"],
)  # fmt: skip
async def test_a_list_of_what_is_asked_or_a_length_gets_the_key_points(network, question):
    reply = await network.answer(question)
    assert [c.id for c in reply.citations] == ["net/p1", "net/p4"]


async def test_several_words_for_one_kind_of_answer_are_still_that_kind(make_briefer):
    assert await _cites(make_briefer(), "tl;dr on the risks/concerns the piece raises?") == "openai-aws/p11"


@pytest.mark.parametrize(
    ("question", "passage"),
    [("ngl i didnt get the Nodo part, whats the paradox they mention", "net/p4"),
     ("cosa intende l'articolo con paradosso, non ho capito", "net/p4"),
     ("can someone unpack the 'paradox' the author points to?", "net/p4"),
     ("currency of the 2bn?", "net/p1"), ("in che valuta sono i 2 miliardi?", "net/p1")],
)  # fmt: skip
async def test_words_of_asking_weigh_little_and_a_currency_is_an_amount(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize(
    ("question", "passage"),
    [("ok so open ai and amazon how much money are we talkin", "openai-aws/p3"),
     ("is this gonna shake up the whole ai race or nah", "openai-aws/p4")],
)  # fmt: skip
async def test_names_in_two_pieces_and_everyday_phrasing_are_read(make_briefer, question, passage):
    assert await _cites(make_briefer(), question) == passage


@pytest.mark.parametrize(
    "question", ["quanto valgono OpenAI e Amazon?", "how much are OpenAI and Anthropic worth?"]
)
async def test_what_two_companies_are_worth_is_not_the_deal_between_them(make_briefer, question):
    assert await _cites(make_briefer(), question) is None


@pytest.mark.parametrize(
    "question",
    ["Buongiorno, stiamo preparando una nota per la clientela: qual è il controvalore complessivo dell'accordo?",
     "Good morning. For our file note on the Lumen–ADS arrangement: what is the value of the agreement?",
     "whats the TCV on the Lumen x ADS deal?"],
)  # fmt: skip
async def test_greetings_and_what_the_answer_is_for_do_not_sink_a_question(network, question):
    assert await _cites(network, question) == "net/p1"


@pytest.mark.parametrize(
    ("question", "passage"),
    [("Nodo pops up in the piece. in what context exactly?", "net/p4"),
     ("where Nodo enters in this story?", "net/p4"),
     ("anything on efficiency? sustainability is big with our enterprise accounts", "net/p7")],
)  # fmt: skip
async def test_asking_where_something_appears_is_asking_about_it(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize(
    ("question", "passage"),
    [("l'articolo parla di un paradosso, me lo spiegate con parole semplici per favore?", "net/p4"),
     ("e su che cosa si gioca soprattutto, a giudizio dell'autore, la partita?", "net/p6")],
)  # fmt: skip
async def test_the_authors_judgement_and_plain_words_are_ways_of_asking(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize("question", ["and what did Idrogest offer?", "what does Google provide to Lumen?"])
async def test_what_a_company_did_is_not_read_off_what_it_can_do(network, question):
    assert await _cites(network, question) is None


@pytest.mark.parametrize("question", ["what can Google provide?", "why ADS and not another cloud giant?"])
async def test_what_a_company_can_do_still_answers_what_it_can_and_why_it_was_chosen(network, question):
    assert await _cites(network, question) == "net/p5"


@pytest.mark.parametrize(
    ("question", "passages"),
    [("in short, why should we care, what's the bigger picture here?", {"openai-aws/p4", "openai-aws/p11"}),
     ("does the piece claim this changes the balance in the genAI race?", {"openai-aws/p4"})],
)  # fmt: skip
async def test_a_summary_word_or_shorthand_does_not_sink_a_question(make_briefer, question, passages):
    assert await _cites(make_briefer(), question) in passages


async def test_slang_does_not_sink_a_follow_up(make_briefer):
    briefer = make_briefer()
    assert await _cites(briefer, "who is quoted in the article?", "c1") == "openai-aws/p8"
    assert await _cites(briefer, "and what's his big argument for why aws? besides 'trust me bro'", "c1") == (
        "openai-aws/p8"
    )


@pytest.mark.parametrize(
    "question", ["wait isnt Aquavia also pouring money into Nodo??", "Aquavia mette soldi anche in altre aziende?"]
)
async def test_putting_money_into_something_is_funding_it(network, question):
    assert await _cites(network, question) == "net/p4"


@pytest.mark.parametrize("question", ["whats the 2B for exactly", "i 2B sono in euro?"])
async def test_a_unit_glued_to_a_figure_is_read(network, question):
    assert await _cites(network, question) == "net/p1"


@pytest.mark.parametrize(
    ("question", "passage"),
    [("did the Lumen boss say anything back? would be nice to quote him too", None),
     ("what did the ADS boss say?", "net/p2")],
)  # fmt: skip
async def test_a_role_right_after_a_company_is_that_companys(network, question, passage):
    assert await _cites(network, question) == passage
