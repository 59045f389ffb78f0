"""A scriptable fake OpenAI server speaking the real Chat Completions wire format over HTTP.

Drive it like llm's ``MockModel``: ``enqueue`` steps that are served one per request, in order;
when the queue is empty, ``responder`` answers. Every request is recorded (path, JSON body,
headers) so tests can assert on prompts and on the number of attempts.

    async with FakeOpenAI() as server:          # in a test: the ``fake_openai`` fixture
        server.enqueue(Status(429, headers={"Retry-After": "1"}), "Ciao!")
        client = AsyncOpenAI(base_url=server.base_url, api_key="k", max_retries=0)

    with FakeOpenAI.run_in_thread() as server:  # sync tests, subprocesses (OPENAI_BASE_URL)
        subprocess.run([...], env={"OPENAI_BASE_URL": server.base_url, ...})

Run it by hand: ``python -m tests.fakes.openai_server --port 3003``.

Requests are served concurrently (a 1 s ``delay`` for 50 requests takes about 1 s, not 50).

Grounding-judge requests (structured output named ``claim_verdicts``) are served from their own
queue, so a test scripts the answer and the judge's verdicts independently:

    server.enqueue("Matt Garman is OpenAI's CEO [openai-aws/p8].")
    server.enqueue_judge(verdicts((False, "p8 says he is AWS's CEO")))

With no judge step queued the judge approves every claim it is asked about (the answer's own
checks still apply), so tests that do not care about the judge need not script it.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DEFAULT_REPLY = "This is the fake model's reply."


@dataclass(frozen=True)
class Text:
    """A normal completion whose assistant message is ``content``."""

    content: str
    finish_reason: str = "stop"


@dataclass(frozen=True)
class Status:
    """An HTTP error (or any status): ``body`` is sent as JSON (dict) or as text (str)."""

    status: int
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Delay:
    """Wait ``seconds`` (cut short when the server closes), then serve ``then`` (default: the responder)."""

    seconds: float
    then: Step | None = None


@dataclass(frozen=True)
class Malformed:
    """A 200 whose body is sent verbatim: not JSON, no ``choices``, a null content..."""

    body: str
    content_type: str = "application/json"


@dataclass(frozen=True)
class Trickle:
    """A 200 whose body arrives one byte every ``interval`` seconds, ``count`` bytes in all:
    every read gets data well within a per-read timeout, the answer never completes in time."""

    interval: float
    count: int = 1000


@dataclass(frozen=True)
class Stream:
    """A streamed answer (``"stream": true`` requests): ``pieces`` sent as SSE chunks, ``interval``
    seconds apart; ``cut=True`` drops the connection after the last piece instead of finishing.
    The server logs when each piece left (``stream_log``), for latency benchmarks."""

    pieces: tuple[str, ...]
    interval: float = 0.0
    cut: bool = False


Step = Text | Status | Delay | Malformed | Trickle | Stream | str
JUDGE_SCHEMA_NAME = "claim_verdicts"


def verdicts(*items: tuple[bool, str] | bool) -> str:
    """A judge reply: one ``(stated, reason)`` (or bare bool) per claim, numbered from 1."""
    rows = [item if isinstance(item, tuple) else (item, "") for item in items]
    return json.dumps({"verdicts": [{"claim": n, "stated": s, "reason": r} for n, (s, r) in enumerate(rows, 1)]})


def is_judge_request(body: Any) -> bool:
    fmt = body.get("response_format") if isinstance(body, dict) else None
    return isinstance(fmt, dict) and (fmt.get("json_schema") or {}).get("name") == JUDGE_SCHEMA_NAME


def _approve_all(body: dict[str, Any]) -> str:
    claims = sum(len(re.findall(r"^Claim \d+:", m.get("content", ""), re.M)) for m in body.get("messages", []))
    return verdicts(*[True] * claims)


Responder = Callable[[dict[str, Any]], "Step | Awaitable[Step]"]


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    json: Any
    headers: dict[str, str]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.json.get("messages", []) if isinstance(self.json, dict) else []


def _error_body(status: int) -> dict[str, Any]:
    return {"error": {"message": f"fake error {status}", "type": "fake_error", "param": None, "code": None}}


class FakeOpenAI:
    """An OpenAI-compatible server on 127.0.0.1 (random port); ``base_url`` ends with ``/v1``."""

    def __init__(self, *, responder: Responder | None = None, delay: float = 0.0, api_key: str = "") -> None:
        self.responder: Responder = responder or (lambda _body: DEFAULT_REPLY)
        self.delay = delay  # applied to every request, before its step
        self.api_key = api_key  # when set, any other bearer token gets OpenAI's 401 invalid_api_key
        self.in_flight = 0
        self.max_in_flight = 0  # the most chat completions served at once
        self.requests: list[RecordedRequest] = []
        self.judge_requests: list[RecordedRequest] = []
        self.stream_log: list[tuple[float, str]] = []  # (time.perf_counter() when sent, piece)
        self._queue: deque[Step] = deque()
        self._judge_queue: deque[Step] = deque()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        self.base_url = ""
        self.port = 0

    # scripting ----------------------------------------------------------------------------------------

    def enqueue(self, *steps: Step) -> None:
        """Queue steps served one per request, in order; a plain ``str`` is a ``Text`` reply."""
        self._queue.extend(steps)

    def enqueue_judge(self, *steps: Step) -> None:
        """Queue steps for grounding-judge requests only (see ``verdicts``)."""
        self._judge_queue.extend(steps)

    @property
    def pending(self) -> int:
        """Steps not served yet."""
        return len(self._queue)

    # lifecycle ----------------------------------------------------------------------------------------

    async def start(self) -> FakeOpenAI:
        self._closing = asyncio.Event()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        app.router.add_get("/v1/models", self._models)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)  # port 0: any free one
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        return self

    async def close(self) -> None:
        if self._runner is None:
            return
        assert self._closing is not None
        self._closing.set()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeOpenAI:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    @classmethod
    @contextmanager
    def run_in_thread(cls, **kwargs: Any) -> Iterator[FakeOpenAI]:
        """Serve from a background thread with its own event loop; for sync tests and subprocesses.

        ``enqueue``, ``responder`` and ``requests`` may be used from the calling thread.
        """
        server = cls(**kwargs)
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="fake-openai", daemon=True)
        thread.start()
        try:
            asyncio.run_coroutine_threadsafe(server.start(), loop).result(timeout=10)
            yield server
        finally:
            asyncio.run_coroutine_threadsafe(server.close(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.close()

    # serving ------------------------------------------------------------------------------------------

    def _rejected(self, request: web.Request) -> web.Response | None:
        if not self.api_key or request.headers.get("Authorization") == f"Bearer {self.api_key}":
            return None
        error = {
            "message": "Incorrect API key provided.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
        return web.json_response({"error": error}, status=401)

    async def _models(self, request: web.Request) -> web.Response:
        self.requests.append(RecordedRequest(path=request.path, json=None, headers=dict(request.headers)))
        rejected = self._rejected(request)
        if rejected is not None:
            return rejected
        model = {"id": "fake-model", "object": "model", "created": 0, "owned_by": "fake"}
        return web.json_response({"object": "list", "data": [model]})

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        recorded = RecordedRequest(path=request.path, json=body, headers=dict(request.headers))
        judging = is_judge_request(body)
        (self.judge_requests if judging else self.requests).append(recorded)
        rejected = self._rejected(request)
        if rejected is not None:
            return rejected
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await self._sleep(self.delay)
            if judging:
                step: Step | None = self._judge_queue.popleft() if self._judge_queue else _approve_all(body)
            else:
                step = self._queue.popleft() if self._queue else None
            return await self._serve(step, body, request)
        finally:
            self.in_flight -= 1

    async def _serve(self, step: Step | None, body: Any, request: web.Request) -> web.StreamResponse:
        if step is None:
            step = self.responder(body if isinstance(body, dict) else {})
            if inspect.isawaitable(step):
                step = await step
        if isinstance(step, str):
            step = Text(step)
        if isinstance(step, Delay):
            await self._sleep(step.seconds)
            return await self._serve(step.then, body, request)
        if isinstance(step, Trickle):
            response = web.StreamResponse(headers={"Content-Type": "application/json"})
            await response.prepare(request)
            for _ in range(step.count):
                await response.write(b" ")  # JSON allows leading whitespace: the body stays valid so far
                await self._sleep(step.interval)
                if self._closing is not None and self._closing.is_set():
                    break
            return response
        if isinstance(step, Status):
            if isinstance(step.body, str):
                return web.Response(status=step.status, text=step.body, headers=step.headers)
            payload = step.body if step.body is not None else _error_body(step.status)
            return web.json_response(payload, status=step.status, headers=step.headers)
        if isinstance(step, Malformed):
            return web.Response(body=step.body.encode(), headers={"Content-Type": step.content_type})
        wants_stream = isinstance(body, dict) and body.get("stream") is True
        if isinstance(step, Stream) or wants_stream:
            if not isinstance(step, Stream):  # a plain reply to a streaming request: word by word
                step = Stream(tuple(re.findall(r"\S+\s*|\s+", step.content)))
            return await self._stream(step, body, request)
        return web.json_response(self._completion(step, body))

    async def _stream(self, step: Stream, body: Any, request: web.Request) -> web.StreamResponse:
        """Server-sent events as OpenAI sends them: one ``chat.completion.chunk`` per piece, a
        last chunk with the finish reason, then ``data: [DONE]``."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(request)
        completion_id = f"chatcmpl-fake{next(self._ids)}"
        model = body.get("model", "fake-model") if isinstance(body, dict) else "fake-model"

        async def send(delta: dict[str, Any], finish_reason: str | None = None) -> None:
            chunk = {"id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()),
                     "model": model, "choices": [{"index": 0, "delta": delta, "logprobs": None,
                                                  "finish_reason": finish_reason}]}  # fmt: skip
            await response.write(f"data: {json.dumps(chunk)}\n\n".encode())

        await send({"role": "assistant", "content": ""})
        for number, piece in enumerate(step.pieces):
            if number and step.interval:
                await self._sleep(step.interval)
            await send({"content": piece})
            self.stream_log.append((time.perf_counter(), piece))
        if step.cut:
            assert request.transport is not None
            request.transport.close()
            return response
        await send({}, "stop")
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response

    def _completion(self, step: Text, body: Any) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model") if isinstance(body, dict) else "fake-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": step.content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": step.finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }

    async def _sleep(self, seconds: float) -> None:
        # Ends early when the server closes, so a long delay never holds up shutdown.
        assert self._closing is not None
        with suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), timeout=seconds)



if __name__ == "__main__":
    from tests.fakes.run import main

    main(["openai"])
