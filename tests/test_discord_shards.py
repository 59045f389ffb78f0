"""Discord sharding: ``BRIEFBOT_DISCORD_SHARDS=i/n`` splits the guilds over real ``python -m bot discord``
processes, against a fake gateway that assigns guilds to shards as Discord does."""

import asyncio

import sqlalchemy as sa

from bot.config import ConfigError, Settings
from tests.discord_helpers import TOKEN
from tests.fakes.discord_server import APP_ID, FakeDiscord, shard_of
from tests.process_helpers import bot_env, bot_process

START_LIMIT = 60.0  # seconds: a guard against a hung start, never an assertion
SETTLE = 1.0  # seconds for a second (wrong) answer to show up, were one on its way
GUILD_BASE = 900000000000000003
# Four guilds whose ids differ in the bits Discord's formula reads: two on each of two shards.
GUILDS = {GUILD_BASE + (k << 22): 900000000000000100 + k for k in range(4)}


def shard_env(tmp_path, fake: FakeDiscord, shards: str):
    # One database per process: a shared store would hide an event both processes received.
    database = tmp_path / f"shard-{shards.replace('/', '-of-')}.sqlite3"
    return bot_env(tmp_path, DISCORD_TOKEN=TOKEN, DISCORD_API_URL=fake.api_url, DISCORD_GATEWAY_URL=fake.gateway_url,
                   BRIEFBOT_DISCORD_SHARDS=shards, BRIEFBOT_DATABASE_URL=f"sqlite:///{database}")  # fmt: skip


def conversations(env) -> set[str]:
    engine = sa.create_engine(env["BRIEFBOT_DATABASE_URL"])
    with engine.connect() as db:
        found = {row[0] for row in db.execute(sa.text("SELECT DISTINCT conversation_id FROM conversation_turns"))}
    engine.dispose()
    return found


async def test_two_shard_processes_answer_each_guild_exactly_once_by_its_shard(tmp_path):
    assert {shard_of(g, 2) for g in GUILDS} == {0, 1}
    async with FakeDiscord(guilds=GUILDS, shard_count=2) as fake:
        envs = [shard_env(tmp_path, fake, "0/2"), shard_env(tmp_path, fake, "1/2")]
        async with bot_process(envs[0], "discord") as first, bot_process(envs[1], "discord") as second:
            await fake.wait_for_identify(2, timeout=START_LIMIT)
            mentions = {g: fake.mention("How much is the deal worth?", channel_id=c) for g, c in GUILDS.items()}
            asks = {g: fake.interaction("ask", {"question": "Who signed?"}, channel_id=c) for g, c in GUILDS.items()}
            for guild in GUILDS:
                await fake.dispatch("MESSAGE_CREATE", mentions[guild])
                await fake.dispatch("INTERACTION_CREATE", asks[guild])

            def answer_to_mention(guild):  # a mention is answered in a thread started from it
                return lambda r: r.creates_message and r.path == f"/channels/{mentions[guild]['id']}/messages"

            def answer_to_ask(guild):
                return lambda r: r.creates_message and r.path == f"/webhooks/{APP_ID}/{asks[guild]['token']}"

            for guild in GUILDS:
                await fake.wait_for(answer_to_mention(guild), timeout=START_LIMIT)
                await fake.wait_for(answer_to_ask(guild), timeout=START_LIMIT)
            await asyncio.sleep(SETTLE)
            assert first.running and second.running, first.log + second.log

    identified = sorted(tuple(p["shard"]) for p in fake.identify_payloads)
    assert identified == [(0, 2), (1, 2)]
    assert len([r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]) == 1  # shard 0's
    for guild in GUILDS:
        assert len([r for r in fake.requests if answer_to_mention(guild)(r)]) == 1, guild
        assert len([r for r in fake.requests if answer_to_ask(guild)(r)]) == 1, guild
        callbacks = [r for r in fake.requests if r.path.startswith(f"/interactions/{asks[guild]['id']}/")]
        assert len(callbacks) == 1, guild
        # Only the connection of the guild's shard was given its events ...
        assert {d.shard for d in fake.deliveries if d.guild_id == guild} == {(shard_of(guild, 2), 2)}
    # ... and the answers were given (and remembered) by the process running that shard.
    for shard, env in enumerate(envs):
        remembered = conversations(env)
        for guild in GUILDS:
            in_this_store = any(f":{guild}:" in conversation for conversation in remembered)
            assert in_this_store == (shard_of(guild, 2) == shard), (shard, guild, remembered)
    assert "Shard ID 0" in first.log and "Shard ID 1" not in first.log
    assert "Shard ID 1" in second.log and "Shard ID 0" not in second.log


