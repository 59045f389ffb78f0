"""Round 18 of the offline engine: a question asking which companies can do a thing is answered by
the passage listing those able ("giants such as AWS, Microsoft and Google can provide"), before one
naming companies doing something else, and "which of the big cloud players", "quali sono i giganti"
ask for organisations; a large figure stated at the wrong scale ("38 milioni", "3.8 billion") that
no passage states is answered by the passage stating it at the true scale, when that passage holds
the question's other topic words, and "confirm", "confermate" weigh little; a question quoting the
article's own words ("paradosso", 'bottleneck', "blindare") is answered by the one passage saying
them, when it names whom the question names and holds the kind asked, and "quando dice che", "when
it says", "tipo quando", "like when" ask no date; "the short version of the article", "dammi la
versione breve" ask for the briefing, and "secondo chi ha scritto l'articolo" asks for no person;
"why AWS specifically?", "perché in particolare" ask what sets it apart (Garman's "unique
factors"). Each test asserts on the reply a user sees: the passages cited, or a refusal. Tests
marked "cover" or "guard" held before round 18 too, unless they say otherwise."""

import pytest

from tests.support import answered_from as _answered_from
from tests.support import briefing_cited
from tests.test_offline_round11 import _cites

DEAL = {"openai-aws/p3"}
TITLE = {"openai-aws/p1"}
DURATION = {"openai-aws/p2", "openai-aws/p3"}
ABLE = {"openai-aws/p6"}
BOTTLENECK = {"openai-aws/p5"}
PARADOX = {"openai-aws/p9"}
UNIQUE = {"openai-aws/p2", "openai-aws/p6", "openai-aws/p8"}
BRIEFING = ["openai-aws/p3", "openai-aws/p6", "openai-aws/p7", "openai-aws/p8", "openai-aws/p9", "openai-aws/p12"]


# 1. Which companies can do a thing


@pytest.mark.parametrize(
    "question",
    ["which companies can actually supply a setup like that?",
     "which companies are able to supply that much computing power?",
     "which of the cloud giants are able to provide that?",
     "which of the big cloud players could provide something like that? just aws?",
     "which of the big cloud companies does the article mention?",
     "quali sono i big del cloud di cui parla l'articolo?",
     "quali sono i giganti del cloud citati?",
     "quali sono le aziende in grado di offrire quel tipo di infrastruttura?"],
)  # fmt: skip
async def test_which_companies_can_do_it_is_answered_by_the_passage_listing_those_able(shipped, question):
    # The last is cover.
    await _answered_from(shipped, question, ABLE)


