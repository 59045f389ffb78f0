"""Discord end to end with a streaming model: verified claims shown by edits within the rate
limit, 👍/👎 buttons that survive a restart with a reason modal, and suggested follow-ups.
Real discord.py and openai SDK against the fake Discord and the fake OpenAI server."""

import itertools
import re

from bot.engines.model.openai_client import OpenAIChatModel
from tests.discord_helpers import discord_settings, is_message_to, running_bot
from tests.fakes.discord_server import CHANNEL_ID, USER_ID
from tests.fakes.openai_server import Stream
from tests.support import real_briefer

TRUE_1 = "OpenAI and AWS signed a seven-year deal [openai-aws/p3]. "
FALSE = "Sam Altman signed it in Paris for $50 billion [openai-aws/p3]. "
TRUE_2 = "It ends the exclusivity with Microsoft's Azure [openai-aws/p7]. "
TRUE_3 = "AWS CEO Matt Garman praised the breadth of AWS infrastructure [openai-aws/p8]."


def tokens(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\S+\s*", text))


def model_for(fake_openai) -> OpenAIChatModel:
    return OpenAIChatModel(api_key="sk-test", base_url=fake_openai.base_url, model="fake", timeout=5, attempts=1)


def is_edit(request) -> bool:
    return request.method == "PATCH" and "/messages/" in request.path


def is_callback(request) -> bool:
    return request.method == "POST" and request.path.endswith("/callback")


def custom_ids(message: dict) -> list[str]:
    return [button["custom_id"] for row in message.get("components", []) for button in row["components"]]


async def test_verified_claims_arrive_by_edits_and_a_false_claim_never_does(fake_discord, fake_openai, tmp_path):
    fake_openai.enqueue(Stream(tokens(TRUE_1 + FALSE + TRUE_2 + TRUE_3), interval=0.06))
    settings = discord_settings(fake_discord, tmp_path, engine="openai")
    async with real_briefer(settings, model_for(fake_openai)) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("Tell me about the deal")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        thread = int(question["id"])
        [first] = await fake_discord.wait_for(is_message_to(thread))
        assert len(fake_openai.stream_log) < len(tokens(TRUE_1 + FALSE + TRUE_2 + TRUE_3))  # the model still writes
        edits = await fake_discord.wait_for(lambda r: is_edit(r) and "components" in (r.body or {}))

    assert first.body["content"].startswith("OpenAI and AWS signed a seven-year deal [1].")
    assert "Microsoft" not in first.body["content"]
    edits = [r for r in fake_discord.requests if is_edit(r)]
    final = edits[-1].body
    assert final["content"].startswith(
        "OpenAI and AWS signed a seven-year deal [1]. It ends the exclusivity with Microsoft's Azure [2]. AWS CEO"
    )
    assert "OpenAI sceglie AWS" in final["content"]  # the sources
    everything = " ".join(str(r.body) for r in fake_discord.requests)
    assert "Sam Altman" not in everything and "Paris" not in everything and "$50" not in everything
    assert len(edits) >= 2  # at least one edit with a new claim before the final one
    for earlier, later in itertools.pairwise(edits[:-1]):
        assert later.at - earlier.at >= 0.95  # no more than one edit a second before the final one
    ids = custom_ids(final)
    assert any(i.startswith("briefbot:fb:up:") for i in ids) and any(i.startswith("briefbot:fu:0:") for i in ids)
    assert first.body["allowed_mentions"] == {"parse": []}


async def test_feedback_buttons_work_after_a_restart_and_a_thumbs_down_asks_why(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings) as briefer:
        async with running_bot(settings, briefer):
            question = fake_discord.mention("Quanto vale l'accordo?")
            await fake_discord.dispatch("MESSAGE_CREATE", question)
            await fake_discord.wait_for(is_message_to(int(question["id"])))
            answer = fake_discord.created_messages[-1]
            ids = custom_ids(answer)
            down = next(i for i in ids if i.startswith("briefbot:fb:down:"))
            await fake_discord.dispatch("INTERACTION_CREATE", fake_discord.component_interaction(down, answer))
            [modal] = await fake_discord.wait_for(is_callback)
            assert modal.body["type"] == 9 and modal.body["data"]["title"] == "Cosa non andava?"
            submit = fake_discord.modal_submit(modal.body["data"]["custom_id"], {"reason": "manca la durata"},
                                               channel_id=answer["channel_id"])  # fmt: skip
            await fake_discord.dispatch("INTERACTION_CREATE", submit)
            _, thanks = await fake_discord.wait_for(is_callback, count=2)
            assert thanks.body["type"] == 4 and thanks.body["data"]["flags"] == 64  # only the presser sees it
            [rating] = briefer.store.ratings()
            assert (rating.user_id, rating.rating, rating.reason) == (str(USER_ID), "down", "manca la durata")
            assert rating.answer.question == "Quanto vale l'accordo?" and rating.answer.citations == ("openai-aws/p3",)

        async with running_bot(settings, briefer):  # a new process: the old message's buttons still work
            up = next(i for i in ids if i.startswith("briefbot:fb:up:"))
            await fake_discord.dispatch("INTERACTION_CREATE", fake_discord.component_interaction(up, answer))
            await fake_discord.wait_for(is_callback, count=3)
            [rating] = briefer.store.ratings()
    assert (rating.rating, rating.reason) == ("up", "")


async def test_a_suggested_follow_up_is_answered_in_the_same_thread(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("Quanto vale l'accordo?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        thread = int(question["id"])
        await fake_discord.wait_for(is_message_to(thread))
        answer = fake_discord.created_messages[-1]
        buttons = [b for row in answer["components"] for b in row["components"]]
        [button] = [b for b in buttons if b["custom_id"].startswith("briefbot:fu:0:")]
        press = fake_discord.component_interaction(button["custom_id"], answer)
        await fake_discord.dispatch("INTERACTION_CREATE", press)
        [deferred] = await fake_discord.wait_for(is_callback)
        _, asked, answered = await fake_discord.wait_for(is_message_to(thread), count=3)
    assert deferred.body["type"] == 6  # acknowledged without a message of its own
    assert asked.body["content"] == f"**alice**: {button['label']}"
    assert "L'articolo dice:" in answered.body["content"] and "[1]" in answered.body["content"]
    assert str(CHANNEL_ID) != str(thread)  # answered in the thread, not the channel
