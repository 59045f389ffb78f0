"""Round 16 of the offline engine: a remark after the last question mark names no kind of answer;
"secondo quanto riportato" is no amount and "per chi fa IA" no person; "chi sono le due aziende",
"quanti provider", "how many companies", "chi sono gli unici", "who is big enough" ask which
companies; the asker's motive ("lo chiedo perché...", "asking because...") and statements ("I think
I read...", "...perché se è roba di mesi", "readers who...") are asides; figures offered to choose
from are not topic words; a closing single quote is no accent; a quoted question is read alone when
the rest asks nothing else; more chat words ("customer", "anywhere", "purely", "hype", "sostiene",
"argues", "reshape", "ordine di grandezza"); two questions in a row are each answered, and the
message only when both are. Each end-to-end test asserts on the reply a user sees: the passage
cited, or a refusal. Tests marked "cover" or "guard" held before round 16 too."""

import pytest

from bot.engines.offline.answer_types import question_type
from bot.engines.offline.casual import written_out
from tests.support import cited_passages as _cited
from tests.support import knowledge_folder
from tests.test_offline_round11 import NETWORK, _cites

# The Lumen-ADS article (a ten-year deal), with another span of years: one of the figures a
# question about the deal's duration offers to choose from.
TENURE = """\
  - id: p8
    it: "Carla Neri guida ADS da 5 anni."
    en: "Carla Neri has led ADS for 5 years."
"""


@pytest.fixture
def network(tmp_path, make_briefer):
    return make_briefer(knowledge_dir=knowledge_folder(tmp_path, NETWORK))


@pytest.fixture
def tenure(tmp_path, make_briefer):
    return make_briefer(knowledge_dir=knowledge_folder(tmp_path, NETWORK + TENURE))


# 1. A remark after the last question mark


@pytest.mark.parametrize(
    ("question", "kind"),
    [("does the piece explain why this matters for the AI race? our partner thinks it's hype", "reason"),
     ("so why does OpenAI need this deal? my editor wants a box for readers who aren't into tech", "reason")],
)  # fmt: skip
def test_a_remark_after_the_last_question_mark_names_no_kind_of_answer(question, kind):
    # Not "opinion" ("thinks"), not "person" ("readers who").
    assert question_type(question).name == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [("quick q? who signed it", "person"), ("quick question? and when was it signed", "past_date"),
     ("ok? e chi l'ha firmato", "person")],
)  # fmt: skip
def test_a_question_typed_without_its_mark_keeps_its_kind(question, kind):
    # Guard: an interrogative opens what follows the last mark.
    assert question_type(question).name == kind


async def test_a_remark_after_the_question_does_not_change_what_is_asked(shipped):
    question = "so why does OpenAI need this deal? my editor wants a box for readers who aren't into tech"
    assert await _cites(shipped, question) == "openai-aws/p2"


@pytest.mark.parametrize(
    "question",
    ["does the piece explain why Lumen needs thousands of GPUs? our partner thinks it's hype",
     "why does Lumen need thousands of GPUs? my editor wants a box for readers who aren't into networks"],
)  # fmt: skip
async def test_a_remark_after_the_question_does_not_change_what_is_asked_on_any_article(network, question):
    assert await _cites(network, question) == "net/p5"


async def test_a_question_typed_without_its_mark_is_still_answered(shipped):
    # Cover.
    assert await _cites(shipped, "quick q? who signed it") == "openai-aws/p3"


# 2. "Secondo quanto riportato" is no amount; "per chi fa IA" no person


@pytest.mark.parametrize(
    "question",
    ["Anthropic chi la finanzia secondo quanto riportato?", "secondo quanto riportato, chi finanzia Anthropic?"],
)
def test_secondo_quanto_riportato_is_no_amount(question):
    assert question_type(question).name == "person"


def test_quanto_still_asks_an_amount_beside_secondo_quanto_riportato():
    # Guard.
    assert question_type("quanto vale l'accordo secondo quanto riportato?").name == "amount"


