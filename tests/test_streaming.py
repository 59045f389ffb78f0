"""Verified streaming through the real openai SDK against the fake server's server-sent events."""

import asyncio
import itertools
import re
import time

import pytest

from bot.grounding.claims import ClaimSplitter
from tests.fakes.openai_server import Status, Stream
from tests.support import ScriptedModel

TRUE_1 = "OpenAI and AWS signed a seven-year deal [openai-aws/p3]. "
FALSE = "The deal is worth $50 billion and was signed by Sam Altman [openai-aws/p3]. "
TRUE_2 = "It ends the exclusivity with Microsoft's Azure [openai-aws/p7]. "
TRUE_3 = "AWS CEO Matt Garman praised the breadth of AWS infrastructure [openai-aws/p8]."


def tokens(*sentences: str) -> tuple[str, ...]:
    """The text in word-sized pieces, as a model streams it."""
    return tuple(re.findall(r"\S+\s*", "".join(sentences)))


async def collect(briefer, question, **kwargs):
    return [reply async for reply in briefer.answer_stream(question, **kwargs)]


async def test_verified_claims_arrive_in_order_and_a_false_claim_never_does(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(tokens(TRUE_1, FALSE, TRUE_2, TRUE_3)))
    updates = await collect(make_briefer(fake_openai), "Tell me about the deal")
    assert fake_openai.requests[0].json["stream"] is True
    texts = [u.text for u in updates]
    assert texts[0] == "OpenAI and AWS signed a seven-year deal [1]."
    assert texts[1] == f"{texts[0]} It ends the exclusivity with Microsoft's Azure [2]."
    assert texts[2].endswith("AWS CEO Matt Garman praised the breadth of AWS infrastructure [3].")
    for earlier, later in itertools.pairwise(texts):
        assert later.startswith(earlier)  # each update only adds to what is shown
    assert not any("50" in t or "Sam Altman" in t for t in texts)
    final = updates[-1]
    assert final.engine == "openai" and not final.grounded and not final.refused
    assert final.text.endswith("_I left out 1 of the model's statements that the article does not confirm._")
    assert [c.id for c in final.citations] == ["openai-aws/p3", "openai-aws/p7", "openai-aws/p8"]
    assert final.follow_ups and final.language == "en"


async def test_the_first_claim_is_shown_while_the_model_is_still_writing(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(tokens(TRUE_1, TRUE_2, TRUE_3), interval=0.02))
    briefer = make_briefer(fake_openai)
    first_at = None
    async for reply in briefer.answer_stream("Tell me about the deal"):  # noqa: B007 (the last one is checked)
        first_at = first_at or time.perf_counter()
    last_piece_at = fake_openai.stream_log[-1][0]
    assert first_at < last_piece_at - 0.2  # well before the model finished (about 0.5 s of pieces)
    assert reply.grounded and reply.notice == ""


async def test_a_citation_after_the_full_stop_belongs_to_its_sentence(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(tokens("The deal is worth $38 billion. [openai-aws/p3] ", TRUE_2)))
    updates = await collect(make_briefer(fake_openai), "How much?")
    assert updates[0].text == "The deal is worth $38 billion. [1]"
    assert updates[-1].grounded


async def test_a_refusal_streams_as_a_refusal(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(("NOT_", "IN_", "ARTICLE")))
    [reply] = await collect(make_briefer(fake_openai), "Who is Sam Altman?")
    assert reply.refused and reply.text.startswith("The article doesn't say")


async def test_when_no_claim_passes_the_article_answers_and_says_so(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(tokens(FALSE)))
    [reply] = await collect(make_briefer(fake_openai), "Quanto vale l'accordo?")
    assert reply.engine == "offline" and not reply.grounded
    assert reply.text.startswith("_Non sono riuscito a verificare la risposta del modello")
    assert "38 miliardi" in reply.text
    assert "50" not in reply.text


async def test_a_stream_that_breaks_keeps_what_was_verified_and_says_so(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(tokens(TRUE_1, "It ends the exclu"), cut=True))
    updates = await collect(make_briefer(fake_openai), "Tell me about the deal")
    assert updates[0].text == "OpenAI and AWS signed a seven-year deal [1]."
    assert updates[-1].text.startswith(updates[0].text) and "exclu" not in updates[-1].text
    assert updates[-1].text.endswith("_The model stopped mid-answer: what is above is verified._")


