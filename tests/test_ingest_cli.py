"""``python -m bot ingest`` as a user runs it: subprocesses, a scripted model behind the fake
OpenAI server (through the real openai SDK), real files and output."""

import os
import subprocess
import sys

import pytest
import yaml

from tests.fakes.openai_server import FakeOpenAI
from tests.ingest_helpers import ROOT, SEED, SHIPPED, ShippedEditor

SEED_FLAGS = ("--id", "openai-aws", "--date", "2025-11-04", "--tags", "software,hardware")


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    (tmp_path / "knowledge").mkdir()
    clean.update(
        BRIEFBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        BRIEFBOT_KNOWLEDGE_DIR=str(tmp_path / "knowledge"),
        PYTHONPATH=str(ROOT),
    )
    return clean


def run(env, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "bot", "ingest", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def passages(data):
    return [(p["id"], p.get("role", "body"), " ".join(p["it"].split()), " ".join(p.get("en", "").split()))
            for p in data["passages"]]  # fmt: skip


def test_the_seed_with_a_scripted_model_gives_the_shipped_file(env, tmp_path):
    editor = ShippedEditor()
    with FakeOpenAI.run_in_thread(responder=editor) as server:
        env.update(OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=server.base_url, BRIEFBOT_MODEL_ATTEMPTS="1")
        result = run(env, str(SEED), "--dry-run", *SEED_FLAGS)
    assert result.returncode == 0, result.stderr
    written = yaml.safe_load(result.stdout)
    assert passages(written) == passages(SHIPPED)
    assert written["key_points"] == [{"cite": k["cite"], "it": k["it"], "en": k["en"]} for k in SHIPPED["key_points"]]
    for key in ("id", "title", "title_en", "subtitle", "language", "published", "tags"):
        assert written[key] == SHIPPED[key], key
    assert len(editor.translation_requests) == 12  # one per passage, through the real SDK
    assert list((tmp_path / "knowledge").iterdir()) == []  # a dry run writes nothing


def test_unclear_date_and_tags_are_asked_for_and_nothing_is_written(env, tmp_path):
    result = run(env, str(SEED))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert '"11/4/2025" could be 2025-04-11 or 2025-11-04 (pass --date' in result.stderr
    assert '"SOFTWAREHARDWARE" may be several tags run together (pass --tags' in result.stderr
    assert list((tmp_path / "knowledge").iterdir()) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("missing.txt", "no such file: missing.txt"),
        ("empty.txt", "empty.txt is empty"),
        ("title-only.txt", "no article text found"),
        ("http://127.0.0.1:9/article", "cannot fetch it"),
    ],
)
def test_unreadable_or_empty_sources_give_one_line_and_write_nothing(env, tmp_path, source, expected):
    (tmp_path / "empty.txt").write_text("  \n\n")
    (tmp_path / "title-only.txt").write_text("Just a title\n")
    result = subprocess.run([sys.executable, "-m", "bot", "ingest", source, *SEED_FLAGS], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("briefbot: error: ") and expected in result.stderr
    assert result.stderr.count("\n") == 1
    assert list((tmp_path / "knowledge").iterdir()) == []


def test_an_ingested_article_is_answered_and_briefed_at_once(env, tmp_path):
    text = ("Nvidia presenta il chip Rubin\n\nIl nuovo acceleratore arriva nel 2026.\n\nTags: hardware, ai\n\n"
            "2026-03-18\n\nNvidia ha presentato Rubin, il successore di Blackwell, alla conferenza GTC di San Jose. "
            "Il chip offre il triplo delle prestazioni per watt.\n\nLe prime consegne ai clienti cloud sono "
            "previste per il terzo trimestre del 2026.\n")  # fmt: skip
    result = run(env, "-", stdin=text)
    assert result.returncode == 0, result.stderr
    assert "nvidia-presenta-il-chip-rubin: added, 5 passages" in result.stdout
    ask = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "Chi ha presentato Rubin?"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert '"nvidia-presenta-il-chip-rubin/p3"' in ask.stdout, ask.stdout + ask.stderr


def test_re_ingesting_the_seed_over_the_shipped_file_changes_nothing(env, tmp_path):
    shipped = ROOT / "knowledge" / "openai-aws.yaml"
    copy = tmp_path / "knowledge" / "openai-aws.yaml"
    copy.write_bytes(shipped.read_bytes())
    result = run(env, str(SEED))  # no flags: the unclear date and tags are the published ones
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "openai-aws: unchanged, nothing to update"
    assert "kept 2025-11-04 from the published version" in result.stderr
    assert copy.read_bytes() == shipped.read_bytes()