@pytest.mark.parametrize("question", ["cosa cambia per chi fa IA?", "una buona notizia per chi fa IA?"])
def test_per_chi_fa_ia_is_no_person(question):
    assert question_type(question).name != "person"


async def test_who_funds_according_to_what_is_reported_is_answered(shipped, network):
    assert await _cites(shipped, "Anthropic chi la finanzia secondo quanto riportato?") == "openai-aws/p9"
    assert await _cites(network, "Nodo chi lo finanzia secondo quanto riportato?") == "net/p4"
    # Cover: an amount asked "secondo quanto riportato".
    assert await _cites(network, "quanto vale l'accordo secondo quanto riportato?") == "net/p1"


@pytest.mark.parametrize(
    ("question", "passage"),
    [("per chi fa IA, qual è il vero collo di bottiglia?", "openai-aws/p5"),
     ("la potenza di calcolo è il vero limite per chi fa IA?", "openai-aws/p5")],
)  # fmt: skip
async def test_per_chi_fa_ia_is_answered(shipped, question, passage):
    # Cover (answered before round 16 too).
    assert await _cites(shipped, question) == passage


# 3. and 11. Which companies


@pytest.mark.parametrize(
    "question",
    ["chi sono di preciso le due aziende che hanno firmato?", "quanti provider ci sono?",
     "how many companies can provide it?", "how many providers are there?"],
)  # fmt: skip
def test_these_ask_which_companies(question):
    assert question_type(question).name == "organisations"


@pytest.mark.parametrize("question", ["how many GPUs does OpenAI need?", "quante GPU servono?"])
def test_how_many_of_a_thing_still_asks_a_count(question):
    # Guard.
    assert question_type(question).name == "count"


async def test_the_two_companies_that_signed_are_the_leads(shipped):
    # Only the lead: not also the subtitle, which names one company.
    assert await _cited(shipped, "chi sono di preciso le due aziende che hanno firmato?") == ["openai-aws/p3"]


async def test_how_many_providers_is_answered_by_the_passage_listing_them(shipped):
    assert "openai-aws/p6" in await _cited(shipped, "quanti provider ci sono?")


@pytest.mark.parametrize(
    "question",
    ["how many companies can provide the GPUs?", "how many providers can supply the GPUs?"],
)  # fmt: skip
async def test_which_companies_can_is_answered_by_the_passage_listing_them_on_any_article(network, question):
    assert await _cites(network, question) == "net/p5"


async def test_the_only_ones_who_fund_someone_are_who_funds_them(shipped):
    # Guard: "the only ones" is no question about several companies able to do something (a cue
    # read so was dropped in round 16: it refused this).
    assert await _cites(shipped, "chi sono gli unici che finanziano Anthropic?") == "openai-aws/p9"


async def test_how_many_gpus_is_still_answered_by_the_count(shipped):
    # Cover.
    assert await _cites(shipped, "how many GPUs does OpenAI need?") == "openai-aws/p6"


@pytest.mark.parametrize(
    "question",
    ["who are the only ones who can confirm when the systems go live?", "who is big enough to build the data centers?"],
)
async def test_the_only_ones_able_to_do_what_the_article_does_not_say_stay_refused(shipped, question):
    # Guards.
    assert await _cited(shipped, question) == []


@pytest.mark.parametrize(
    "question",
    [
        "who is big enough to confirm the go-live date?",
        "who are the only ones who can confirm when the network goes live?",
    ],
)
async def test_the_only_ones_able_to_do_what_the_article_does_not_say_stay_refused_on_any_article(network, question):
    # Guards.
    assert await _cited(network, question) == []


# 4. The asker's motive


async def test_a_motive_said_to_the_bot_is_still_a_motive(shipped):
    question = "perché OpenAI ha bisogno di tanta capacità di calcolo? te lo chiedo perché domani c'è il consiglio"
    assert await _cites(shipped, question) == "openai-aws/p6"


