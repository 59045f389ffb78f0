"""Settings, read once at start from the environment (and a ``.env`` file), typed.

A missing or malformed value raises ``ConfigError`` with one line naming the
variable and what it expects. Secrets are never part of an error message or a repr.

``prompts/`` and ``knowledge/`` come from BRIEFBOT_PROMPTS_DIR / BRIEFBOT_KNOWLEDGE_DIR, else from
the working directory, else (running from a checkout) from the repository root; the default
SQLite file goes in ``var/`` beside them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the repository root when run from a checkout
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'briefbot.sqlite3'}"
ENGINES = ("auto", "openai", "offline")
DATA_FOLDERS = {"knowledge": "BRIEFBOT_KNOWLEDGE_DIR", "prompts": "BRIEFBOT_PROMPTS_DIR"}


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line, safe to print."""


def _secret(default: str = "") -> str:
    return field(default=default, repr=False)


@dataclass(frozen=True)
class Settings:
    engine: str = "auto"
    model: str = "gpt-4o-mini"
    openai_api_key: str = _secret()
    openai_base_url: str = ""
    model_timeout: float = 30.0
    model_attempts: int = 4
    database_url: str = DEFAULT_DATABASE_URL
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    max_question_chars: int = 2000
    conversation_turns: int = 6
    conversation_token_budget: int = 1500
    conversation_ttl_hours: float = 24.0
    slack_bot_token: str = _secret()
    slack_signing_secret: str = _secret()
    slack_app_token: str = _secret()
    slack_api_url: str = "https://slack.com/api/"
    slack_mention_only: bool = False
    discord_token: str = _secret()
    discord_guild_id: int | None = None
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = ""
    discord_message_content: bool = False
    admins: frozenset[str] = frozenset()
    log_level: str = ""  # empty: the command's own default
    judge: str = "auto"  # auto: on when a model is configured
    judge_model: str = ""  # empty: the answering model
    chat_history_file: Path = field(default_factory=lambda: _state_dir({}) / "chat_history")
    # resilience (issue 10): deadlines, limits, retention, shutdown
    answer_deadline: float = 20.0  # seconds for one model answer, retries and waits included
    breaker_failures: int = 3
    breaker_cooldown: float = 30.0
    rate_limit_per_minute: int = 10  # questions per user
    model_concurrency: int = 16  # model calls at once, across replicas
    model_queue: int = 64  # questions waiting for a model slot, per process
    retain_conversation_days: float = 30.0
    retain_event_days: float = 2.0
    retain_digest_days: float = 365.0
    shutdown_grace: float = 25.0  # seconds in-flight answers get after SIGTERM
    stream_answers: bool = True  # with a model that streams, show answers claim by claim
    knowledge_poll_seconds: float = 30.0
    prompt_knowledge_tokens: int = 8000
    digest_post_timeout: float = 30.0  # seconds for one digest post: past it the outcome is unknown
    # scale-out (issue 14): Discord shards per process, digest posts in flight per worker
    discord_shard_ids: tuple[int, ...] = ()  # empty: every shard, in this process
    discord_shard_count: int | None = None  # None: the count Discord recommends (GET /gateway/bot)
    digest_concurrency: int = 16
    # observability (issue 14): /healthz, /readyz, /metrics and the log format
    health_host: str = "0.0.0.0"
    health_port: int | None = None  # off unless set (Slack's HTTP mode serves them on its own port anyway)
    log_format: str = "text"  # text | json
    log_text: bool = False  # question and answer text in the per-answer log line
    # durable hand-off (issue 14): questions accepted by a process that dies are answered by another
    handoff: bool = True  # BRIEFBOT_HANDOFF: record accepted questions and recover lapsed ones
    handoff_lease: float = 30.0  # seconds a question stays with its process without a heartbeat
    handoff_scan: float = 5.0  # seconds between two looks for lapsed questions
    handoff_attempts: int = 3  # answers tried per question (the first one included) before giving up
    handoff_max_age: float = 600.0  # seconds after which a lapsed question gets "please ask again" instead
    # offline engine paraphrases (issue 12)
    offline_paraphrases: bool = True  # find passages by meaning (sentence embeddings, ~120 MiB once used)

    @property
    def resolved_engine(self) -> str:
        """``auto`` means the model when a key is set, else the offline engine."""
        if self.engine == "auto":
            return "openai" if self.openai_api_key else "offline"
        return self.engine

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
        if environ is None:
            if dotenv:
                _load_dotenv()
            environ = os.environ
        env = {k: v.strip() for k, v in environ.items()}
        engine = env.get("BRIEFBOT_ENGINE", "auto").lower() or "auto"
        if engine not in ENGINES:
            raise ConfigError(f"BRIEFBOT_ENGINE must be one of {', '.join(ENGINES)} (got {engine!r})")
        home = data_home(env)
        return cls(
            engine=engine,
            model=env.get("BRIEFBOT_MODEL") or cls.model,
            openai_api_key=env.get("OPENAI_API_KEY", ""),
            openai_base_url=_url(env, "OPENAI_BASE_URL", "", schemes=("http", "https")),
            model_timeout=_number(env, "BRIEFBOT_MODEL_TIMEOUT", cls.model_timeout, float),
            model_attempts=_number(env, "BRIEFBOT_MODEL_ATTEMPTS", cls.model_attempts, int),
            database_url=env.get("BRIEFBOT_DATABASE_URL") or f"sqlite:///{home / 'var' / 'briefbot.sqlite3'}",
            knowledge_dir=Path(env.get("BRIEFBOT_KNOWLEDGE_DIR") or home / "knowledge"),
            prompts_dir=Path(env.get("BRIEFBOT_PROMPTS_DIR") or home / "prompts"),
            max_question_chars=_number(env, "BRIEFBOT_MAX_QUESTION_CHARS", 2000, int),
            conversation_turns=_number(env, "BRIEFBOT_CONVERSATION_TURNS", 6, int),
            conversation_ttl_hours=_number(env, "BRIEFBOT_CONVERSATION_TTL_HOURS", 24.0, float),
            slack_bot_token=env.get("SLACK_BOT_TOKEN", ""),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            slack_app_token=env.get("SLACK_APP_TOKEN", ""),
            slack_api_url=_url(env, "SLACK_API_URL", cls.slack_api_url, schemes=("http", "https")),
            slack_mention_only=_flag(env, "BRIEFBOT_SLACK_MENTION_ONLY"),
            discord_token=env.get("DISCORD_TOKEN", ""),
            discord_guild_id=_optional_id(env, "DISCORD_GUILD_ID"),
            discord_api_url=_url(env, "DISCORD_API_URL", cls.discord_api_url, schemes=("http", "https")),
            discord_gateway_url=_url(env, "DISCORD_GATEWAY_URL", "", schemes=("ws", "wss")),
            discord_message_content=_flag(env, "BRIEFBOT_DISCORD_MESSAGE_CONTENT"),
            admins=frozenset(a for a in env.get("BRIEFBOT_ADMINS", "").replace(",", " ").split() if a),
            log_level=_log_level(env),
            judge=_choice(env, "BRIEFBOT_JUDGE", ("auto", "on", "off")),
            judge_model=env.get("BRIEFBOT_JUDGE_MODEL", ""),
            chat_history_file=Path(env.get("BRIEFBOT_CHAT_HISTORY") or _state_dir(env) / "chat_history"),
            **_resilience(env),
            stream_answers=_flag(env, "BRIEFBOT_STREAM_ANSWERS") if env.get("BRIEFBOT_STREAM_ANSWERS") else True,
            knowledge_poll_seconds=_number(env, "BRIEFBOT_KNOWLEDGE_POLL_SECONDS", 30.0, float),
            prompt_knowledge_tokens=_number(env, "BRIEFBOT_PROMPT_KNOWLEDGE_TOKENS", 8000, int),
            **_scale_out(env),
            **_observability(env),
            **_handoff(env),
            offline_paraphrases=(
                _flag(env, "BRIEFBOT_OFFLINE_PARAPHRASES") if env.get("BRIEFBOT_OFFLINE_PARAPHRASES") else True
            ),
        )


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name, "").lower() or choices[0]
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)} (got {raw!r})")
    return raw


