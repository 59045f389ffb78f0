"""Trying briefbot locally as a new operator would: the fakes run by hand (no pytest), the bot
pointed at them, ``make demo``'s script, and ``.env.example`` covering every setting."""

from __future__ import annotations

import ast
import asyncio
import json
import re
import subprocess
import sys
from contextlib import asynccontextmanager

import pytest
from dotenv import dotenv_values

from bot.config import Settings
from tests.process_helpers import ROOT, bot_env, free_port

SETTING = re.compile(r"(BRIEFBOT|OPENAI|SLACK|DISCORD)_[A-Z0-9_]+")
LINE_LIMIT = 60.0  # seconds: a safety net against a hung process, never part of an assertion


def settings_read_by_the_bot() -> set[str]:
    """Every environment variable name spelled out in ``bot/`` (settings are read in config.py)."""
    names = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SETTING.fullmatch(node.value):
                names.add(node.value)
    return names


def test_every_setting_the_bot_reads_has_a_commented_line_in_env_example():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    documented = {}
    for number, line in enumerate(lines):
        if match := re.match(r"([A-Z][A-Z0-9_]*)=", line):
            documented[match[1]] = lines[number - 1] if number else ""
    read = settings_read_by_the_bot()
    assert {"BRIEFBOT_DATABASE_URL", "OPENAI_API_KEY", "SLACK_BOT_TOKEN", "DISCORD_TOKEN"} <= read  # the scan works
    missing = sorted(read - documented.keys())
    assert not missing, f"settings without a line in .env.example: {', '.join(missing)}"
    uncommented = sorted(name for name in read if not documented[name].startswith("# "))
    assert not uncommented, f"settings in .env.example without a comment line above them: {', '.join(uncommented)}"
    unknown = sorted(name for name in documented.keys() - read if SETTING.fullmatch(name))  # not compose's own
    assert not unknown, f".env.example lists settings briefbot does not read: {', '.join(unknown)}"


def test_env_example_copied_as_is_starts_with_the_defaults():
    values = {k: v or "" for k, v in dotenv_values(ROOT / ".env.example").items()}
    settings = Settings.from_env(values, dotenv=False)
    assert settings.resolved_engine == "offline" and settings.model == "gpt-4o-mini"
    assert settings.slack_api_url == "https://slack.com/api/" and settings.stream_answers is True


def test_the_fakes_import_without_pytest():
    code = "import sys, tests.fakes.slack_server, tests.fakes.discord_server, tests.fakes.openai_server;"
    code += "import tests.fakes.run, tests.fakes.describe, tests.fakes.quoting_model;"
    code += "assert not [m for m in sys.modules if m.split('.')[0] in ('pytest', '_pytest', 'pytest_asyncio')]"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