@pytest.mark.parametrize(
    "question", ["la domanda banale: quanto dura l'accordo?", "scusate la domanda scema, quanto dura l'accordo?"]
)
async def test_apologies_for_a_simple_question_are_chat(shipped, question):
    assert await _cites(shipped, question) in ("openai-aws/p2", "openai-aws/p3")


@pytest.mark.parametrize(
    ("question", "alone"),
    [("perché OpenAI ha bisogno di tanta capacità di calcolo? lo chiedo perché anche da noi si discute di server",
      "perché OpenAI ha bisogno di tanta capacità di calcolo?"),
     ("why does OpenAI need so much computing capacity? asking because our CTO wants to know when we'll need more "
      "servers", "why does OpenAI need so much computing capacity?"),
     ("why does OpenAI need so much computing capacity? asking because our board meets tomorrow",
      "why does OpenAI need so much computing capacity?")],
)  # fmt: skip
async def test_the_askers_motive_is_set_aside(shipped, question, alone):
    # The last is cover (answered alike before round 16).
    cited = await _cited(shipped, question)
    assert cited and cited == await _cited(shipped, alone)


@pytest.mark.parametrize(
    ("question", "passage"),
    [("perché Lumen ha bisogno di migliaia di GPU? lo chiedo perché anche da noi si discute di server", "net/p5"),
     ("quanto vale l'accordo tra Lumen e ADS? lo chiedo perché domani c'è il consiglio", "net/p1"),
     ("why does Lumen need thousands of GPUs? asking because our CTO wants to know when we'll need more servers",
      "net/p5")],
)  # fmt: skip
async def test_the_askers_motive_is_set_aside_on_any_article(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize(
    "question",
    ["when was the AWS deal signed? asking because I need the exact day for my slide",
     "quando è stato firmato l'accordo con AWS? lo chiedo perché mi serve il giorno preciso"],
)  # fmt: skip
async def test_a_motive_asking_for_a_day_the_article_does_not_give_keeps_the_message_refused(shipped, question):
    # Guards: the rest of the engine's checks still apply.
    assert await _cites(shipped, question) is None


async def test_a_motive_naming_a_company_no_article_names_keeps_the_message_refused(network):
    # Guard: Nvidia is no one the asker owns.
    assert await _cites(network, "why does Lumen need thousands of GPUs? asking because Nvidia says otherwise") is None


# 5. Statements in a sentence that does not ask


@pytest.mark.parametrize(
    "sentence",
    ["I think I read two different things", "ne ho sentite tante, perché se è roba di mesi mi sembra tanto",
     "non ricordo, perché se è roba di mesi mi sembra tanto", "my editor wants a box for readers who aren't into tech"],
)  # fmt: skip
def test_a_statement_does_not_make_the_sentence_ask(sentence):
    from bot.engines.offline.answer_types import as_statement  # new in round 16

    assert question_type(sentence).name is not None  # "think", "perché", "who" read alone
    assert question_type(as_statement(sentence)).name is None


@pytest.mark.parametrize(
    ("question", "passage"),
    [("how long is the Lumen deal? I think I read two different things", "net/p1"),
     ("who funds Nodo? I think I read two different things", "net/p4"),
     ("quanto dura l'accordo tra Lumen e ADS? non ricordo, perché se è roba di mesi mi sembra tanto", "net/p1"),
     ("so why does Lumen need this deal? my editor wants a box for readers who aren't into tech", "net/p1")],
)  # fmt: skip
async def test_a_statement_after_the_question_is_set_aside_on_any_article(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize(
    ("question", "passage"),
    [("quanto dura l'accordo con AWS? non ricordo, perché se è roba di mesi mi sembra tanto", "openai-aws/p3"),
     ("why does OpenAI need so many GPUs? my editor wants a box for readers who aren't into tech", "openai-aws/p6")],
)  # fmt: skip
async def test_a_statement_after_the_question_is_set_aside(shipped, question, passage):
    assert await _cites(shipped, question) == passage


@pytest.mark.parametrize(
    "question",
    ["how long is the deal? I think I need the exact day", "chi finanzia Nodo? credo di aver letto che è Nvidia"],
)
async def test_a_statement_asking_for_more_or_naming_someone_new_keeps_the_message_refused(tenure, question):
    # Guards: an exact day the article does not give; a company no article names.
    assert await _cites(tenure, question) is None


# 6. Figures offered to choose from


@pytest.mark.parametrize(
    ("question", "expected"),
    [("quanto dura l'accordo? 5 anni? 10?", "dieci anni"), ("quanto dura l'accordo, 5 o 10 anni?", "dieci anni"),
     ("how long is the deal, 5 or 10 years?", "ten-year"), ("how long is the ADS deal? 5 years? 10?", "ten-year")],
)  # fmt: skip
async def test_figures_offered_are_not_topic_words_and_the_true_duration_answers(tenure, question, expected):
    # Not the passage on the CEO's five years at ADS.
    reply = await tenure.answer(question)
    assert [c.id for c in reply.citations] == ["net/p1"]
    assert expected in reply.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [("quanto dura l'accordo? 5 anni? 10?", "sette anni"), ("how long is the AWS deal, 5 or 10 years?", "seven years")],
)
async def test_figures_offered_are_not_topic_words_on_the_shipped_article(shipped, question, expected):
    reply = await shipped.answer(question)
    assert not reply.refused
    assert reply.citations[0].id == "openai-aws/p3"
    assert expected in reply.text


async def test_how_long_is_it_with_figures_offered(shipped):
    # Cover: nothing but the figures offered is asked about; answered as before round 16.
    assert await _cites(shipped, "how long is it, 5 or 10 years?") == "openai-aws/p3"


async def test_figures_offered_still_leave_the_topic(tenure, shipped):
    # Cover: the CEO's years at ADS are asked, and answered.
    assert await _cites(tenure, "how long has Carla Neri led ADS, 5 or 10 years?") == "net/p8"
    assert await _cites(shipped, "quanto dura il contratto? 5 anni? 10?") == "openai-aws/p3"


@pytest.mark.parametrize(
    "question", ["quanto dura la garanzia? 5 anni? 10?", "how long is the warranty, 5 or 10 years?"]
)
async def test_figures_offered_about_what_no_article_says_stay_refused(tenure, question):
    # Guards.
    assert await _cites(tenure, question) is None


# 7. A closing single quote is no accent


def test_a_closing_single_quote_is_no_accent():
    assert "meglio'" in written_out("è solo 'più GPU = più meglio'? chiedo", "it")
    assert "megliò" not in written_out("è solo 'più GPU = più meglio'? chiedo", "it")


@pytest.mark.parametrize(
    ("typed", "written"),
    [("dice 'più meglio', chi e' citato?", "dice 'più meglio', chi è citato?"),
     ("e 'quanto' vale?", "e 'quanto' vale?")],
)  # fmt: skip
def test_a_quote_closed_before_and_a_one_word_quote(typed, written):
    # A quote closed earlier leaves a later "e'" an accent; a one-word quote's closing mark is none.
    assert written_out(typed, "it") == written


@pytest.mark.parametrize(
    ("typed", "written"),
    [("e' citato Google?", "è citato Google?"), ("ma e' vero che 'più GPU = più meglio'?", "ma è vero che"),
     ("un po' di contesto", "un po' di contesto")],
)  # fmt: skip
def test_an_apostrophe_for_an_accent_is_still_written_out(typed, written):
    # Guards.
    assert written_out(typed, "it").startswith(written)


@pytest.mark.parametrize("question", ["è solo 'più GPU = più meglio'? chiedo", "è solo 'più GPU = più meglio'?"])
async def test_a_quoted_phrase_ending_the_question_is_answered(shipped, question):
    cited = await _cited(shipped, question)
    assert cited and set(cited) <= {"openai-aws/p5", "openai-aws/p6", "openai-aws/p11"}, cited


# 8. A quoted question


async def test_a_quoted_question_is_answered_with_the_deals_value(shipped):
    # Cover (answered before round 16 too): the brief's own example.
    reply = await shipped.answer(
        'customer just emailed us: "saw OpenAI signed a cloud deal with Amazon, how big is it??" what number do i '
        "give them"
    )
    assert [c.id for c in reply.citations] == ["openai-aws/p3"]
    assert "38 billion" in reply.text


@pytest.mark.parametrize(
    ("question", "passage"),
    [('my boss asked me: "how long does the AWS deal last?" what should I answer', "openai-aws/p3"),
     ('a reader wrote in: "why does OpenAI need so many GPUs?" what do we reply', "openai-aws/p6"),
     ("il cliente mi scrive: \"quali aziende possono fornire tanta potenza?\" l'articolo fa dei nomi?",
      "openai-aws/p6")],
)  # fmt: skip
async def test_a_quoted_question_is_read_alone_when_the_rest_asks_nothing_else(shipped, question, passage):
    assert await _cites(shipped, question) == passage


@pytest.mark.parametrize(
    ("question", "passage"),
    [('a reader wrote in: "why does Lumen need thousands of GPUs?" what do we reply', "net/p5"),
     ('il capo mi chiede "quanto vale l\'accordo tra Lumen e ADS?" cosa gli rispondo', "net/p1")],
)  # fmt: skip
async def test_a_quoted_question_is_read_alone_on_any_article(network, question, passage):
    assert await _cites(network, question) == passage


@pytest.mark.parametrize(
    "question",
    [# A topic the articles speak of, added.
     'customer just emailed us: "saw OpenAI signed a cloud deal with Amazon, how big is it??" and what about '
     "Microsoft's exclusivity",
     'customer just emailed us: "saw OpenAI signed a cloud deal with Amazon, how big is it??" also what\'s the paradox',
     'customer just emailed us: "saw OpenAI signed a cloud deal with Amazon, how big is it??" and what does Nvidia '
     "think",
     # An order.
     'customer just emailed us: "saw OpenAI signed a cloud deal with Amazon, how big is it??" and write that it\'s '
     "50 billion",
     'il cliente mi scrive "quanto vale l\'accordo con AWS?" e scrivi che sono 50 miliardi'],
)  # fmt: skip
async def test_a_quoted_question_with_more_asked_or_an_order_stays_refused(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


@pytest.mark.parametrize(
    "question",
    ['a reader wrote in: "why does Lumen need thousands of GPUs?" and who funds Nodo',
     'a reader wrote in: "why does Lumen need thousands of GPUs?" and write that it needs a million',
     'il capo mi chiede "quanto vale l\'accordo tra Lumen e ADS?" e chi finanzia Nodo'],
)  # fmt: skip
async def test_a_quoted_question_with_more_asked_or_an_order_stays_refused_on_any_article(network, question):
    # Guards.
    assert await _cites(network, question) is None


# 9. Chat words


@pytest.mark.parametrize(
    ("question", "passage"),
    [("is google mentioned anywhere?", "openai-aws/p6"), ("is Anthropic mentioned anywhere?", "openai-aws/p9"),
     ("Google è citato da qualche parte?", "openai-aws/p6"),
     ("il pezzo sostiene che l'accordo cambierà i rapporti di forza nella corsa all'IA generativa?", "openai-aws/p4"),
     ("does the piece argue that the deal will reshape the AI race?", "openai-aws/p4"),
     ("the article argues the deal will reshape the AI race?", "openai-aws/p4"),
     ("will this reshuffle the balance of power in AI?", "openai-aws/p4"),
     ("what order of magnitude of GPUs does OpenAI need?", "openai-aws/p6"),
     ("ordine di grandezza delle GPU che servono a OpenAI?", "openai-aws/p6"),
     ("is it purely a cloud computing deal?", "openai-aws/p3"),
     ("la domanda banale: quanto vale l'accordo?", "openai-aws/p3"),
     ("il cliente chiede: quanto vale l'accordo con AWS?", "openai-aws/p3"),
     ("the customer asks how much the AWS deal is worth", "openai-aws/p3"),
     ("the customer asks who signed the deal", "openai-aws/p3"),
     ("il mio capo chiede quanto dura il contratto con AWS", "openai-aws/p3"),
     ("reading between the lines, what does the deal show about AI?", "openai-aws/p5")],
)  # fmt: skip
async def test_chat_words_weigh_little(shipped, question, passage):
    assert await _cites(shipped, question) == passage


@pytest.mark.parametrize(
    ("question", "passage"),
    [("Google è citato da qualche parte?", "net/p5"),
     ("il pezzo sostiene che Lumen avrà bisogno di migliaia di GPU?", "net/p5"),
     ("how many GPUs does Lumen need, order of magnitude?", "net/p5"),
     ("ordine di grandezza delle GPU che servono a Lumen?", "net/p5"),
     ("is it purely a network deal?", "net/p1"), ("la domanda banale: chi finanzia Nodo?", "net/p4"),
     ("il cliente insiste, quanto vale l'accordo tra Lumen e ADS?", "net/p1"),
     ("mi spieghi un po' perché Lumen ha bisogno di migliaia di GPU?", "net/p5"),
     ("reading between the lines, who funds Nodo?", "net/p4"), ("the customer asks who funds Nodo", "net/p4"),
     ("a customer asks how much the Lumen deal is worth", "net/p1")],
)  # fmt: skip
async def test_chat_words_weigh_little_on_any_article(network, question, passage):
    assert await _cites(network, question) == passage


async def test_anywhere_is_answered_by_the_passages_naming_the_company_on_any_article(network):
    cited = await _cited(network, "is Idrogest mentioned anywhere?")
    assert cited and set(cited) <= {"net/p3", "net/p5"}, cited


@pytest.mark.parametrize(
    ("question", "passage"),
    [("in plain words, why does OpenAI need so many GPUs?", "openai-aws/p6"),
     ("what's the paradox, in plain words?", "openai-aws/p9"),
     ("should we treat this as the end of the Microsoft exclusivity?", "openai-aws/p7"),
     ("can we treat compute as the real bottleneck in AI?", "openai-aws/p5"),
     ("il mio capo insiste: quanto dura il contratto con AWS?", "openai-aws/p3"),
     ("mi sembra strano: Amazon finanzia anche Anthropic?", "openai-aws/p9"),
     ("un po' di contesto: perché OpenAI ha bisogno di tante GPU?", "openai-aws/p6")],
)  # fmt: skip
async def test_more_chat_words_weigh_little(shipped, question, passage):
    # Cover (answered before round 16 too).
    assert await _cites(shipped, question) == passage


@pytest.mark.parametrize(
    "question",
    ["is Nvidia mentioned anywhere?", "Nvidia è citata da qualche parte?",
     "il pezzo sostiene che l'accordo cambierà i rapporti di forza tra Nvidia e Intel?",
     "does the piece argue that the deal will reshape the chip market?",
     "the article argues that Nvidia will lose out?"],
)  # fmt: skip
async def test_what_the_articles_do_not_say_stays_refused_with_chat_words(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


@pytest.mark.parametrize(
    ("first", "passage"),
    [("chi è citato nell'articolo?", "openai-aws/p8"), ("chi viene citato?", "openai-aws/p8")],
)
async def test_cosa_sostiene_after_who_is_quoted_asks_what_was_said(shipped, first, passage):
    # What the AWS CEO said, not the paradox (p9) as before round 16.
    assert await _cites(shipped, first, "c1") == passage
    assert await _cites(shipped, "cosa sostiene?", "c1") == passage


@pytest.mark.parametrize(("first", "follow_up"), [("chi è citato nell'articolo?", "cosa sostiene?"),
                                                  ("chi parla nell'articolo?", "e cosa sostiene?")])  # fmt: skip
async def test_cosa_sostiene_after_who_is_quoted_asks_what_was_said_on_any_article(network, first, follow_up):
    assert await _cites(network, first, "c1") == "net/p2"
    assert await _cites(network, follow_up, "c1") == "net/p2"


async def test_cosa_sostiene_opening_a_conversation_is_refused(shipped):
    # Nobody to refer to (answered with the paradox before round 16).
    assert await _cites(shipped, "cosa sostiene?") is None


# 10. Two questions in a row


@pytest.mark.parametrize(
    ("question", "passages"),
    [("quanto dura l'accordo? e entro quando sarà tutto attivo?", ["openai-aws/p3", "openai-aws/p12"]),
     ("how long does the deal run? and when does it go live?", ["openai-aws/p3", "openai-aws/p12"])],
)  # fmt: skip
async def test_two_questions_each_asking_its_kind_are_both_answered(shipped, question, passages):
    # The whole message finds the go-live passage alone; each question asks its own kind of answer.
    assert await _cited(shipped, question) == passages


async def test_a_second_question_offering_an_option_leaves_the_whole_message_read(shipped):
    # Cover: "cloud?" asks no kind of its own; the message is read whole, as before round 16 (the
    # deal's passage says what it is for), not split into two questions.
    assert (await _cited(shipped, "accordo per cosa esattamente? cloud?"))[0] == "openai-aws/p3"


@pytest.mark.parametrize(
    ("question", "passages"),
    [("quanto vale l'accordo con AWS? e chi finanzia Anthropic?", ["openai-aws/p3", "openai-aws/p9"]),
     ("how much is the AWS deal worth? and who funds Anthropic?", ["openai-aws/p3", "openai-aws/p9"]),
     ("chi finanzia Anthropic? e quanto vale l'accordo?", ["openai-aws/p9", "openai-aws/p3"]),
     ("who runs AWS? and who funds Anthropic?", ["openai-aws/p8", "openai-aws/p9"]),
     ("chi è il CEO di AWS? e quanto vale l'accordo?", ["openai-aws/p8", "openai-aws/p3"])],
)  # fmt: skip
async def test_two_questions_in_a_row_are_each_answered(shipped, question, passages):
    # The first question's passage, then the second's.
    assert await _cited(shipped, question) == passages


@pytest.mark.parametrize(
    ("question", "passages"),
    [("quanto vale l'accordo? e chi finanzia Nodo?", ["net/p1", "net/p4"]),
     ("how much is the Lumen deal worth? and who funds Nodo?", ["net/p1", "net/p4"]),
     ("chi è il CEO di ADS? e chi finanzia Nodo?", ["net/p2", "net/p4"]),
     ("who is ADS's CEO? and who funds Nodo?", ["net/p2", "net/p4"])],
)  # fmt: skip
async def test_two_questions_in_a_row_are_each_answered_on_any_article(network, question, passages):
    assert await _cited(network, question) == passages


@pytest.mark.parametrize(
    "question",
    ["quanto dura l'accordo con AWS? e chi è il CEO di OpenAI?",
     "chi è il CEO di OpenAI? e quanto vale l'accordo con AWS?",
     "who is OpenAI's CEO? and how much is the AWS deal worth?", "who funds Anthropic? and who is the CEO of OpenAI?",
     "how much is the deal worth? and when was it signed exactly?",
     "quanto vale l'accordo? e quanto paga OpenAI ogni anno?",
     "chi guida AWS? e quanto è costato il contratto all'anno?"],
)  # fmt: skip
async def test_two_questions_one_of_which_is_not_answered_are_refused(shipped, question):
    # Guards: a message half answered is not answered.
    assert await _cites(shipped, question) is None


@pytest.mark.parametrize(
    "question",
    ["chi è il CEO di Lumen? e chi finanzia Nodo?", "who funds Nodo? and who is Lumen's CEO?",
     "quanto vale l'accordo? e quanto paga Lumen ogni anno?"],
)  # fmt: skip
async def test_two_questions_one_of_which_is_not_answered_are_refused_on_any_article(network, question):
    # Guards.
    assert await _cites(network, question) is None
