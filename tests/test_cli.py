"""The command line as a user runs it: subprocesses, real output, exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.openai_server import Status

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-live-THIS-MUST-NEVER-PRINT-123"


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    clean.update(BRIEFBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}", PYTHONPATH=str(ROOT))
    return clean


def run(env, *args, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=60
    )


def test_ask_json_prints_the_contract_object_with_a_citation(env):
    result = run(env, "ask", "--json", "Quanto vale l'accordo?")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert set(reply) == {"answer", "citations", "refused", "language", "engine", "grounded", "verification"}
    assert reply["verification"] == {"checked": False}  # the offline engine quotes: nothing to verify
    assert reply["citations"][0]["id"] == "openai-aws/p3"
    assert "38 miliardi" in reply["citations"][0]["quote"]
    assert (reply["refused"], reply["language"], reply["engine"], reply["grounded"]) == (False, "it", "offline", True)


def test_the_same_conversation_id_continues_across_calls(env):
    assert run(env, "ask", "--conversation", "t1", "Who is the AWS chief?").returncode == 0
    follow_up = json.loads(run(env, "ask", "--json", "--conversation", "t1", "What did he say?").stdout)
    assert not follow_up["refused"] and follow_up["citations"][0]["id"] == "openai-aws/p8"


def test_brief_in_english(env):
    result = run(env, "brief", "--lang", "en")
    assert result.returncode == 0
    assert "OpenAI picks AWS" in result.stdout and "- OpenAI and AWS signed" in result.stdout
    assert "[1] openai-aws/p3" in result.stdout


def test_chat_answers_questions_piped_line_by_line(env):
    result = run(env, "chat", stdin="Quanto vale l'accordo?\n\nWho is Sam Altman?\n/brief en\n")
    assert result.returncode == 0, result.stderr
    assert "38 miliardi di dollari" in result.stdout
    assert "The article doesn't say" in result.stdout
    assert "OpenAI picks AWS" in result.stdout


def test_eval_prints_the_figures_and_meets_the_targets(env):
    result = run(env, "eval")
    assert result.returncode == 0, result.stdout
    for figure in ("accuracy on answerable", "refusal rate on unanswerable", "refusal rate on injection",
                   "citation validity", "language match"):
        assert figure in result.stdout
    assert "targets (answerable >= 90%, refusals = 100%): met" in result.stdout


@pytest.mark.parametrize(
    ("args", "extra_env", "message"),
    [
        (["ask"], {}, "the question is empty"),
        (["ask", "--bogus", "x"], {}, "unrecognized arguments: --bogus"),
        (["ask", "x"], {"BRIEFBOT_KNOWLEDGE_DIR": "/nonexistent"}, "knowledge folder not found"),
        (["ask", "x"], {"BRIEFBOT_DATABASE_URL": "nonsense"}, "BRIEFBOT_DATABASE_URL"),
        (["ask", "x"], {"BRIEFBOT_ENGINE": "magic"}, "BRIEFBOT_ENGINE must be one of"),
        (["ask", "x"], {"BRIEFBOT_ENGINE": "openai"}, "OPENAI_API_KEY"),
        (["ask", "x"], {"OPENAI_BASE_URL": "ftp://x"}, "OPENAI_BASE_URL must be a URL"),
        (["eval", "/nonexistent.jsonl"], {}, "cannot read"),
    ],
)
def test_bad_input_gets_one_clear_line_and_a_non_zero_exit(env, args, extra_env, message):
    result = run({**env, **extra_env}, *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_secret_never_appears_in_any_output(env, fake_openai_thread):
    fake_openai_thread.enqueue(*[Status(401, {"error": {"message": f"Incorrect API key provided: {SECRET}"}})] * 3)
    env.update(OPENAI_API_KEY=SECRET, OPENAI_BASE_URL=fake_openai_thread.base_url)
    result = run(env, "ask", "--json", "How much is the deal worth?")
    assert result.returncode == 0
    assert json.loads(result.stdout)["engine"] == "offline"
    assert SECRET not in result.stdout + result.stderr
    assert fake_openai_thread.requests, "the model was called"


def test_with_a_key_the_model_answers_through_openai_base_url(env, fake_openai_thread):
    fake_openai_thread.enqueue("The deal is worth $38 billion [openai-aws/p3].")
    env.update(OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=fake_openai_thread.base_url)
    reply = json.loads(run(env, "ask", "--json", "How much is the deal worth?").stdout)
    assert reply["engine"] == "openai" and reply["answer"] == "The deal is worth $38 billion [1]."


def test_help_does_not_import_the_heavy_libraries(env):
    code = (
        "import sys, runpy; sys.argv=['bot','--help']\n"
        "try: runpy.run_module('bot', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "heavy = [m for m in ('openai','sqlalchemy','bm25s','slack_bolt','discord','numpy') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert "HEAVY []" in result.stdout


def _eval_file(tmp_path, *items):
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in items), encoding="utf-8")
    return str(path)


def test_eval_with_a_rejected_key_says_the_model_did_not_answer_and_fails(env, fake_openai_thread, tmp_path):
    fake_openai_thread.responder = lambda _body: Status(401)
    env.update(OPENAI_API_KEY="sk-rejected", OPENAI_BASE_URL=fake_openai_thread.base_url, BRIEFBOT_ENGINE="openai")
    item = {"id": "a1", "kind": "answerable", "lang": "it", "question": "Quanto vale l'accordo?",
            "expect": ["openai-aws/p3"]}  # fmt: skip
    result = run(env, "eval", _eval_file(tmp_path, item))
    assert result.returncode == 1, result.stdout
    assert "answered by the model: 0/1; by the offline fallback: 1 (1 model unavailable)" in result.stdout
    assert "the openai engine did not answer 1 item(s)" in result.stdout


def test_eval_counts_citations_the_model_made_up_and_the_answer_language(env, fake_openai_thread, tmp_path):
    fake_openai_thread.enqueue(
        "The deal is worth $38 billion [openai-aws/p3] [openai-aws/p99].",  # a made-up id
        "Matt Garman è il CEO di AWS [openai-aws/p8].",  # right facts, wrong language
    )
    env.update(OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=fake_openai_thread.base_url, BRIEFBOT_JUDGE="off")
    items = [
        {"id": "a1", "kind": "answerable", "lang": "en", "question": "How much is the deal worth?",
         "expect": ["openai-aws/p3"]},
        {"id": "a2", "kind": "answerable", "lang": "en", "question": "Who is Matt Garman?",
         "expect": ["openai-aws/p8"]},
    ]  # fmt: skip
    result = run(env, "eval", _eval_file(tmp_path, *items))
    assert "citation validity               50.0%  (1/2)" in result.stdout
    assert "language match                  50.0%  (1/2)" in result.stdout
    assert "answered by the model: 2/2" in result.stdout


def test_a_reader_that_goes_away_gets_no_traceback(env):
    """``briefbot brief --json | head -c 1``: the pipe closes before the bot writes; it stops quietly."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "brief", "--json"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
    assert process.returncode == 141