class Lines:
    """A running process whose standard output is read line by line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            async with self._changed:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))
                self._changed.notify_all()

    async def wait_for(self, pattern: str, *, after: int = 0, limit: float = LINE_LIMIT) -> str:
        """The first line from index ``after`` on that matches ``pattern``, waiting for it."""

        def found() -> str | None:
            return next((line for line in self.lines[after:] if re.search(pattern, line)), None)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: found() is not None), limit)
        return found()

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@asynccontextmanager
async def running(*args: str, env: dict[str, str] | None = None):
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=ROOT, env=env, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    lines = Lines(process)
    try:
        yield lines
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), LINE_LIMIT)
        await lines._reader


async def settings_printed(fake: Lines, names: tuple[str, ...]) -> dict[str, str]:
    await fake.wait_for("Ctrl-C to stop")
    return {name: re.search(rf"{name}=(\S+)", fake.text)[1] for name in names}


async def test_the_fake_openai_run_by_hand_answers_the_bot_with_cited_passages(tmp_path):
    port = free_port()
    async with running("-m", "tests.fakes.openai_server", "--port", str(port), env=bot_env(tmp_path)) as fake:
        urls = await settings_printed(fake, ("OPENAI_BASE_URL",))
        assert urls["OPENAI_BASE_URL"] == f"http://127.0.0.1:{port}/v1"
        env = bot_env(tmp_path, BRIEFBOT_ENGINE="openai", OPENAI_API_KEY="sk-local", **urls)
        asked = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "ask", "--json", "Who is the CEO of AWS?", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(asyncio.gather(asked.stdout.read(), asked.stderr.read()), LINE_LIMIT)
        assert await asked.wait() == 0, err.decode()
        await fake.wait_for(r"<- /v1/chat/completions .*question 'Who is the CEO of AWS\?'")
    reply = json.loads(out)
    assert "Matt Garman" in reply["answer"] and "openai-aws/p8" in json.dumps(reply["citations"])
    assert reply["engine"] != "offline"  # answered by the fake model, not the fallback
    assert fake.process.returncode == 0 and "Fake OpenAI stopped." in fake.text


async def test_the_fake_slack_run_by_hand_talks_to_the_bot_in_socket_mode(tmp_path):
    async with running("-m", "tests.fakes.slack_server", "--port", str(free_port()), env=bot_env(tmp_path)) as fake:
        urls = await settings_printed(fake, ("SLACK_API_URL",))
        env = bot_env(tmp_path, SLACK_BOT_TOKEN="xoxb-local", SLACK_APP_TOKEN="xapp-local", **urls)
        async with running("-m", "bot", "slack", env=env):
            await fake.wait_for(r"<- apps\.connections\.open")
            answer = await _typed_until_answered(fake, "How much is the deal worth?", r"openai-aws/p3")
    assert "38" in answer
    assert "<- chat.postMessage in C0000001, thread 1800000000.0000" in fake.text  # answered under the mention


async def test_the_fake_discord_run_by_hand_talks_to_the_bot(tmp_path):
    async with running("-m", "tests.fakes.discord_server", "--port", str(free_port()), env=bot_env(tmp_path)) as fake:
        urls = await settings_printed(fake, ("DISCORD_API_URL", "DISCORD_GATEWAY_URL"))
        async with running("-m", "bot", "discord", env=bot_env(tmp_path, DISCORD_TOKEN="local", **urls)):
            answer = await _typed_until_answered(fake, "Quanto vale l'accordo?", r"-# \[1\] OpenAI sceglie AWS")
    assert "38 miliardi" in fake.text and answer


async def _typed_until_answered(fake: Lines, question: str, answered: str) -> str:
    """Type ``question`` into the fake until the bot answers it (the bot may still be connecting)."""
    for _ in range(int(LINE_LIMIT / 2)):
        mark = len(fake.lines)
        fake.send(question)
        try:
            return await fake.wait_for(answered, after=mark, limit=2.0)
        except TimeoutError:
            continue
    raise AssertionError(f"the bot never answered:\n{fake.text}")


@pytest.mark.parametrize("flag", ["--port=-1", "--port=70000", "--port=http"])
def test_a_bad_port_gets_a_one_line_error(flag):
    done = subprocess.run([sys.executable, "-m", "tests.fakes.slack_server", flag], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "--port" in done.stderr and "Traceback" not in done.stderr


def test_a_port_in_use_gets_a_one_line_error():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "tests.fakes.discord_server", "--port", str(port)], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_demo_shows_every_platform_receiving_cited_answers_and_exits_0(tmp_path):
    env = bot_env(tmp_path)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    slack_ask, slack_mention, slack_follow_up, discord = out.split("\n== ")[1:]
    assert slack_ask.startswith("Slack: /ask") and "$38 billion" in slack_ask and "`openai-aws/p3`" in slack_ask
    assert "Slack received: chat.postMessage in C0000001\n" in slack_ask  # /ask: answered in the channel
    assert "Matt Garman" in slack_mention and "`openai-aws/p8`" in slack_mention
    assert "thread 1700000100.000100" in slack_mention  # a mention: answered in a thread under it
    assert "thread 1700000100.000100" in slack_follow_up and "hundreds of thousands of GPUs" in slack_follow_up
    assert "Discord received: POST /channels/" in discord and "38 miliardi di dollari" in discord
    assert "-# [1] OpenAI sceglie AWS" in discord
    assert "OpenAI received: /v1/chat/completions" in out
    assert "The bot stopped cleanly on SIGTERM (exit 0)." in out
