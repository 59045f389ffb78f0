"""The grounding verifier, alone and end to end: a fake model (a real HTTP server driven by
the real openai SDK) returns planted errors mixed with correct answers."""

from pathlib import Path

import pytest

from bot.grounding.verifier import cited_ids, numbers_in, verify
from bot.knowledge.articles import load_knowledge

KNOWLEDGE = load_knowledge(Path(__file__).resolve().parent.parent / "knowledge")

CORRECT = [
    ("Quanto vale l'accordo?", "L'accordo vale 38 miliardi di dollari e dura sette anni [openai-aws/p3]."),
    ("How much is the deal worth?", "The deal is worth $38 billion over seven years [openai-aws/p3]."),
    ("How long is the deal?", "It is a seven-year agreement [openai-aws/p3]."),
    ("Who is Matt Garman?", "Matt Garman is the CEO of AWS [openai-aws/p8]."),
    ("Quando?", "I nuovi sistemi saranno operativi entro la fine del 2026 [openai-aws/p12]."),
    ("Who funds Anthropic?", "Amazon funds Anthropic, a direct competitor of OpenAI [openai-aws/p9]."),
    ("GPUs?", "OpenAI needs hundreds of thousands of GPUs [p6]."),
    (
        "Briefing",
        "- OpenAI and AWS signed a $38 billion, seven-year deal [openai-aws/p3]\n"
        "- It ends OpenAI's exclusivity with Microsoft's Azure [openai-aws/p7]",
    ),
]
PLANTED = [
    ("person the article never names", "The deal was negotiated by Andy Jassy [openai-aws/p3].", "Jassy"),
    ("wrong amount", "The deal is worth $40 billion [openai-aws/p3].", "40"),
    ("wrong scale", "L'accordo vale 38 milioni di dollari [openai-aws/p3].", "38 milioni"),
    ("wrong year", "The new systems will be operational by the end of 2027 [openai-aws/p12].", "2027"),
    ("invented chip model", "OpenAI will run on Nvidia GB300 chips [openai-aws/p6].", "GB300"),
    ("wrong duration", "The agreement lasts ten years [openai-aws/p3].", "ten years"),
    ("a passage that does not exist", "OpenAI needs many GPUs [openai-aws/p99].", "p99"),
    ("no citation at all", "The deal is worth $38 billion.", None),
    ("a fact cited to the wrong passage", "The deal is worth $38 billion [openai-aws/p9].", None),
]


@pytest.mark.parametrize(("question", "answer"), CORRECT)
def test_correct_answers_pass(question, answer):
    verdict = verify(answer, [i if "/" in i else f"openai-aws/{i}" for i in cited_ids(answer)], KNOWLEDGE)
    assert verdict.grounded, verdict.problems


@pytest.mark.parametrize(("kind", "answer", "_shown"), PLANTED)
def test_planted_errors_are_caught(kind, answer, _shown):
    assert not verify(answer, cited_ids(answer), KNOWLEDGE).grounded, kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("38 miliardi di dollari", {38, 38e9}),
        ("$38 billion", {38, 38e9}),
        ("$38bn", set()),  # glued units are not parsed; the verifier then sees no number at all
        ("sette anni", {7}),
        ("a seven-year deal", {7}),
        ("un accordo settennale", {7}),
        ("38.000 GPU", {38000}),
        ("3,5 per cento", {3.5}),
        ("one of the few", set()),
    ],
)
def test_numbers_are_read_in_both_languages(text, expected):
    assert numbers_in(text) == expected


async def test_end_to_end_every_planted_error_is_caught_and_every_correct_answer_passes(fake_openai, make_briefer):
    briefer = make_briefer(fake_openai)
    for question, answer in CORRECT:
        fake_openai.enqueue(answer)
        reply = await briefer.answer(question)
        assert reply.grounded and reply.engine == "openai", (question, reply)
        assert not reply.notice
    for kind, answer, shown in PLANTED:
        fake_openai.enqueue(answer)
        reply = await briefer.answer("How much is the deal worth and who signed it?", lang="en")
        assert not reply.grounded, kind
        assert reply.engine == "offline"
        assert "could not be verified" in reply.text
        if shown:
            assert shown not in reply.text, kind
        assert all(KNOWLEDGE.passage(c.id) for c in reply.citations)


async def test_a_refusal_from_the_model_is_shown_as_an_honest_refusal(fake_openai, make_briefer):
    briefer = make_briefer(fake_openai)
    fake_openai.enqueue("NOT_IN_ARTICLE")
    reply = await briefer.answer("Who is the CEO of OpenAI?")
    assert reply.refused and reply.engine == "openai" and not reply.citations
    assert reply.text.startswith("The article doesn't say")
