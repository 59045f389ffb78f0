"""A third platform added through the seam alone (tests/toy_platform/ and one registry line):
``serve`` runs it, a mention is answered through the shared answer path, ``/digest`` subscribes
through the shared digest commands, and the scheduler posts the digest through its poster."""

import asyncio
import datetime as dt

import pytest

from bot.cli.main import _parser
from bot.cli.serve import serve_all
from bot.platforms import registry
from tests.digest_helpers import FrozenClock, digest_settings
from tests.support import CannedBriefer, real_briefer
from tests.toy_platform.platform import ToyChat, ToyPlatform

WAIT = 30  # seconds: a guard against a hang, not an assertion


@pytest.fixture
def toy_chat():
    """The toy platform, registered the way a new platform is: one more entry in the registry."""
    chat = ToyChat()
    registry.PLATFORMS.append(ToyPlatform(chat))
    yield chat
    registry.PLATFORMS.pop()


async def wait_for_posts(chat: ToyChat, channel: str, match) -> list:
    """The bot's posts in ``channel`` that ``match``, once there is at least one."""

    async def found():
        while not [m for m in chat.bot_posts(channel) if match(m)]:
            chat.posted.clear()
            await chat.posted.wait()
        return [m for m in chat.bot_posts(channel) if match(m)]

    return await asyncio.wait_for(found(), WAIT)


async def test_a_mention_is_answered_and_a_digest_posted_through_the_shared_paths(toy_chat, tmp_path):
    settings = digest_settings(tmp_path)  # no Slack or Discord: only the toy platform runs
    clock = FrozenClock(dt.datetime(2025, 11, 4, 6, 0, tzinfo=dt.UTC))  # 07:00 in Rome
    async with real_briefer(settings) as briefer:
        serving = asyncio.create_task(
            serve_all(settings, briefer, host="127.0.0.1", port=0, clock=clock, interval=0.05)
        )
        try:
            mention = toy_chat.user_says("general", "@toy how much is the deal worth?")
            await wait_for_posts(toy_chat, "general", lambda m: "[1] openai-aws/" in m.text)
            answer = "\n".join(m.text for m in toy_chat.bot_posts("general") if m.thread == mention.id)
            assert "38" in answer and "[1] openai-aws/p3" in answer

            command = toy_chat.user_says("general", "/digest on 08:30 Europe/Rome en")
            [confirmation] = await wait_for_posts(toy_chat, "general", lambda m: m.thread == command.id)
            assert confirmation.text.startswith("Done: this channel gets the daily digest at 08:30 (Europe/Rome)")

            clock.advance(hours=1, minutes=30)  # 08:30 in Rome: the digest is due
            [digest] = await wait_for_posts(toy_chat, "general", lambda m: m.thread is None)
            await asyncio.sleep(0.3)  # several more scheduler passes: none may post it again
            # replies in the digest's thread continue its conversation, keyed by the toy's conversation id
            assert await briefer.has_conversation(f"toy:general:{digest.id}")
        finally:
            serving.cancel()
            with pytest.raises(asyncio.CancelledError):
                await serving
    assert digest.text.startswith("**Today's digest — 2025-11-04**")
    digest_thread = "\n".join(m.text for m in toy_chat.bot_posts("general") if m.thread == digest.id)
    assert "[1] openai-aws/" in digest.text + digest_thread, "the citations close the digest, in its thread"
    assert [m for m in toy_chat.bot_posts("general") if m.thread is None] == [digest], "posted once"


async def test_a_failing_core_gets_the_shared_busy_text_on_the_toy_platform(toy_chat, tmp_path):
    briefer = CannedBriefer(RuntimeError("database is on fire"))
    settings = digest_settings(tmp_path)
    toy = registry.PLATFORMS[-1]
    running = asyncio.create_task(toy.run(settings, briefer, _parser().parse_args(["toy"])))
    try:
        toy_chat.user_says("general", "@toy how much is the deal worth?")
        [reply] = await wait_for_posts(toy_chat, "general", lambda m: True)
    finally:
        running.cancel()
    assert "try again" in reply.text and "fire" not in reply.text


def test_the_command_line_gets_the_platform_command_from_the_registry(toy_chat):
    args = _parser().parse_args(["toy", "--room", "news"])
    assert args.platform.name == "toy" and args.room == "news"
