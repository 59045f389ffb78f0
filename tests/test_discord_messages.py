"""End to end: mentions, threads, replies and DMs through the real discord.py client, the real core
(with a scripted chat model) and the fake Discord gateway and REST API."""

from bot.answers.reply import Reply
from bot.engines.model.chat_model import ModelUnavailable
from tests.discord_helpers import (
    ARTICLE_TITLE,
    PUBLISHED,
    discord_settings,
    is_message_to,
    running_bot,
)
from tests.fakes.discord_server import BOT_USER, CHANNEL_ID, DM_CHANNEL_ID, OTHER_BOT_ID, user
from tests.support import GROUNDED_ANSWER, CannedBriefer, ScriptedModel, real_briefer

Z = "\u200b"


async def test_a_mention_is_answered_in_a_thread_with_a_citation_and_no_pings(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    model = ScriptedModel()
    async with real_briefer(settings, model) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)

        thread_id = int(question["id"])  # a thread started from a message takes the message's id
        [reply] = await fake_discord.wait_for(is_message_to(thread_id))

    assert reply.body["allowed_mentions"] == {"parse": []}
    assert "38 billion" in reply.body["content"] and "[1]" in reply.body["content"]
    assert f"-# [1] {ARTICLE_TITLE}" in reply.body["content"] and PUBLISHED in reply.body["content"]
    [thread] = [r for r in fake_discord.requests if r.path.endswith("/threads")]
    assert thread.path == f"/channels/{CHANNEL_ID}/messages/{question['id']}/threads"
    assert thread.body["name"] == "How much is the deal worth?"
    assert any(r.path == f"/channels/{thread_id}/typing" for r in fake_discord.requests)
    assert "How much is the deal worth?" in model.requests[0][-1]["content"]
    assert len(fake_discord.created_messages) == 1


async def test_a_follow_up_in_the_thread_continues_the_conversation(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    model = ScriptedModel()
    async with real_briefer(settings, model) as briefer, running_bot(settings, briefer):
        first = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", first)
        thread_id = int(first["id"])
        await fake_discord.wait_for(is_message_to(thread_id))

        await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.mention("And for how long?", channel_id=thread_id))
        await fake_discord.wait_for(is_message_to(thread_id), count=2)

    follow_up_prompt = " ".join(m["content"] for m in model.requests[1])
    assert "How much is the deal worth?" in follow_up_prompt and "And for how long?" in follow_up_prompt
    assert len([r for r in fake_discord.requests if r.path.endswith("/threads")]) == 1  # no second thread


async def test_with_message_content_a_thread_follow_up_needs_no_mention(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    model = ScriptedModel()
    async with real_briefer(settings, model) as briefer, running_bot(settings, briefer, message_content=True):
        first = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", first)
        thread_id = int(first["id"])
        await fake_discord.wait_for(is_message_to(thread_id))

        # A thread the bot has no conversation in is not answered, even with the content.
        await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.message("chatting", channel_id=4242))
        await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.message("And for how long?", channel_id=thread_id))
        await fake_discord.wait_for(is_message_to(thread_id), count=2)

    assert "How much is the deal worth?" in " ".join(m["content"] for m in model.requests[1])
    assert len(fake_discord.created_messages) == 2
    assert fake_discord.identify_payloads[0]["intents"] & (1 << 15)  # MESSAGE_CONTENT asked for


