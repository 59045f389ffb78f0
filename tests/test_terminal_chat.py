"""The terminal chat as a person uses it: the real ``python -m bot chat`` in a pseudo-terminal,
with keys (arrows, Ctrl-D) sent as a keyboard sends them."""

import os
import re
import sys
from pathlib import Path

import pytest

from bot.cli.chat_commands import ChatLine, parse_line
from tests.fakes.openai_server import Stream
from tests.pty_session import PtySession

ROOT = Path(__file__).resolve().parent.parent
UP, LEFT = "\x1b[A", "\x1b[D"
PROMPT = r"\n> "


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    clean.update(
        BRIEFBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'chat.sqlite3'}",
        BRIEFBOT_CHAT_HISTORY=str(tmp_path / "state" / "history"),
        PYTHONPATH=str(ROOT),
    )
    return clean


@pytest.fixture
def chat(env):
    sessions = []

    def start() -> PtySession:
        session = PtySession([sys.executable, "-m", "bot", "chat"], env=env, cwd=str(ROOT))
        sessions.append(session)
        session.expect("I know: .*")
        session.expect(PROMPT)
        return session

    yield start
    for session in sessions:
        session.close()


def lines_between(output: str, command: str) -> list[str]:
    """The lines the chat printed after echoing ``command``, up to the next prompt."""
    after = output.split(command, 1)[1]
    return [line for line in after.splitlines() if line.strip() and line.strip() != ">"]


def test_commands_editing_and_history_in_a_terminal(chat, env):
    session = chat()

    session.send("/help\r")
    shown = session.expect(PROMPT)
    assert "/brief [it|en]" in shown and "/quit" in shown
    assert "L'articolo" not in shown and "The article" not in shown  # not answered as a question

    session.send("/brief fr\r")
    shown = session.expect(PROMPT)
    assert lines_between(shown, "/brief fr") == ["Unknown language 'fr': use /brief it or /brief en."]

    session.send("/frobnicate\r")
    shown = session.expect(PROMPT)
    assert "Unknown command /frobnicate." in shown and "/brief [it|en]" in shown

    # Line editing: the cursor goes back 8 characters and "l'" is inserted before "accordo?".
    session.send("Quanto vale accordo?" + LEFT * 8 + "l'\r")
    shown = session.expect(PROMPT)
    assert "L'articolo dice:" in shown and "38 miliardi di dollari" in shown and "[1] openai-aws/p3" in shown

    # History: the up arrow brings the question back and Enter asks it again.
    session.send(UP + "\r")
    shown = session.expect(PROMPT)
    assert "38 miliardi di dollari" in shown

    session.send("/brief en\r")
    shown = session.expect(PROMPT)
    assert "OpenAI picks AWS" in shown and "- OpenAI and AWS signed" in shown

    session.send("exit\r")
    assert session.wait() == 0
    assert "^[[" not in session.text  # arrows were never echoed as raw escape codes

    # The history outlives the session: two steps up is "/brief en" again.
    assert Path(env["BRIEFBOT_CHAT_HISTORY"]).is_file()
    session = chat()
    session.send(UP + UP + "\r")
    shown = session.expect(PROMPT)
    assert "OpenAI picks AWS" in shown
    session.send("\x04")  # Ctrl-D
    assert session.wait() == 0


def test_quit_command_leaves(chat):
    session = chat()
    session.send("/quit\r")
    assert session.wait() == 0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/help", ChatLine("help")),
        ("/HELP", ChatLine("help")),
        ("/brief", ChatLine("brief")),
        ("/brief en", ChatLine("brief", language="en")),
        ("/brief IT", ChatLine("brief", language="it")),
        ("/brief fr", ChatLine("error", "Unknown language 'fr': use /brief it or /brief en.")),
        ("/brief en it", ChatLine("error", "Unknown language 'en it': use /brief it or /brief en.")),
        ("/good", ChatLine("rate", rating="up")),
        ("/bad", ChatLine("rate", "", rating="down")),
        ("/bad wrong amount", ChatLine("rate", "wrong amount", rating="down")),
        ("/quit", ChatLine("quit")),
        ("exit", ChatLine("quit")),
        ("  Exit ", ChatLine("quit")),
        ("/weather", ChatLine("help", "Unknown command /weather.")),
        ("Quanto vale l'accordo?", ChatLine("ask", "Quanto vale l'accordo?")),
        ("exit strategy of OpenAI?", ChatLine("ask", "exit strategy of OpenAI?")),
        ("", ChatLine("ask", "")),
    ],
)
def test_parse_line(line, expected):
    assert parse_line(line) == expected


def test_a_streaming_model_shows_verified_claims_as_they_arrive(env, fake_openai_thread):
    true_1 = "OpenAI and AWS signed a seven-year deal [openai-aws/p3]. "
    false = "Sam Altman signed it in Paris [openai-aws/p3]. "
    true_2 = "It ends the exclusivity with Microsoft's Azure [openai-aws/p7]."
    pieces = tuple(re.findall(r"\S+\s*", true_1 + false + true_2))
    fake_openai_thread.enqueue(Stream(pieces, interval=0.1))
    env.update(BRIEFBOT_ENGINE="openai", OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=fake_openai_thread.base_url)
    session = PtySession([sys.executable, "-m", "bot", "chat"], env=env, cwd=str(ROOT))
    try:
        session.expect(PROMPT)
        session.send("Tell me about the deal\r")
        session.expect(re.escape("OpenAI and AWS signed a seven-year deal [1]."))
        assert len(fake_openai_thread.stream_log) < len(pieces)  # shown while the model is still writing
        shown = session.expect(PROMPT)
        assert "It ends the exclusivity with Microsoft's Azure [2]." in shown
        assert "Sam Altman" not in session.text and "Paris" not in session.text
        assert "I left out 1 of the model's statements" in shown and "[2] openai-aws/p7" in shown
    finally:
        session.close()
