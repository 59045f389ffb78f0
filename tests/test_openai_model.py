"""OpenAIChatModel through the real openai SDK over real HTTP to the fake OpenAI server."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import traceback
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import openai
import pytest

from bot.config import ConfigError, Settings
from bot.engines.model.chat_model import ModelRejected, ModelUnavailable
from bot.engines.model.openai_client import MAX_RETRY_AFTER, OpenAIChatModel, retry_after_seconds
from tests.fakes.openai_server import DEFAULT_REPLY, Delay, FakeOpenAI, Malformed, Status, Text

KEY = "sk-test-DO-NOT-LEAK-0123456789abcdef"
QUESTION = [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Chi ha firmato?"}]


class WaitRecorder:
    """Stands in for asyncio.sleep between attempts: records the delay, returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def waits() -> WaitRecorder:
    return WaitRecorder()


@pytest.fixture
async def make_model(fake_openai: FakeOpenAI, waits: WaitRecorder):
    models: list[OpenAIChatModel] = []

    def make(*, attempts: int = 3, timeout: float = 5.0, base_url: str | None = None) -> OpenAIChatModel:
        model = OpenAIChatModel(
            api_key=KEY,
            base_url=base_url or fake_openai.base_url,
            model="gpt-test",
            timeout=timeout,
            attempts=attempts,
            wait=waits,
        )
        models.append(model)
        return model

    yield make
    for model in models:
        await model.aclose()


# success ------------------------------------------------------------------------------------------


async def test_returns_the_assistant_text_and_sends_a_chat_completions_request(
    fake_openai, make_model, waits
):
    fake_openai.enqueue("L'accordo vale 38 miliardi di dollari [1].")

    text = await make_model().complete(QUESTION, max_tokens=123)

    assert text == "L'accordo vale 38 miliardi di dollari [1]."
    [request] = fake_openai.requests
    assert request.path == "/v1/chat/completions"
    assert request.json["model"] == "gpt-test"
    assert request.json["messages"] == QUESTION
    assert request.json["max_tokens"] == 123
    assert request.json["temperature"] == 0
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert waits.waits == []


async def test_one_model_reuses_its_client_across_calls(fake_openai, make_model):
    model = make_model()
    assert await model.complete(QUESTION) == DEFAULT_REPLY
    assert await model.complete(QUESTION) == DEFAULT_REPLY
    assert len(fake_openai.requests) == 2
    await model.aclose()
    await model.aclose()  # idempotent
    assert await model.complete(QUESTION) == DEFAULT_REPLY  # a closed model opens a new client on demand


# retried failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected_wait"),
    [
        ({"Retry-After": "1"}, 1.0),
        ({"Retry-After": "2.5"}, 2.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"Retry-After": "3600"}, MAX_RETRY_AFTER),
    ],
)
async def test_429_waits_as_long_as_retry_after_says_then_succeeds(
    fake_openai, make_model, waits, headers, expected_wait
):
    fake_openai.enqueue(Status(429, headers=headers), "Ciao!")

    assert await make_model().complete(QUESTION) == "Ciao!"

    assert len(fake_openai.requests) == 2
    assert waits.waits == [expected_wait]


async def test_retry_after_on_a_503_is_honoured_too(fake_openai, make_model, waits):
    fake_openai.enqueue(Status(503, headers={"Retry-After": "2"}), "ok")
    assert await make_model().complete(QUESTION) == "ok"
    assert waits.waits == [2.0]


@pytest.mark.parametrize("status", [500, 502, 503, 408, 409, 429])
async def test_transient_status_is_retried_with_jittered_backoff(fake_openai, make_model, waits, status):
    fake_openai.enqueue(Status(status), Status(status), "ok")

    assert await make_model(attempts=3).complete(QUESTION) == "ok"

    assert len(fake_openai.requests) == 3
    first, second = waits.waits
    assert 0.5 <= first <= 1.0  # 0.5 * 2**0 plus up to 0.5 jitter
    assert 1.0 <= second <= 1.5  # 0.5 * 2**1 plus up to 0.5 jitter


async def test_timeout_is_retried_then_succeeds(fake_openai, make_model, waits):
    fake_openai.enqueue(Delay(30), "in time")

    assert await make_model(timeout=0.2).complete(QUESTION) == "in time"

    assert len(fake_openai.requests) == 2
    assert len(waits.waits) == 1


async def test_timeout_that_persists_raises_model_unavailable_after_every_attempt(
    fake_openai, make_model, waits
):
    fake_openai.responder = lambda _body: Delay(30)

    with pytest.raises(ModelUnavailable, match=r"timed out \(3 attempts\)"):
        await make_model(attempts=3, timeout=0.2).complete(QUESTION)

    assert len(fake_openai.requests) == 3
    assert len(waits.waits) == 2