async def test_without_the_setting_the_count_comes_from_discord_and_one_process_runs_every_shard(tmp_path):
    async with FakeDiscord(guilds=GUILDS, shard_count=2) as fake:
        env = bot_env(tmp_path, DISCORD_TOKEN=TOKEN, DISCORD_API_URL=fake.api_url,
                      DISCORD_GATEWAY_URL=fake.gateway_url)  # fmt: skip
        async with bot_process(env, "discord") as bot:
            await fake.wait_for_identify(2, timeout=START_LIMIT)
            questions = {g: fake.mention("How much is the deal worth?", channel_id=c) for g, c in GUILDS.items()}
            for question in questions.values():
                await fake.dispatch("MESSAGE_CREATE", question)
            for question in questions.values():
                thread = f"/channels/{question['id']}/messages"
                await fake.wait_for(lambda r, t=thread: r.creates_message and r.path == t, timeout=START_LIMIT)
            assert bot.running, bot.log
    assert any(r.path == "/gateway/bot" for r in fake.requests)
    assert sorted(tuple(p["shard"]) for p in fake.identify_payloads) == [(0, 2), (1, 2)]


async def test_when_discord_cannot_say_the_shard_count_the_start_stops_with_one_line(tmp_path):
    async with FakeDiscord() as fake:
        fake.fail("GET", r"/gateway/bot", 404)
        env = bot_env(tmp_path, DISCORD_TOKEN=TOKEN, DISCORD_API_URL=fake.api_url,
                      DISCORD_GATEWAY_URL=fake.gateway_url)  # fmt: skip
        async with bot_process(env, "discord") as bot:
            assert await bot.exit_code() == 2
    last = bot.log.strip().splitlines()[-1]
    assert last.startswith("briefbot: error: cannot get the shard count from Discord at ")
    assert "set BRIEFBOT_DISCORD_SHARDS" in last and "Traceback" not in bot.log and TOKEN not in bot.log


async def test_a_shard_setting_that_is_not_i_of_n_stops_the_start_with_one_line(tmp_path):
    env = bot_env(tmp_path, DISCORD_TOKEN=TOKEN, BRIEFBOT_DISCORD_SHARDS="2/2")
    async with bot_process(env, "discord") as bot:
        assert await bot.exit_code() == 2
    [line] = bot.log.strip().splitlines()
    assert line.startswith("briefbot: error: BRIEFBOT_DISCORD_SHARDS must be auto, or SHARD/COUNT like 0/2")
    assert "'2/2'" in line and TOKEN not in line


def test_the_shard_setting_reads_one_or_several_shards_of_a_count():
    def read(raw: str):
        settings = Settings.from_env({"BRIEFBOT_DISCORD_SHARDS": raw}, dotenv=False)
        return settings.discord_shard_ids, settings.discord_shard_count

    assert read("") == read("auto") == ((), None)
    assert read("1/2") == ((1,), 2)
    assert read("0,1/4") == ((0, 1), 4)
    for bad in ("2/2", "1", "1/", "/2", "a/b", "-1/2", "0/0"):
        try:
            read(bad)
        except ConfigError as error:
            assert str(error).startswith("BRIEFBOT_DISCORD_SHARDS must be") and repr(bad) in str(error)
        else:
            raise AssertionError(f"{bad!r} was accepted")
