"""Round 12 of the offline engine (issue 12): a follow-up that asks only for a kind of answer ("and
for how much?", "e quanti soldi ci ha messo?") is about what the conversation was about, not about
whichever passage holds that kind of answer. Each test asserts on the reply a user sees."""

import pytest

from tests.support import knowledge_folder
from tests.test_offline_round11 import NETWORK, _cites

# The Lumen-ADS article, with the questions an editor would write under the deal: they lend it
# "money / soldi", as the shipped article's do.
ASKED = """\
    questions:
      it: ["Quanti soldi vale l'accordo?", "Quanto costa il contratto?", "Quanto dura l'accordo?"]
      en: ["How much money is the deal worth?", "What does the contract cost?", "How long is the deal?"]
"""
DEAL = NETWORK.replace("network services.\n", "network services.\n" + ASKED, 1)


@pytest.fixture
def network(tmp_path, make_briefer):
    assert ASKED in DEAL
    return make_briefer(knowledge_dir=knowledge_folder(tmp_path, DEAL))


@pytest.mark.parametrize(
    ("first", "follow_up"),
    [
        ("Aquavia finanzia Nodo?", "e quanti soldi ci ha messo?"),
        ("does Aquavia fund Nodo?", "how much money have they put into it?"),
        ("does Aquavia fund Nodo?", "how much?"),
    ],
)
async def test_how_much_after_a_question_about_a_funding_the_article_does_not_price_is_refused(
    network,
    first,
    follow_up,
):
    # The deal's 2 billion is the only amount: it is not what Aquavia put into Nodo.
    assert await _cites(network, first, "c1") == "net/p4"
    assert await _cites(network, follow_up, "c1") is None


async def test_a_follow_up_to_a_question_the_article_does_not_answer_is_not_answered_either(network):
    assert await _cites(network, "how many employees does Nodo have?", "c2") is None
    assert await _cites(network, "and how much money?", "c2") is None


@pytest.mark.parametrize(
    ("first", "first_passage", "follow_up"),
    [
        ("Did Lumen pick ADS?", "net/p3", "and for how much?"),
        ("chi ha firmato l'accordo?", "net/p1", "e per quanto tempo?"),
        ("chi ha firmato l'accordo?", "net/p1", "e quanti soldi?"),
    ],
)
async def test_how_much_or_how_long_about_the_deal_is_still_answered_by_the_deal(
    network,
    first,
    first_passage,
    follow_up,
):
    assert await _cites(network, first, "c3") == first_passage
    assert await _cites(network, follow_up, "c3") == "net/p1"


async def test_the_same_question_asked_first_is_read_alone(network):
    assert await _cites(network, "how much is the deal worth?") == "net/p1"


@pytest.mark.parametrize(
    "question",
    ["how much infrastructure does Lumen need?", "how much GPU power does Lumen need?",
     "how much cloud does Lumen need?", "di quanta infrastruttura ha bisogno Lumen?"],
)  # fmt: skip
async def test_how_much_of_a_thing_is_answered_by_a_count_of_it(network, question):
    # "How much infrastructure": a quantity of a thing, not money; the thousands of GPUs answer.
    # (In the shipped article, "How much computing power does OpenAI need?" was answered with the
    # deal's price; tests/test_shipped_questions.py now expects the GPUs.)
    assert await _cites(network, question) == "net/p5"


@pytest.mark.parametrize(
    "question", ["how much energy will Lumen's network use?", "quanta energia consumerà la rete di Lumen?"]
)
async def test_how_much_of_a_thing_no_passage_counts_is_refused(network, question):
    assert await _cites(network, question) is None
