"""The offline engine reads a question as a reader would: a year is not a count, a company is
not its subsidiary's acronym, "what does X think" wants what someone said, "which GPU maker"
wants a maker, and a sentence's two languages are one sentence.

Each test uses a small article of its own, so that what it shows holds for any article."""

import pytest

from bot.engines.offline.answer_types import question_type

ARTICLE = """\
id: grid
title: "Batterie per Oslo"
title_en: "Batteries for Oslo"
language: it
published: 2026-01-10
passages:
  - id: p1
    it: "La Nordic Battery Works (NBW) fornirà batterie alla rete elettrica di Oslo."
    en: "Nordic Battery Works (NBW) will supply batteries to the Oslo power grid."
  - id: p2
    it: "NBW riceverà 2 miliardi di euro dal comune."
    en: "NBW will receive 2 billion euros from the city council."
  - id: p3
    it: "Come ha sottolineato la direttrice Lena Holm, le batterie di NBW reggeranno i picchi invernali."
    en: "As director Lena Holm pointed out, NBW's batteries will carry the winter peaks."
  - id: p4
    it: "Oslo ha firmato il contratto con NBW dopo una lunga gara pubblica."
    en: "Oslo signed the contract with NBW after a long public tender."
  - id: p5
    it: "Le prime consegne delle batterie sono previste nel 2027."
    en: "The first battery deliveries are planned in 2027."
  - id: p6
    it: "Il contratto durerà dieci anni."
    en: "The contract will run for ten years."
  - id: p7
    it: "L'intesa rafforza la posizione di NBW nel mercato europeo."
    en: "The deal strengthens NBW's position in the European market."
    questions:
      it: ["Cosa cambia per Voltik?"]
  - id: p8
    it: "NBW viene rifornita di migliaia di GPU per simulare la rete."
    en: "NBW is supplied with thousands of GPUs to simulate the grid."
  - id: p9
    it: "Le batterie hanno un'altissima efficienza energetica."
    en: "The batteries are extremely energy efficient."
  - id: p10
    it: "La centralizzazione delle batterie in pochi magazzini solleva interrogativi sulla sicurezza della rete."
    en: "The concentration of batteries in a few warehouses raises questions about the security of the grid."
"""


@pytest.fixture
def briefer(tmp_path, make_briefer):
    (tmp_path / "grid.yaml").write_text(ARTICLE, encoding="utf-8")
    return make_briefer(knowledge_dir=tmp_path)


async def ask(briefer, question, **kwargs):
    reply = await briefer.answer(question, **kwargs)
    return None if reply.refused else reply.citations[0].id


async def test_a_year_is_not_a_count(briefer):
    assert await ask(briefer, "When do the battery deliveries start?") == "grid/p5"
    assert await ask(briefer, "How many battery deliveries are planned?") is None


async def test_a_company_is_not_the_acronym_of_a_name_it_begins(briefer):
    # "NBW" stands for "Nordic Battery Works", not for "Nordic" alone.
    assert await ask(briefer, "How much will Nordic Battery Works receive?") == "grid/p2"
    assert await ask(briefer, "How much will Nordic receive?") is None


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("What does Lena Holm think about the batteries?", "grid/p3"),
        ("Cosa pensa Lena Holm delle batterie?", "grid/p3"),
        ("What does Oslo think about the contract?", None),  # Oslo is named, but says nothing
        ("Cosa ne pensa Oslo del contratto?", None),
    ],
)
async def test_what_someone_thinks_needs_a_passage_that_reports_what_someone_said(briefer, question, passage):
    assert await ask(briefer, question) == passage


async def test_words_that_name_another_kind_of_answer_weigh_little(briefer):
    # "vale" names an amount ("quanto vale"); here the question asks for a duration.
    assert await ask(briefer, "Per quanti anni vale il contratto?") == "grid/p6"


async def test_a_passage_question_about_someone_else_lends_nothing_but_does_not_block(briefer):
    # "cambia" is only in p7's question about Voltik: it is not found, the rest of the question is.
    assert await ask(briefer, "Come cambia la posizione di NBW nel mercato?") == "grid/p7"


@pytest.mark.parametrize(
    "question",
    [
        "Which GPU maker supplies NBW?",  # the passage has GPUs and NBW, but no maker
        "Quale produttore di GPU rifornisce NBW?",
    ],
)
async def test_the_thing_a_which_question_asks_for_must_be_in_the_passage(briefer, question):
    assert await ask(briefer, question) is None


async def test_what_kind_of_thing_is_asked_for_is_found(briefer):
    assert await ask(briefer, "What kind of GPUs is NBW supplied with?") == "grid/p8"


async def test_quanta_asks_for_a_quantity_of_the_thing_and_no_passage_gives_one(briefer):
    # "Quanta energia": a quantity of energy, not a price (round 12); no passage states one.
    assert question_type("Quanta energia consumeranno le batterie?").name == "measure"
    assert await ask(briefer, "Quanta energia consumeranno le batterie?") is None


async def test_a_passage_and_its_translation_are_one_sentence(briefer):
    # "concentrare" is found only in the English "concentration", "magazzini" only in the Italian:
    # they stand together because the two texts are the same sentence.
    question = "Quali dubbi nascono dal concentrare le batterie in pochi magazzini?"
    assert await ask(briefer, question) == "grid/p10"


async def test_a_follow_up_about_the_parent_company_is_not_answered_from_its_subsidiary(make_briefer):
    # The shipped article: Amazon funds Anthropic; only AWS's deal with OpenAI has a figure.
    briefer = make_briefer()
    first = await briefer.answer("Which competitor of OpenAI does Amazon back?", conversation_id="r")
    follow_up = await briefer.answer("And how much did Amazon invest in it?", conversation_id="r")
    assert [c.id for c in first.citations][:1] == ["openai-aws/p9"]
    assert follow_up.refused and not follow_up.citations


async def test_what_x_with_an_abstract_noun_may_be_answered_without_the_noun(briefer):
    # The passage "raises questions": it answers "what concerns" without saying "concerns".
    # Only agent nouns ("maker", "produttore") must be in the passage.
    question = "What concerns does the concentration of batteries in a few warehouses raise?"
    assert await ask(briefer, question) == "grid/p10"