def _log_level(env: Mapping[str, str]) -> str:
    from bot.logs import LEVELS

    raw = env.get("BRIEFBOT_LOG_LEVEL", "").upper()
    if raw and raw not in LEVELS:
        raise ConfigError(f"BRIEFBOT_LOG_LEVEL must be one of {', '.join(LEVELS)} (got {raw!r})")
    return raw


def _resilience(env: Mapping[str, str]) -> dict:
    names = {
        "answer_deadline": ("BRIEFBOT_ANSWER_DEADLINE", float),
        "breaker_failures": ("BRIEFBOT_BREAKER_FAILURES", int),
        "breaker_cooldown": ("BRIEFBOT_BREAKER_COOLDOWN", float),
        "rate_limit_per_minute": ("BRIEFBOT_RATE_LIMIT", int),
        "model_concurrency": ("BRIEFBOT_MODEL_CONCURRENCY", int),
        "model_queue": ("BRIEFBOT_MODEL_QUEUE", int),
        "retain_conversation_days": ("BRIEFBOT_RETAIN_CONVERSATIONS_DAYS", float),
        "retain_event_days": ("BRIEFBOT_RETAIN_EVENTS_DAYS", float),
        "retain_digest_days": ("BRIEFBOT_RETAIN_DIGESTS_DAYS", float),
        "shutdown_grace": ("BRIEFBOT_SHUTDOWN_GRACE", float),
        "digest_post_timeout": ("BRIEFBOT_DIGEST_POST_TIMEOUT", float),
    }
    return {field: _number(env, name, getattr(Settings, field), kind) for field, (name, kind) in names.items()}


# --- scale-out (issue 14) -------------------------------------------------------------------

SHARDS_HELP = "auto, or SHARD/COUNT like 0/2 (several: 0,1/4), each shard below the count"