@pytest.mark.parametrize(
    "question",
    ["quali sono i giganti del cloud che hanno perso la gara?",
     "which companies could supply anthropic with that setup?", "which of the big cloud players is the cheapest?",
     "quali aziende potrebbero comprare openai?"],
)  # fmt: skip
async def test_which_companies_can_do_what_the_article_does_not_say_stays_refused(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


# 2. A figure stated at the wrong scale


@pytest.mark.parametrize(
    ("question", "passages", "true_figure"),
    [("confermi che l'accordo vale 38 milioni di dollari?", DEAL, "38 miliardi"),
     ("confermate che il contratto vale 38 milioni?", DEAL, "38 miliardi"),
     ("il titolo dice 38 milioni?", TITLE, "38 miliardi"),
     ("hold on, isn't the aws deal 38 million?", DEAL, "38 billion"),
     ("my notes say the deal is 38 million dollars, correct?", DEAL, "38 billion"),
     ("can you confirm the deal is 38 million?", DEAL, "38 billion"),
     ("the headline says 38 million, right?", TITLE, "38 billion"),
     ("aspetta, l'accordo con aws non era da 3,8 miliardi?", DEAL, "38 miliardi")],
)  # fmt: skip
async def test_a_figure_at_the_wrong_scale_gets_the_passage_stating_the_true_one(
    shipped, question, passages, true_figure
):
    reply = await shipped.answer(question)
    assert not reply.refused
    assert {c.id for c in reply.citations} <= passages, reply.citations
    assert true_figure in reply.text


@pytest.mark.parametrize(
    "question",
    ["did anthropic get 38 million from amazon?", "è vero che microsoft ha messo 38 milioni in openai?",
     "openai paga 3,8 miliardi all'anno?", "the 38 million deal was signed in october, right?"],
)  # fmt: skip
async def test_a_figure_at_the_wrong_scale_about_what_the_article_does_not_say_stays_refused(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


# 3. The article's own words, quoted


@pytest.mark.parametrize(
    ("question", "passages"),
    [('il mio capo in riunione ha detto "paradosso" tre volte, ma nell\'articolo cosa sarebbe?', PARADOX),
     ("my study group keeps throwing around 'bottleneck'... what does the article actually mean?", BOTTLENECK),
     ('ho sentito "collo di bottiglia" alla radio stamattina, nell\'articolo a cosa si riferisce?', BOTTLENECK),
     ('cosa intende quando dice che amazon crea un "paradosso"?', PARADOX),
     ("what does the piece mean when it says amazon creates a 'paradox'?", PARADOX),
     ('quando scrive "blindare", cosa intende?', TITLE),
     ('tipo quando parla di "collo di bottiglia", che vuol dire?', BOTTLENECK),
     ('explain the "paradox" bit to me, i only skimmed the article', PARADOX)],
)  # fmt: skip
async def test_a_quoted_word_of_the_article_is_answered_by_the_passage_saying_it(shipped, question, passages):
    await _answered_from(shipped, question, passages)


@pytest.mark.parametrize(
    "question",
    ['cos\'è sto "stargate" di cui parlano tutti? c\'entra con l\'accordo?',
     'chi ha detto "collo di bottiglia"? era garman?',
     "what did microsoft say about the 'paradox'? asking for my class",
     "when will the 'bottleneck' be solved?"],
)  # fmt: skip
async def test_a_quoted_word_does_not_make_the_article_answer_what_it_does_not_say(shipped, question):
    # Guards: a word the article does not say, a speaker it does not name, someone it does not quote, a kind it
    # does not hold.
    assert await _cites(shipped, question) is None


# 4. The short version


@pytest.mark.parametrize(
    ("question", "expected"),
    [("can i get the short version of the article?", "$38 billion"),
     ("gimme the short version, i'm in a hurry", "$38 billion"),
     ("what's the brief version of this story?", "$38 billion"),
     ("could anyone give me the short version of the article? got a shift in 10 min", "$38 billion"),
     ("mi dai la versione breve dell'articolo?", "38 miliardi di dollari"),
     ("dammi la versione breve, vado di fretta", "38 miliardi di dollari"),
     ("versione breve dell'articolo? devo uscire tra cinque minuti", "38 miliardi di dollari"),
     ("qual è il succo secondo chi ha scritto l'articolo?", "38 miliardi di dollari")],
)  # fmt: skip
async def test_the_short_version_of_the_article_is_the_briefing(shipped, question, expected):
    assert await briefing_cited(shipped, question, expected) == BRIEFING


@pytest.mark.parametrize(
    ("first", "follow_up", "passages"),
    [("how long does the deal last?", "ok but what exactly, short version please", DURATION),
     ("quanto vale l'accordo?", "cioè esattamente? versione breve pls", DEAL)],
)  # fmt: skip
async def test_a_short_answer_asked_after_a_real_question_is_no_briefing(shipped, first, follow_up, passages):
    # Guards.
    await _answered_from(shipped, first, passages, "c1")
    await _answered_from(shipped, follow_up, passages, "c1")


@pytest.mark.parametrize(
    ("question", "passages"),
    [("secondo chi ha scritto l'articolo, perché l'accordo crea un paradosso?", PARADOX),
     ("secondo chi ha scritto l'articolo quanto dura l'accordo?", DURATION),
     ("secondo chi ha scritto l'articolo, qual è il collo di bottiglia dell'ia?", BOTTLENECK)],
)  # fmt: skip
async def test_secondo_chi_ha_scritto_larticolo_asks_for_no_person(shipped, question, passages):
    # Cover.
    await _answered_from(shipped, question, passages)


@pytest.mark.parametrize(
    "question",
    ["dammi la versione breve dell'articolo su google", "give me the short version of what microsoft said",
     "secondo chi ha scritto l'articolo, cosa ha detto il ceo di openai?"],
)  # fmt: skip
async def test_a_short_version_of_what_the_article_does_not_say_stays_refused(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


# 5. Why AWS specifically


@pytest.mark.parametrize(
    "question",
    ["so why aws specifically? genuinely asking", "why did they go with aws specifically?",
     "why did openai go with aws specifically?",
     "but why amazon specifically, out of everyone?", "ok but why aws of all companies?",
     "perché openai ha scelto aws in particolare?", "perché openai ha puntato su aws in particolare?",
     "ma perché proprio aws, cos'ha di speciale?"],
)  # fmt: skip
async def test_why_aws_specifically_asks_what_sets_it_apart(shipped, question):
    # The last is cover.
    cited = await _answered_from(shipped, question, UNIQUE)
    assert "openai-aws/p8" in cited


@pytest.mark.parametrize(
    "question",
    ["why did openai's ceo choose aws specifically?", "perché proprio aws e non oracle?",
     "why aws specifically, was it cheaper?", "perché in particolare nvidia?"],
)  # fmt: skip
async def test_why_aws_specifically_beside_what_the_article_does_not_say_stays_refused(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


# 6. Regressions the first versions of these rules made, found while testing them


@pytest.mark.parametrize(
    "question",
    ["confermi che openai vale 380 miliardi?", "quindi openai vale 38 milioni?",
     "which of the big cloud players did microsoft partner with?",
     "who used the word 'paradox'?", 'chi ha usato la parola "paradosso"?'],
)  # fmt: skip
async def test_what_the_new_rules_first_answered_wrongly_stays_refused(shipped, question):
    # Guards: refused before round 18, answered by its first versions (OpenAI's own value,
    # Microsoft's partners, who used a word: none of them in the article).
    assert await _cites(shipped, question) is None


# 7. A question asking only for concerns


@pytest.mark.parametrize(
    "question",
    ["does the article mention any downsides or worries?", "any downsides?",
     "what worries does the article raise?", "ci sono rischi?"],
)  # fmt: skip
async def test_a_question_asking_only_for_concerns_gets_the_passage_raising_them(shipped, question):
    await _answered_from(shipped, question, {"openai-aws/p11"})


@pytest.mark.parametrize(
    "question",
    ["any risks for investors?", "any risks for amazon shareholders?", "ci sono rischi per i dipendenti di openai?"],
)  # fmt: skip
async def test_concerns_about_someone_the_article_does_not_speak_of_stay_refused(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


async def test_nominate_weighs_little(shipped):
    await _answered_from(shipped, "quali aziende vengono nominate nell'articolo?", {"openai-aws/p3", "openai-aws/p6"})


@pytest.mark.parametrize(
    "question", ["e Google invece quanto ci ha messo?", "google invece ha firmato qualcosa con openai?"]
)  # fmt: skip
async def test_invece_still_weighs_as_a_topic_word(shipped, question):
    # Guards: "invece" read as chat answered a trap of a check set (round 18, reverted).
    assert await _cites(shipped, question) is None


# 8. People of the asker's world


@pytest.mark.parametrize(
    ("question", "passages"),
    [("ciao! quanto vale l'accordo? la signora Pina me l'ha già chiesto due volte stamattina 😅", DEAL | TITLE),
     ("quanto dura l'accordo? zia Rosa dice dieci anni", DURATION),
     ("how long does the deal last? aunt Mary keeps asking", DURATION),
     ("Marco here. how much is the openai aws deal worth?", DEAL | TITLE)],
)  # fmt: skip
async def test_a_name_after_a_title_or_naming_the_asker_is_the_askers_own(shipped, question, passages):
    await _answered_from(shipped, question, passages)


@pytest.mark.parametrize(
    "question",
    ["how much is the deal worth? nvidia gb200s or what", "quanto vale l'accordo? e quanto ci mette Nvidia?"],
)  # fmt: skip
async def test_a_name_that_is_no_ones_acquaintance_still_blocks(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


async def test_an_emoji_ending_with_a_selector_ends_a_clause(shipped):
    await _answered_from(shipped, "ciao a tutti 🧘‍♀️ quanto dura l'accordo?", DURATION)
