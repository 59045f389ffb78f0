"""A scripted translator and editor for ingest tests: the fake OpenAI server answers
translation requests with the shipped file's translations and key-point requests with the
shipped key points, looked up from what each request actually asks."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


ARTICLE_PAGE = """<!doctype html><html lang="en"><head><title>Chipmaker unveils Rubin | Example News</title>
<meta property="og:title" content="Chipmaker unveils Rubin">
<meta name="description" content="The new accelerator ships in 2026.">
<meta property="article:published_time" content="2026-03-18T09:00:00Z">
<meta property="article:tag" content="hardware"><meta property="article:tag" content="ai">
</head><body><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav>
<article><h1>Chipmaker unveils Rubin</h1>
<p>Nvidia unveiled Rubin, the successor to Blackwell, at the GTC conference in San Jose on Tuesday. The chip triples
performance per watt, the company said.</p>
<p>First deliveries to cloud customers are planned for the third quarter of 2026, with volume production later in
the year.</p></article><footer>Subscribe to our newsletter. Cookie settings.</footer></body></html>"""


@contextmanager
def serving(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/news/rubin.html"
    finally:
        server.shutdown()
        server.server_close()
