"""The core through the real openai SDK against a local fake OpenAI server."""

import pytest

from tests.fakes.openai_server import Delay, Malformed, Status

GOOD = "The deal is worth $38 billion over seven years [openai-aws/p3]."


async def test_model_answer_with_citation_in_the_askers_language(fake_openai, make_briefer):
    fake_openai.enqueue(GOOD)
    reply = await make_briefer(fake_openai).answer("How much is the deal worth?")
    assert reply.engine == "openai" and reply.grounded and not reply.refused
    assert reply.language == "en"
    assert reply.text == "The deal is worth $38 billion over seven years [1]."
    assert reply.citations[0].id == "openai-aws/p3"
    assert reply.citations[0].quote.startswith("OpenAI e Amazon Web Services")
    assert "English" in fake_openai.requests[0].messages[-2]["content"]


@pytest.mark.parametrize(
    "failure",
    [
        [Status(500), Status(503)],
        [Status(429, headers={"Retry-After": "1"}), Status(429, headers={"Retry-After": "1"})],
        [Delay(3), Delay(3)],
        [Malformed("<html>oops</html>", content_type="text/html")],
        [Status(401, {"error": {"message": "Incorrect API key provided: sk-test-key"}})],
    ],
    ids=["5xx", "429", "timeout", "malformed", "401"],
)
async def test_model_failure_falls_back_to_the_offline_engine_and_says_so(fake_openai, make_briefer, failure):
    fake_openai.enqueue(*failure)
    briefer = make_briefer(fake_openai, model_timeout=0.5)
    reply = await briefer.answer("Quanto vale l'accordo?")
    assert reply.engine == "offline" and not reply.refused
    assert reply.text.startswith("_Il modello non è raggiungibile")
    assert "38 miliardi di dollari" in reply.text
    assert [c.id for c in reply.citations] == ["openai-aws/p3"]
    assert "sk-test-key" not in reply.text + reply.notice


async def test_retries_then_success_reaches_the_user(fake_openai, make_briefer):
    fake_openai.enqueue(Status(429, headers={"Retry-After": "1"}), GOOD)
    reply = await make_briefer(fake_openai).answer("How much is the deal worth?")
    assert reply.engine == "openai" and len(fake_openai.requests) == 2


async def test_the_prompt_prefix_is_identical_for_every_request_and_the_question_comes_last(fake_openai, make_briefer):
    briefer = make_briefer(fake_openai)
    fake_openai.enqueue(GOOD, "NOT_IN_ARTICLE", GOOD)
    await briefer.answer("How much is the deal worth?")
    await briefer.answer("Chi è il CEO di OpenAI?")
    await briefer.brief(lang="en")
    systems = {r.messages[0]["content"] for r in fake_openai.requests}
    assert len(systems) == 1
    system = systems.pop()
    assert "[openai-aws/p3] OpenAI e Amazon Web Services" in system and "NOT_IN_ARTICLE" in system
    assert "Chi è il CEO di OpenAI?" in fake_openai.requests[1].messages[-1]["content"]
    assert "Italian" in fake_openai.requests[1].messages[-2]["content"]


async def test_follow_ups_send_the_earlier_turns_to_the_model(fake_openai, make_briefer):
    briefer = make_briefer(fake_openai)
    fake_openai.enqueue("Matt Garman is the CEO of AWS [openai-aws/p8].", "He said AWS is unique [openai-aws/p8].")
    await briefer.answer("Who is the AWS chief?", conversation_id="c1")
    reply = await briefer.answer("What did he say?", conversation_id="c1")
    assert reply.grounded
    messages = fake_openai.requests[1].messages
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "user"]
    assert "Who is the AWS chief?" in messages[1]["content"]
    assert "Matt Garman is the CEO of AWS" in messages[2]["content"]


async def test_history_is_bounded_by_turns(fake_openai, make_briefer):
    briefer = make_briefer(fake_openai, conversation_turns=2)
    fake_openai.responder = lambda _body: GOOD
    for n in range(4):
        await briefer.answer(f"How much is the deal worth? ({n})", conversation_id="long")
    last = fake_openai.requests[-1].messages
    assert len(last) == 1 + 2 + 2  # system, the last two turns, the instruction, the question


