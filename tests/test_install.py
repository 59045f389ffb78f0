"""briefbot installed as a package, away from the checkout: the ``briefbot`` console script, and
prompts/ and knowledge/ found in the working directory (or one line saying where it looked)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Quanto vale l'accordo?"


@pytest.fixture
def env():
    return {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}


def folder_with_articles(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "prompts", work / "prompts")
    shutil.copytree(ROOT / "knowledge", work / "knowledge")
    return work


def package_alone(tmp_path: Path) -> Path:
    """The ``bot`` package without the checkout around it, as an installed package is."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "bot", site / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    return site


def briefbot(env, site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env={**env, "PYTHONPATH": str(site)},
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_prompts_and_knowledge_are_found_in_the_working_directory(env, tmp_path):
    work = folder_with_articles(tmp_path)
    result = briefbot(env, package_alone(tmp_path), work, "ask", "--json", QUESTION)
    assert result.returncode == 0, result.stderr
    assert "38 miliardi" in json.loads(result.stdout)["answer"]
    assert (work / "var" / "briefbot.sqlite3").is_file(), "the default store lives beside them"


def test_without_them_one_line_says_where_it_looked(env, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = briefbot(env, package_alone(tmp_path), empty, "ask", QUESTION)
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("briefbot: error: no knowledge/ (or BRIEFBOT_KNOWLEDGE_DIR) and prompts/")
    assert line.endswith(f"looked in {empty}; run briefbot in a folder that holds them")


def test_the_variables_point_elsewhere(env, tmp_path):
    work = folder_with_articles(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env.update(BRIEFBOT_PROMPTS_DIR=str(work / "prompts"), BRIEFBOT_KNOWLEDGE_DIR=str(work / "knowledge"),
               BRIEFBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")  # fmt: skip
    result = briefbot(env, package_alone(tmp_path), elsewhere, "ask", "--json", QUESTION)
    assert result.returncode == 0, result.stderr
    assert "38 miliardi" in json.loads(result.stdout)["answer"]


def test_the_built_wheel_installs_the_briefbot_command(env, tmp_path):
    """Build the wheel as ``pip install .`` does, install it (dependencies are those of this
    environment) and run its console script from a folder holding prompts/ and knowledge/."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(ROOT / "bot", source / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", source / "tests")  # present in a clone: must not be packaged
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist", source],
                   check=True, env=env, timeout=300)  # fmt: skip
    [wheel] = (tmp_path / "dist").glob("briefbot-*.whl")
    site = tmp_path / "installed"
    subprocess.run([*pip, "install", "--no-deps", "--target", site, wheel], check=True, env=env, timeout=300)
    assert sorted(p.name for p in site.iterdir() if not p.name.endswith(".dist-info")) == ["bin", "bot"]

    work = folder_with_articles(tmp_path)
    command = [str(site / "bin" / "briefbot")]
    installed = {**env, "PYTHONPATH": str(site)}
    assert "briefs a team" in subprocess.run([*command, "--help"], env=installed, capture_output=True,
                                             text=True, timeout=60).stdout  # fmt: skip
    result = subprocess.run([*command, "ask", QUESTION], cwd=work, env=installed, capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "38 miliardi di dollari" in result.stdout and "[1] openai-aws/p3" in result.stdout