def _scale_out(env: Mapping[str, str]) -> dict:
    ids, count = _discord_shards(env.get("BRIEFBOT_DISCORD_SHARDS", ""))
    return {
        "discord_shard_ids": ids,
        "discord_shard_count": count,
        "digest_concurrency": _number(env, "BRIEFBOT_DIGEST_CONCURRENCY", Settings.digest_concurrency, int),
    }


def _discord_shards(raw: str) -> tuple[tuple[int, ...], int | None]:
    """``BRIEFBOT_DISCORD_SHARDS``: ``auto`` (or unset) runs every shard Discord recommends here;
    ``i/n`` runs shard i of n (``0,1/4``: shards 0 and 1 of 4), so n processes split the guilds."""
    if raw.lower() in ("", "auto"):
        return (), None
    ids, sep, count = raw.replace(" ", "").partition("/")
    try:
        shard_ids = tuple(int(i) for i in ids.split(","))
        shard_count = int(count)
    except ValueError:
        shard_ids, shard_count = (), 0
    if not sep or not shard_ids or shard_count < 1 or any(not 0 <= i < shard_count for i in shard_ids):
        raise ConfigError(f"BRIEFBOT_DISCORD_SHARDS must be {SHARDS_HELP} (got {raw!r})")
    return tuple(sorted(set(shard_ids))), shard_count


# --- observability (issue 14) ---------------------------------------------------------------


def _observability(env: Mapping[str, str]) -> dict:
    from bot.logs import LOG_FORMATS

    port = None
    if env.get("BRIEFBOT_HEALTH_PORT"):
        port = _number(env, "BRIEFBOT_HEALTH_PORT", None, int)
        if port > 65535:
            raise ConfigError(f"BRIEFBOT_HEALTH_PORT must be a port number, 1-65535 (got {port})")
    return {
        "health_host": env.get("BRIEFBOT_HEALTH_HOST") or Settings.health_host,
        "health_port": port,
        "log_format": _choice(env, "BRIEFBOT_LOG_FORMAT", LOG_FORMATS),
        "log_text": _flag(env, "BRIEFBOT_LOG_TEXT"),
    }


# --- durable hand-off (issue 14) -----------------------------------------------------------


def _handoff(env: Mapping[str, str]) -> dict:
    """The durable hand-off's settings (issue 14)."""
    names = {
        "handoff_lease": ("BRIEFBOT_HANDOFF_LEASE", float),
        "handoff_scan": ("BRIEFBOT_HANDOFF_SCAN", float),
        "handoff_attempts": ("BRIEFBOT_HANDOFF_ATTEMPTS", int),
        "handoff_max_age": ("BRIEFBOT_HANDOFF_MAX_AGE", float),
    }
    values = {field: _number(env, name, getattr(Settings, field), kind) for field, (name, kind) in names.items()}
    values["handoff"] = _flag(env, "BRIEFBOT_HANDOFF") if env.get("BRIEFBOT_HANDOFF") else True
    return values


def data_home(env: Mapping[str, str], cwd: Path | None = None) -> Path:
    """The folder holding ``prompts/`` and ``knowledge/`` (those not set by their variable): the
    working directory, else the checkout briefbot runs from. Neither: one line saying where it looked."""
    cwd = cwd or Path.cwd()
    needed = [folder for folder, variable in DATA_FOLDERS.items() if not env.get(variable)]
    in_checkout = (PROJECT_ROOT / "pyproject.toml").is_file() and cwd.resolve() != PROJECT_ROOT
    candidates = [cwd, PROJECT_ROOT] if in_checkout else [cwd]
    for home in candidates:
        if all((home / folder).is_dir() for folder in needed):
            return home
    looked = " and ".join(str(home) for home in candidates)
    missing = " and ".join(f"{folder}/ (or {DATA_FOLDERS[folder]})" for folder in needed)
    raise ConfigError(f"no {missing} found: looked in {looked}; run briefbot in a folder that holds them")


def _state_dir(env: Mapping[str, str]) -> Path:
    """Where per-user state (the chat history) lives: $XDG_STATE_HOME/briefbot, else ~/.local/state/briefbot."""
    base = env.get("XDG_STATE_HOME") or os.environ.get("XDG_STATE_HOME")
    return (Path(base) if base else Path.home() / ".local" / "state") / "briefbot"


def _load_dotenv() -> None:
    path = Path.cwd() / ".env"
    if path.is_file():
        from dotenv import load_dotenv

        load_dotenv(path, override=False)


def _number(env: Mapping[str, str], name: str, default, kind):
    raw = env.get(name, "")
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a positive {kind.__name__} (got {raw!r})") from None
    if value <= 0:
        raise ConfigError(f"{name} must be a positive {kind.__name__} (got {raw!r})")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be true or false (got {raw!r})")


def _optional_id(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "")
    if not raw:
        return None
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a numeric Discord id (got {raw!r})")
    return int(raw)


def _url(env: Mapping[str, str], name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    raw = env.get(name, "")
    if not raw:
        return default
    scheme, sep, rest = raw.partition("://")
    if not sep or scheme.lower() not in schemes or not rest:
        expected = " or ".join(f"{s}://..." for s in schemes)
        raise ConfigError(f"{name} must be a URL like {expected} (got {raw!r})")
    return raw