async def test_history_expires(fake_openai, make_briefer):
    briefer = make_briefer(fake_openai, conversation_ttl_hours=1)
    fake_openai.responder = lambda _body: GOOD
    await briefer.answer("How much is the deal worth?", conversation_id="old")
    real_clock = briefer.store.clock
    briefer.store.clock = lambda: real_clock() + 2 * 3600
    assert not await briefer.has_conversation("old")
    await briefer.answer("And how long?", conversation_id="old")
    assert len(fake_openai.requests[-1].messages) == 3  # system, instruction, question


async def test_conversations_survive_a_restart(fake_openai, make_briefer):
    fake_openai.responder = lambda _body: GOOD
    await make_briefer(fake_openai).answer("How much is the deal worth?", conversation_id="kept")
    await make_briefer(fake_openai).answer("And how long?", conversation_id="kept")
    assert len(fake_openai.requests[-1].messages) == 5


@pytest.mark.parametrize(
    ("question", "starts"),
    [("", "Fammi una domanda"), ("   \x00\x07  ", "Fammi una domanda"), ("x" * 2001, "La domanda è troppo lunga")],
)
async def test_bad_questions_get_an_honest_reply_and_no_model_call(fake_openai, make_briefer, question, starts):
    reply = await make_briefer(fake_openai).answer(question)
    assert reply.refused and reply.text.startswith(starts)
    assert fake_openai.requests == []


async def test_control_characters_never_reach_the_model(fake_openai, make_briefer):
    fake_openai.enqueue(GOOD)
    await make_briefer(fake_openai).answer("How much\x00 is the \x1b[31mdeal\u200b worth?")
    assert "How much is the deal worth?" in fake_openai.requests[0].messages[-1]["content"]


async def test_a_briefing_is_generated_once_per_knowledge_version_and_language(fake_openai, make_briefer):
    briefer = make_briefer(fake_openai)
    fake_openai.enqueue("- OpenAI and AWS signed a $38 billion, seven-year deal [openai-aws/p3]")
    first = await briefer.brief(lang="en")
    second = await briefer.brief(lang="en")
    assert first.text == second.text and first.engine == second.engine == "openai"
    assert len(fake_openai.requests) == 1


async def test_an_unverified_briefing_is_replaced_by_the_passages_it_cited(fake_openai, make_briefer):
    fake_openai.enqueue("- OpenAI signed a $50 billion deal with Oracle [openai-aws/p3]")
    reply = await make_briefer(fake_openai).brief(lang="it")
    assert "Oracle" not in reply.text and "50" not in reply.text
    assert reply.text.startswith("_Non sono riuscito a verificare la risposta del modello, quindi ecco cosa dice")
    assert "«OpenAI e Amazon Web Services (AWS) hanno siglato un accordo monumentale" in reply.text
    assert [c.id for c in reply.citations] == ["openai-aws/p3"]
    assert reply.extras["verification"]["outcome"] == "quoted"


async def test_lang_overrides_detection(make_briefer):
    reply = await make_briefer().answer("Quanto vale l'accordo?", lang="en")
    assert reply.language == "en" and "$38 billion" in reply.text


class _ModelWithoutOptions:
    """A chat model written before the judge existed: it takes no ``response_format``."""

    name = "openai"

    async def complete(self, messages, *, max_tokens=600):
        return "Matt Garman is the CEO of AWS [openai-aws/p8]."


async def test_a_judge_call_the_model_cannot_take_leaves_the_answer_unverified_not_crashed(sqlite_url):
    from bot.config import Settings
    from bot.core.briefer import Briefer

    briefer = Briefer.from_settings(Settings(database_url=sqlite_url, engine="openai"), model=_ModelWithoutOptions())
    try:
        reply = await briefer.answer("Who is Matt Garman?", lang="en")
    finally:
        await briefer.aclose()
    assert reply.extras["verification"]["judge"] == "failed: TypeError"
    assert reply.extras["verification"]["outcome"] == "quoted"
    assert "As AWS CEO Matt Garman pointed out" in reply.text