async def test_without_message_content_the_bot_asks_for_no_privileged_intent(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        pass
    [identify] = fake_discord.identify_payloads
    assert not identify["intents"] & ((1 << 15) | (1 << 1) | (1 << 8))  # message content, members, presences


async def test_a_dm_is_one_conversation(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    model = ScriptedModel()
    async with real_briefer(settings, model) as briefer, running_bot(settings, briefer):
        await fake_discord.dispatch(
            "MESSAGE_CREATE", fake_discord.message("How much is the deal worth?", channel_id=DM_CHANNEL_ID, guild=False)
        )
        await fake_discord.wait_for(is_message_to(DM_CHANNEL_ID))
        await fake_discord.dispatch(
            "MESSAGE_CREATE", fake_discord.message("And for how long?", channel_id=DM_CHANNEL_ID, guild=False)
        )
        first, second = await fake_discord.wait_for(is_message_to(DM_CHANNEL_ID), count=2)

    assert first.body["allowed_mentions"] == {"parse": []} and "[1]" in second.body["content"]
    assert "How much is the deal worth?" in " ".join(m["content"] for m in model.requests[1])
    assert not [r for r in fake_discord.requests if r.path.endswith("/threads")]


async def test_a_reply_that_would_ping_everyone_a_role_and_a_user_pings_nobody(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    role, user = "123456789012345678", "456789012345678901"  # Discord ids have 17 to 20 digits
    briefer = CannedBriefer(Reply(f"@everyone @here <@&{role}> <@{user}> <@!{user}>: the deal is worth $38bn."))
    async with running_bot(settings, briefer):
        question = fake_discord.mention("Who should know?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        [reply] = await fake_discord.wait_for(is_message_to(int(question["id"])))

    assert reply.body["allowed_mentions"] == {"parse": []}
    content = reply.body["content"]
    assert content.startswith(f"@{Z}everyone @{Z}here <@{Z}&{role}> <@{Z}{user}> <@{Z}!{user}>:")


async def test_a_2500_character_answer_arrives_as_two_messages_in_order(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    long_answer = " ".join([GROUNDED_ANSWER] * 36)
    assert len(long_answer) > 2500
    async with real_briefer(settings, ScriptedModel(long_answer)) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("Tell me everything")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        first, second = await fake_discord.wait_for(is_message_to(int(question["id"])), count=2)

    assert len(first.body["content"]) <= 2000 and len(second.body["content"]) <= 2000
    assert first.body["content"].endswith("[1].")  # cut at a sentence end, not mid-word
    assert (first.body["content"] + " " + second.body["content"]).count("38 billion") == 36
    assert f"-# [1] {ARTICLE_TITLE}" in second.body["content"]
    assert all(r.body["allowed_mentions"] == {"parse": []} for r in (first, second))
    assert len(fake_discord.created_messages) == 2


async def test_a_rest_500_then_success_still_delivers_exactly_one_reply(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    fake_discord.fail("POST", r"/channels/\d+/messages", 500)
    async with real_briefer(settings, ScriptedModel()) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        failed, retried = await fake_discord.wait_for(is_message_to(int(question["id"])), count=2)

    assert failed.body == retried.body and retried.body["enforce_nonce"] is True
    assert len(fake_discord.created_messages) == 1


async def test_the_bots_own_and_other_bots_messages_are_ignored(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings, ScriptedModel()) as briefer, running_bot(settings, briefer):
        own = fake_discord.mention("talking to myself", author=BOT_USER)
        other_bot = fake_discord.mention("beep", author=user(OTHER_BOT_ID, "otherbot", bot=True))
        dm_from_a_bot = fake_discord.message("beep", channel_id=DM_CHANNEL_ID, guild=False, author=BOT_USER)
        for message in (own, other_bot, dm_from_a_bot):
            await fake_discord.dispatch("MESSAGE_CREATE", message)
        question = fake_discord.mention("How much is the deal worth?")  # a barrier: answered after the others
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        await fake_discord.wait_for(is_message_to(int(question["id"])))

    assert len(fake_discord.created_messages) == 1
    assert len([r for r in fake_discord.requests if r.path.endswith("/threads")]) == 1


async def test_the_same_message_delivered_twice_is_answered_once(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings, ScriptedModel()) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        barrier = fake_discord.mention("And for how long?")
        await fake_discord.dispatch("MESSAGE_CREATE", barrier)
        await fake_discord.wait_for(is_message_to(int(barrier["id"])))
        await fake_discord.wait_for(is_message_to(int(question["id"])))

    assert len(fake_discord.created_messages) == 2


async def test_the_model_failing_gives_the_offline_fallback_reply(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    model = ScriptedModel(ModelUnavailable("the model timed out"))
    async with real_briefer(settings, model) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        [reply] = await fake_discord.wait_for(is_message_to(int(question["id"])))

    content = reply.body["content"]
    assert "The model is unavailable" in content and content.count("The model is unavailable") == 1
    assert "38" in content and f"-# [1] {ARTICLE_TITLE}" in content


async def test_the_core_failing_gives_a_short_unavailable_reply(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    async with running_bot(settings, CannedBriefer(RuntimeError("database is down"))):
        question = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        [reply] = await fake_discord.wait_for(is_message_to(int(question["id"])))

    assert "try again" in reply.body["content"] and "database" not in reply.body["content"]


async def test_a_bare_mention_gets_the_briefing(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        [reply] = await fake_discord.wait_for(is_message_to(int(question["id"])))

    assert reply.body["content"].count("\n- ") >= 3 and "-# [1] [2] [3]" in reply.body["content"]
    [thread] = [r for r in fake_discord.requests if r.path.endswith("/threads")]
    assert thread.body["name"] == "Briefing"


async def test_without_thread_permission_it_replies_in_the_channel_without_pinging(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    fake_discord.fail("POST", r"/channels/\d+/messages/\d+/threads", 403, code=50013)
    async with real_briefer(settings, ScriptedModel()) as briefer, running_bot(settings, briefer):
        question = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        [reply] = await fake_discord.wait_for(is_message_to(CHANNEL_ID))

    assert str(reply.body["message_reference"]["message_id"]) == question["id"]
    assert reply.body["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert "[1]" in reply.body["content"]


async def test_a_reply_to_the_bot_in_the_channel_continues_that_conversation(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path)
    fake_discord.fail("POST", r"/channels/\d+/messages/\d+/threads", 403, code=50013)
    model = ScriptedModel()
    async with real_briefer(settings, model) as briefer, running_bot(settings, briefer, message_content=True):
        await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.mention("How much is the deal worth?"))
        await fake_discord.wait_for(is_message_to(CHANNEL_ID))
        answer = fake_discord.created_messages[0]

        follow_up = fake_discord.message("And for how long?", referenced=answer)
        await fake_discord.dispatch("MESSAGE_CREATE", follow_up)
        _, second = await fake_discord.wait_for(is_message_to(CHANNEL_ID), count=2)

    assert str(second.body["message_reference"]["message_id"]) == follow_up["id"]
    assert "How much is the deal worth?" in " ".join(m["content"] for m in model.requests[1])


async def test_a_failed_send_is_logged_and_the_bot_keeps_answering(fake_discord, tmp_path, caplog):
    settings = discord_settings(fake_discord, tmp_path)
    fake_discord.fail("POST", r"/channels/\d+/messages", 403, code=50001)
    async with real_briefer(settings, ScriptedModel()) as briefer, running_bot(settings, briefer):
        lost = fake_discord.mention("How much is the deal worth?")
        await fake_discord.dispatch("MESSAGE_CREATE", lost)
        await fake_discord.wait_for(is_message_to(int(lost["id"])))
        question = fake_discord.mention("And for how long?")
        await fake_discord.dispatch("MESSAGE_CREATE", question)
        await fake_discord.wait_for(is_message_to(int(question["id"])))

    assert "could not send a Discord reply (HTTP 403)" in caplog.text
    assert len(fake_discord.created_messages) == 1