async def test_a_stream_that_breaks_before_any_claim_falls_back_to_the_article(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(("OpenAI and AWS",), cut=True))
    [reply] = await collect(make_briefer(fake_openai), "Quanto vale l'accordo?")
    assert reply.engine == "offline" and reply.text.startswith("_Il modello non è raggiungibile")


async def test_a_stream_that_cannot_open_is_retried(fake_openai, make_briefer):
    fake_openai.enqueue(Status(503), Stream(tokens(TRUE_1)))
    reply = (await collect(make_briefer(fake_openai), "Tell me about the deal"))[-1]
    assert reply.engine == "openai" and reply.grounded and len(fake_openai.requests) == 2


async def test_a_streamed_answer_is_remembered_for_follow_ups(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(tokens(TRUE_3)), "He praised the breadth of AWS infrastructure [openai-aws/p8].")
    briefer = make_briefer(fake_openai)
    await collect(briefer, "Who is the AWS CEO?", conversation_id="c-stream")
    await collect(briefer, "What did he say?", conversation_id="c-stream")
    sent = fake_openai.requests[1].messages
    # history (the question, the answer), then the instructions and the question in its own message
    assert [m["role"] for m in sent[-4:]] == ["user", "assistant", "user", "user"]
    assert "[openai-aws/p8]" in sent[-3]["content"] and "What did he say?" in sent[-1]["content"]


@pytest.mark.parametrize("model", [None, ScriptedModel()], ids=["offline", "non-streaming model"])
async def test_engines_that_do_not_stream_give_one_complete_reply(sqlite_url, model):
    from bot.config import Settings
    from tests.support import real_briefer

    settings = Settings(database_url=sqlite_url, engine="openai" if model else "offline")
    async with real_briefer(settings, model) as briefer:
        [reply] = await collect(briefer, "How much is the deal worth?")
    assert not reply.refused and reply.citations[0].id == "openai-aws/p3" and reply.follow_ups


async def test_an_over_long_question_is_refused_before_any_model_call(fake_openai, make_briefer):
    [reply] = await collect(make_briefer(fake_openai), "x" * 2001)
    assert reply.refused and fake_openai.requests == []


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("A [a/p1]. B [a/p2].", ["A [a/p1]. ", "B [a/p2]."]),
        ("Mr. Garman said so [a/p8]. Next [a/p1].", ["Mr. Garman said so [a/p8]. ", "Next [a/p1]."]),
        ("Worth $38.5 billion [a/p3]. Yes [a/p3].", ["Worth $38.5 billion [a/p3]. ", "Yes [a/p3]."]),
        ("Worth 38 billion. [a/p3] Seven years [a/p3].", ["Worth 38 billion. [a/p3] ", "Seven years [a/p3]."]),
        ("Uncited. Then cited [a/p1]. Last [a/p2]", ["Uncited. Then cited [a/p1]. ", "Last [a/p2]"]),
        ("- one [a/p1]\n- two [a/p2]\n\nEnd [a/p3].", ["- one [a/p1]\n", "- two [a/p2]\n", "\n", "End [a/p3]."]),
        ("Heading:\n- one [a/p1]", ["Heading:\n", "- one [a/p1]"]),
        ("NOT_IN_ARTICLE", ["NOT_IN_ARTICLE"]),
    ],
)
def test_claims_are_the_same_however_the_text_is_cut(text, claims):
    for size in (1, 3, len(text)):
        splitter = ClaimSplitter()
        found = [c for start in range(0, len(text), size) for c in splitter.feed(text[start : start + size])]
        found += splitter.flush()
        assert "".join(found) == text
        assert [c.strip() for c in found if c.strip()] == [c.strip() for c in claims if c.strip()], size


# --- the streaming path goes through the same guard as ``answer`` (issue 10) ---------------


async def test_a_model_trickling_its_stream_hits_the_deadline_and_the_article_answers(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(tokens(TRUE_1), interval=0.5))  # a piece every half second: never in time
    briefer = make_briefer(fake_openai, answer_deadline=0.4)
    started = time.perf_counter()
    [reply] = await collect(briefer, "Quanto vale l'accordo?")
    assert time.perf_counter() - started < 2.0
    assert reply.engine == "offline" and reply.text.startswith("_Il modello non è raggiungibile")
    assert "38 miliardi" in reply.text
    assert briefer.model_problem == "the model gave no answer within the 0.4 s deadline"


