"""A scripted translator and editor for ingest tests: the fake OpenAI server answers
translation requests with the shipped file's translations and key-point requests with the
shipped key points, looked up from what each request actually asks."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "article-openai-aws.txt"
SHIPPED = yaml.safe_load((ROOT / "knowledge" / "openai-aws.yaml").read_text(encoding="utf-8"))


def _normal(text: str) -> str:
    return " ".join(text.split())


SHIPPED_TRANSLATIONS = {_normal(p["it"]): _normal(p["en"]) for p in SHIPPED["passages"]}


def is_translation_request(body: dict) -> bool:
    messages = body.get("messages") or []
    return bool(messages) and messages[0]["role"] == "system" and "You translate" in messages[0]["content"]


class ShippedEditor:
    """A responder for ``FakeOpenAI``: ``overrides`` maps an Italian passage to the answers to
    give for it instead (one per request, the last one repeated)."""

    def __init__(self, overrides: dict[str, list[str]] | None = None, key_points: str | None = None) -> None:
        self.overrides = {_normal(k): list(v) for k, v in (overrides or {}).items()}
        self.key_points = key_points
        self.translation_requests: list[str] = []

    def __call__(self, body: dict) -> str:
        if is_translation_request(body):
            passage = _normal(body["messages"][-1]["content"])
            self.translation_requests.append(passage)
            answers = self.overrides.get(passage)
            if answers:
                return answers.pop(0) if len(answers) > 1 else answers[0]
            return SHIPPED_TRANSLATIONS.get(passage, "unknown passage")
        if self.key_points is not None:
            return self.key_points
        return json.dumps([{"it": k["it"], "en": k["en"], "cite": k["cite"]} for k in SHIPPED["key_points"]])