async def test_unreachable_server_raises_model_unavailable(make_model, waits):
    async with FakeOpenAI() as gone:
        dead_url = gone.base_url  # nothing listens there once it is closed

    with pytest.raises(ModelUnavailable, match=r"could not be reached \(2 attempts\)"):
        await make_model(attempts=2, base_url=dead_url).complete(QUESTION)
    assert len(waits.waits) == 1


@pytest.mark.parametrize("attempts", [1, 2, 4])
async def test_attempts_are_bounded_then_model_unavailable(fake_openai, make_model, waits, attempts):
    fake_openai.responder = lambda _body: Status(500)

    with pytest.raises(ModelUnavailable, match=rf"HTTP 500 InternalServerError .*\({attempts} attempts?\)"):
        await make_model(attempts=attempts).complete(QUESTION)

    assert len(fake_openai.requests) == attempts
    assert len(waits.waits) == attempts - 1


async def test_sdk_retries_are_off_so_each_attempt_is_one_request(fake_openai, make_model):
    fake_openai.enqueue(Status(429), Status(500), "ok")

    with pytest.raises(ModelUnavailable):
        await make_model(attempts=1).complete(QUESTION)
    assert len(fake_openai.requests) == 1  # the SDK's default would have sent 3

    assert await make_model(attempts=2).complete(QUESTION) == "ok"
    assert len(fake_openai.requests) == 3
    assert {r.headers["x-stainless-retry-count"] for r in fake_openai.requests} == {"0"}


# never retried ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (422, "UnprocessableEntityError"),
    ],
)
async def test_client_errors_are_rejected_without_retry(fake_openai, make_model, waits, status, error_class):
    fake_openai.enqueue(Status(status, {"error": {"message": "no", "code": "some_code"}}), "never reached")

    with pytest.raises(ModelRejected) as caught:
        await make_model(attempts=4).complete(QUESTION)

    expected = f"the model server rejected the request: HTTP {status} {error_class} [some_code]"
    assert str(caught.value) == expected
    assert len(fake_openai.requests) == 1
    assert waits.waits == []


# malformed bodies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "step",
    [
        Malformed("<html><body>Welcome to nginx</body></html>", content_type="text/html"),
        Malformed("{not json"),
        Malformed('{"id": "chatcmpl-1"}'),
        Malformed('{"choices": []}'),
        Malformed('{"choices": [{"index": 0, "message": {"role": "assistant", "content": null}}]}'),
        Malformed('{"choices": {"0": {"message": {"content": "hi"}}}}'),
        Malformed('{"choices": "hi"}'),
        Malformed('{"choices": [{"message": "hi"}]}'),
        Malformed('{"choices": [{"message": {"content": ["hi"]}}]}'),
        Malformed("[1, 2]"),
        Malformed("null"),
        Text(""),
        Text("   \n"),
    ],
    ids=[
        "html", "not-json", "no-choices", "empty-choices", "null-content", "choices-object", "choices-string",
        "message-string", "content-list", "json-list", "json-null", "empty", "blank",
    ],
)
async def test_malformed_body_raises_model_unavailable_without_retry(fake_openai, make_model, waits, step):
    fake_openai.enqueue(step, "never reached")

    with pytest.raises(ModelUnavailable, match="not a chat completion"):
        await make_model().complete(QUESTION)

    assert len(fake_openai.requests) == 1
    assert waits.waits == []


# secrets ------------------------------------------------------------------------------------------

ECHOING_STEPS = [
    Status(401, {"error": {"message": f"Incorrect API key provided: {KEY}", "type": "invalid_request_error",
                           "code": KEY}}),
    Status(400, f"bad request for key {KEY}"),
    Status(403, {"error": {"message": "no", "code": f"{'x' * 50}{KEY}"}}),  # a long code is dropped, not cut
    Status(500, {"error": {"message": f"upstream rejected {KEY}", "code": None}}),
    Status(429, {"error": {"message": f"slow down {KEY}", "type": KEY}}, headers={"Retry-After": "0"}),
    Malformed(f"<html>{KEY}</html>", content_type="text/html"),
]


@pytest.mark.parametrize("step", ECHOING_STEPS, ids=["401", "400-text", "403-long-code", "500", "429", "html"])
async def test_api_key_never_appears_in_errors_even_when_the_server_echoes_it(fake_openai, make_model, step):
    fake_openai.responder = lambda _body: step

    with pytest.raises((ModelRejected, ModelUnavailable)) as caught:
        await make_model(attempts=2).complete(QUESTION)

    error = caught.value
    shown = "".join(traceback.format_exception(error)) + repr(error) + str(error.args)
    assert KEY not in shown
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__  # the SDK error is not chained
    assert KEY in json.dumps(step.body)  # the server did echo it


async def test_api_key_is_not_in_the_model_repr(make_model):
    assert KEY not in repr(make_model())


# construction -------------------------------------------------------------------------------------