async def test_past_the_deadline_a_stream_keeps_what_was_verified_and_says_the_model_stopped(
    fake_openai, make_briefer
):
    fake_openai.enqueue(Stream((*tokens(TRUE_1, TRUE_2), *("slow " for _ in range(40))), interval=0.05))
    updates = await collect(make_briefer(fake_openai, answer_deadline=0.8), "Tell me about the deal")
    assert updates[0].text == "OpenAI and AWS signed a seven-year deal [1]."
    assert updates[-1].engine == "openai" and "slow" not in updates[-1].text
    assert updates[-1].text.endswith("_The model stopped mid-answer: what is above is verified._")


async def test_streams_that_time_out_open_the_circuit_like_answers_do(fake_openai, make_briefer):
    briefer = make_briefer(fake_openai, answer_deadline=0.2, breaker_failures=2, breaker_cooldown=60)
    for _ in range(2):
        fake_openai.enqueue(Stream(tokens(TRUE_1), interval=0.5))
        [reply] = await collect(briefer, "How much is the deal worth?")
        assert reply.engine == "offline"
    await asyncio.sleep(0.2)  # a request cut off by the deadline may still be arriving at the server
    asked = len(fake_openai.requests)
    [reply] = await collect(briefer, "How much is the deal worth?")  # open: answered at once, no call
    assert reply.engine == "offline" and len(fake_openai.requests) == asked
    assert briefer.model_problem == "the model failed repeatedly and is resting (circuit open)"


async def test_a_stream_holds_a_model_slot_until_it_ends(fake_openai, make_briefer):
    for _ in range(3):
        fake_openai.enqueue(Stream(tokens(TRUE_1, TRUE_2), interval=0.03))
    briefer = make_briefer(fake_openai, model_concurrency=1, model_queue=8)
    results = await asyncio.gather(*(collect(briefer, "Tell me about the deal") for _ in range(3)))
    assert fake_openai.max_in_flight == 1 and len(fake_openai.requests) == 3
    assert all(updates[-1].engine == "openai" and updates[-1].grounded for updates in results)


async def test_a_stream_with_no_model_slot_free_says_busy(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(tokens(TRUE_1, TRUE_2), interval=0.1))
    briefer = make_briefer(fake_openai, model_concurrency=1, model_queue=0)
    first = asyncio.create_task(collect(briefer, "Tell me about the deal"))
    while fake_openai.in_flight == 0:
        await asyncio.sleep(0.01)
    [busy] = await collect(briefer, "Tell me about the deal")
    assert busy.extras.get("transient") and busy.text == "I'm overloaded right now: please try again in a moment."
    assert busy.follow_ups == ()
    assert (await first)[-1].grounded and len(fake_openai.requests) == 1


async def test_streamed_questions_count_against_the_asker_s_rate_limit(fake_openai, make_briefer):
    fake_openai.enqueue(Stream(tokens(TRUE_1)))
    briefer = make_briefer(fake_openai, rate_limit_per_minute=1)
    assert (await collect(briefer, "Tell me about the deal", user="slack:T1:U1"))[-1].engine == "openai"
    [limited] = await collect(briefer, "Tell me about the deal", user="slack:T1:U1")
    assert limited.extras.get("transient") and limited.text.startswith("You've asked more than 1 questions")
    assert len(fake_openai.requests) == 1


async def test_a_question_streamed_while_the_start_up_check_rejects_the_key_gets_the_offline_answer(
    make_briefer, fake_openai
):
    """A process takes questions while its model's key is still being checked: a stream begun
    then waits for the check, and with the key rejected it is the offline answer, whole."""
    fake_openai.api_key = "sk-the-right-key"  # the briefer's key, sk-test-key, is rejected
    briefer = make_briefer(fake_openai)
    assert briefer.can_stream  # until the check has run

    async def slow_check() -> None:
        await asyncio.sleep(0.3)
        await briefer.check_model()

    briefer.startup.begin(slow_check)
    replies = [reply async for reply in briefer.answer_stream("Quanto vale l'accordo?")]
    assert len(replies) == 1 and replies[0].engine == "offline" and not replies[0].refused
    assert "38 miliardi" in replies[0].text
    assert not [r for r in fake_openai.requests if r.path.endswith("/chat/completions")]
