"""Every metric briefbot exports, in one registry (README.md, "Health, metrics and logs").

Recorded at the seams, once per event: the core (questions, latencies), the model guard and
client (model time, tokens), the model slots (queue, rejections), the digest runner (posts) and
the platforms' 429 handling (rate-limit waits). Labels take a few known values only.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)  # resident memory, CPU, open files: what an operator watches first
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

OUTCOMES = ("answered", "refused", "fallback", "verification_failed", "busy", "rate_limited")
# Answers take from milliseconds (offline) to tens of seconds (a model near its deadline).
SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)

QUESTIONS = Counter(
    "briefbot_questions",
    "Questions answered, by platform, engine asked and outcome",
    ["platform", "engine", "outcome"],
    registry=REGISTRY,
)
ANSWER_SECONDS = Histogram(
    "briefbot_answer_seconds",
    "Time from question to reply, in the core (rate limit, model, verification, store)",
    ["platform", "engine"],
    buckets=SECONDS,
    registry=REGISTRY,
)
MODEL_SECONDS = Histogram(
    "briefbot_model_seconds",
    "Time of one model call (an answer, a briefing or a judge's review), slot wait excluded",
    buckets=SECONDS,
    registry=REGISTRY,
)
VERIFICATION_SECONDS = Histogram(
    "briefbot_verification_seconds",
    "Time verifying one model answer against the passages (judge included)",
    buckets=SECONDS,
    registry=REGISTRY,
)
MODEL_TOKENS = Counter(
    "briefbot_model_tokens",
    "Model tokens, as the server's usage field counts them: direction in (prompt) or out (completion)",
    ["model", "direction"],
    registry=REGISTRY,
)
MODEL_QUEUE = Gauge(
    "briefbot_model_queue_waiting",
    "Questions waiting for a model slot in this process",
    registry=REGISTRY,
)
MODEL_REJECTIONS = Counter(
    "briefbot_model_rejections",
    "Model calls refused for lack of a slot: queue_full (at once) or no_slot_in_time (the deadline passed)",
    ["reason"],
    registry=REGISTRY,
)
DIGEST_POSTS = Counter(
    "briefbot_digest_posts",
    "Digest outcomes per channel: posted, skipped, paused, retry, unconfirmed, error, not-configured",
    ["platform", "outcome"],
    registry=REGISTRY,
)
RATE_LIMIT_WAITS = Counter(
    "briefbot_rate_limit_waits",
    "Times a platform answered 429 and the bot waited before retrying",
    ["platform"],
    registry=REGISTRY,
)
RATE_LIMIT_WAIT_SECONDS = Counter(
    "briefbot_rate_limit_wait_seconds",
    "Seconds the platform asked the bot to wait after a 429 (Retry-After)",
    ["platform"],
    registry=REGISTRY,
)


def rate_limit_waited(platform: str, seconds: float) -> None:
    RATE_LIMIT_WAITS.labels(platform).inc()
    RATE_LIMIT_WAIT_SECONDS.labels(platform).inc(max(0.0, seconds))


def model_tokens(model: str, tokens_in: int, tokens_out: int) -> None:
    MODEL_TOKENS.labels(model, "in").inc(tokens_in)
    MODEL_TOKENS.labels(model, "out").inc(tokens_out)


def digest_outcome(platform: str, outcome: str) -> None:
    DIGEST_POSTS.labels(platform, outcome).inc()