def test_from_settings_maps_every_setting():
    settings = Settings(
        openai_api_key=KEY,
        openai_base_url="http://127.0.0.1:9/v1",
        model="my-model",
        model_timeout=7.5,
        model_attempts=5,
    )
    model = OpenAIChatModel.from_settings(settings)
    assert model.name == "openai"
    assert model.model == "my-model"
    assert (model._base_url, model._timeout, model._attempts) == ("http://127.0.0.1:9/v1", 7.5, 5)


def test_from_settings_defaults_to_the_openai_url():
    assert OpenAIChatModel.from_settings(Settings(openai_api_key=KEY))._base_url == "https://api.openai.com/v1"


def test_from_settings_without_a_key_is_a_one_line_config_error():
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        OpenAIChatModel.from_settings(Settings(openai_api_key=""))


@pytest.mark.parametrize(("kwargs", "message"), [({"api_key": ""}, "api_key"), ({"attempts": 0}, "attempts")])
def test_constructor_rejects_unusable_arguments(kwargs, message):
    arguments = {"api_key": KEY, "base_url": None, "model": "m", "timeout": 1.0, "attempts": 1} | kwargs
    with pytest.raises(ValueError, match=message):
        OpenAIChatModel(**arguments)


async def test_production_wait_is_a_real_sleep(fake_openai):
    fake_openai.enqueue(Status(503, headers={"Retry-After": "0"}), "ok")
    model = OpenAIChatModel(api_key=KEY, base_url=fake_openai.base_url, model="m", timeout=5, attempts=2)
    async with model:
        assert await model.complete(QUESTION) == "ok"


def test_importing_the_module_does_not_import_openai():
    code = "import sys, bot.engines.model.openai_client; assert not {'openai', 'tenacity'} & set(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(_project_root()))


def _project_root():
    from bot.config import PROJECT_ROOT

    return PROJECT_ROOT


# Retry-After parsing ------------------------------------------------------------------------------

NOW = datetime(2025, 11, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "4"}, 4.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after": "99999"}, MAX_RETRY_AFTER),
        ({"retry-after": format_datetime(NOW + timedelta(seconds=12), usegmt=True)}, 12.0),
        ({"retry-after": format_datetime(NOW - timedelta(seconds=12), usegmt=True)}, 0.0),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after-ms": "x", "retry-after": "2"}, 2.0),
    ],
)
def test_retry_after_seconds(headers, expected):
    assert retry_after_seconds(headers, now=NOW.timestamp()) == expected


# the fake itself ----------------------------------------------------------------------------------


async def test_fake_serves_requests_concurrently(fake_openai):
    in_flight = 0
    all_arrived = asyncio.Event()

    async def responder(body):
        nonlocal in_flight
        in_flight += 1
        if in_flight == 20:
            all_arrived.set()
        # Returns only once all 20 requests are in flight at the same time.
        await asyncio.wait_for(all_arrived.wait(), timeout=10)
        return body["messages"][-1]["content"].upper()

    fake_openai.responder = responder
    client = openai.AsyncOpenAI(api_key=KEY, base_url=fake_openai.base_url, max_retries=0)
    try:
        replies = await asyncio.gather(
            *(
                client.chat.completions.create(model="m", messages=[{"role": "user", "content": f"q{i}"}])
                for i in range(20)
            )
        )
    finally:
        await client.close()
    assert [r.choices[0].message.content for r in replies] == [f"Q{i}" for i in range(20)]


def test_fake_runs_in_a_thread_for_sync_callers(fake_openai_thread):
    fake_openai_thread.enqueue("from a thread")
    request = urllib.request.Request(
        f"{fake_openai_thread.base_url}/chat/completions",
        data=json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    assert body["object"] == "chat.completion"
    assert body["choices"][0]["message"] == {"role": "assistant", "content": "from a thread", "refusal": None}
    assert body["choices"][0]["finish_reason"] == "stop"
    assert fake_openai_thread.requests[0].messages == [{"role": "user", "content": "hi"}]
    assert fake_openai_thread.pending == 0


def test_a_subprocess_reaches_the_threaded_fake_through_the_environment(fake_openai_thread):
    fake_openai_thread.enqueue(Status(503, headers={"Retry-After": "0"}), "risposta dal processo figlio")
    code = (
        "import asyncio\n"
        "from bot.config import Settings\n"
        "from bot.engines.model.openai_client import OpenAIChatModel\n"
        "async def main():\n"
        "    async with OpenAIChatModel.from_settings(Settings.from_env(dotenv=False)) as model:\n"
        "        print(await model.complete([{'role': 'user', 'content': 'ciao'}]))\n"
        "asyncio.run(main())\n"
    )
    env = {
        "OPENAI_API_KEY": KEY,
        "OPENAI_BASE_URL": fake_openai_thread.base_url,
        "BRIEFBOT_MODEL": "env-model",
        "BRIEFBOT_MODEL_ATTEMPTS": "2",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=_project_root(), env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "risposta dal processo figlio"
    assert [r.json["model"] for r in fake_openai_thread.requests] == ["env-model", "env-model"]
