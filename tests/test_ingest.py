"""Ingest inside the process: stable passage ids across versions, checked translations and key
points (scripted model behind the fake OpenAI server, real openai SDK), HTML and Markdown."""

import asyncio
import json

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.engines.model.openai_client import OpenAIChatModel
from bot.ingest.pipeline import Overrides, ingest
from bot.ingest.sources import Source, SourceError, fetch_url
from tests.ingest_helpers import ARTICLE_PAGE, SEED, ShippedEditor, serving

PROMPTS = PROJECT_ROOT / "prompts"
SEED_FLAGS = Overrides(article_id="openai-aws", published=__import__("datetime").date(2025, 11, 4), tags=("software",))


async def _no_wait(_seconds):
    return None


def model_for(server):
    return OpenAIChatModel(api_key="sk-test", base_url=server.base_url, model="m", timeout=5, attempts=1, wait=_no_wait)


def text_source(text: str) -> Source:
    return Source(text, "text", "article.txt")


async def run_ingest(text, existing=None, model=None, overrides=SEED_FLAGS, kind="text"):
    source = Source(text, kind, "article")
    return await ingest(source, existing=existing or {}, overrides=overrides, model=model, prompts_dir=PROMPTS)


def ids_by_text(content):
    return {" ".join(p["it"].split()): p["id"] for p in yaml.safe_load(content)["passages"]}


async def test_re_ingesting_an_updated_article_keeps_unchanged_ids_and_never_reuses_one():
    seed = SEED.read_text()
    first = await run_ingest(seed)
    before = ids_by_text(first.content)
    paragraphs = seed.split("\n\n")
    changed = paragraphs[:]
    changed[4] = changed[4].replace("38 miliardi", "40 miliardi")  # p3 changes; p4 does not
    changed[5] = "Un paragrafo nuovo sulla concorrenza di Google."
    del changed[6]  # drops p7 and p8
    second = await run_ingest("\n\n".join(changed), existing={"openai-aws": first.content})
    after = ids_by_text(second.content)
    unchanged = [t for t in before if t in after]
    assert unchanged and all(after[t] == before[t] for t in unchanged)
    assert after[next(t for t in after if "40 miliardi" in t)] == "p13"
    assert after["Un paragrafo nuovo sulla concorrenza di Google."] == "p14"
    assert yaml.safe_load(second.content)["retired_passages"] == ["p3", "p5", "p6", "p7", "p8"]
    # The old sentences come back: new numbers, the published ones are never reused.
    third = await run_ingest(seed, existing={"openai-aws": second.content})
    again = ids_by_text(third.content)
    assert again[next(t for t in again if t.startswith("OpenAI e Amazon"))] == "p15"
    assert again[next(t for t in again if t.startswith("Questa mossa"))] == "p4"


async def test_re_ingest_keeps_what_editors_added_to_unchanged_passages():
    first = await run_ingest(SEED.read_text())
    data = yaml.safe_load(first.content)
    data["passages"][3]["keywords"] = {"it": "mossa strategia"}
    data["passages"][3]["en"] = "An editor's translation."
    second = await run_ingest(SEED.read_text(), existing={"openai-aws": yaml.safe_dump(data, allow_unicode=True)})
    kept = yaml.safe_load(second.content)["passages"][3]
    assert kept["keywords"] == {"it": "mossa strategia"} and kept["en"] == "An editor's translation."
    assert second.unchanged and second.new_passages == []  # what is published already: nothing to write


async def test_a_failing_translation_is_retried_once_then_left_out_and_reported(fake_openai):
    p4 = (
        "Questa mossa strategica è destinata a ridefinire gli equilibri nella corsa globale "
        "all'Intelligenza Artificiale (IA) generativa."
    )
    editor = ShippedEditor({p4: ["A strategic move worth 12 billion dollars.", "Still 12 billion, invented."]})
    fake_openai.responder = editor
    result = await run_ingest(SEED.read_text(), model=model_for(fake_openai))
    passages = yaml.safe_load(result.content)["passages"]
    assert "en" not in passages[3] and all("en" in p for i, p in enumerate(passages) if i != 3)
    assert editor.translation_requests.count(p4) == 2
    assert any("translation of p4 into en left out: adds the number 12" in line for line in result.report)


async def test_a_translation_that_drops_a_number_or_adds_a_name_fails_its_check(fake_openai):
    p3 = ("OpenAI e Amazon Web Services (AWS) hanno siglato un accordo monumentale del valore di 38 miliardi di "
          "dollari e della durata di sette anni per la fornitura di servizi di cloud computing.")  # fmt: skip
    editor = ShippedEditor({p3: ["OpenAI and AWS signed a big cloud deal.",
                                 "OpenAI and Microsoft signed a $38 billion deal lasting seven years, "
                                 "Amazon Web Services (AWS) says."]})  # fmt: skip
    fake_openai.responder = editor
    result = await run_ingest(SEED.read_text(), model=model_for(fake_openai))
    assert "en" not in yaml.safe_load(result.content)["passages"][2]
    assert any("names what the original does not: Microsoft" in line for line in result.report), result.report


async def test_key_points_that_fail_the_verifier_are_left_out(fake_openai):
    points = json.dumps([
        {"it": "OpenAI e AWS: accordo da 38 miliardi.", "en": "OpenAI and AWS: a $38 billion deal.", "cite": ["p3"]},
        {"it": "Amazon finanzia Anthropic.", "en": "Amazon funds Anthropic.", "cite": ["p9"]},
        {"it": "Microsoft perde 10 miliardi.", "en": "Microsoft loses 10 billion.", "cite": ["p7"]},
        {"it": "Sam Altman approva.", "en": "Sam Altman approves.", "cite": ["p8"]},
        {"it": "I sistemi saranno pronti nel 2026.", "en": "The systems will be ready in 2026.", "cite": ["p12"]},
    ])  # fmt: skip
    fake_openai.responder = ShippedEditor(key_points=points)
    result = await run_ingest(SEED.read_text(), model=model_for(fake_openai))
    kept = yaml.safe_load(result.content)["key_points"]
    assert [k["cite"] for k in kept] == [["p3"], ["p9"], ["p12"]]
    assert any("key point 3 left out: number not in the cited passages: 10" in r for r in result.report)
    assert any("key point 4 left out: name not in the cited passages: Altman" in r for r in result.report)


async def test_without_a_model_the_key_points_are_the_lead_sentences():
    result = await run_ingest(SEED.read_text())
    data = yaml.safe_load(result.content)
    assert [k["cite"] for k in data["key_points"]] == [["p3"], ["p5"], ["p7"], ["p9"], ["p11"]]
    assert all("en" not in p for p in data["passages"])


async def test_an_html_page_fetched_by_url_gives_its_main_text_and_metadata():
    with serving(ARTICLE_PAGE.encode()) as url:
        source = await asyncio.to_thread(fetch_url, url)
    result = await ingest(source, existing={}, model=None, prompts_dir=PROMPTS)
    data = yaml.safe_load(result.content)
    assert (data["id"], data["title"], data["language"]) == ("chipmaker-unveils-rubin", "Chipmaker unveils Rubin", "en")
    assert data["published"].isoformat() == "2026-03-18" and data["tags"] == ["hardware", "ai"]
    assert data["source"] == url and data["subtitle"] == "The new accelerator ships in 2026."
    texts = [p["en"] for p in data["passages"]]
    assert texts[2].startswith("Nvidia unveiled Rubin") and len(texts) == 5
    assert not any("Cookie" in t or "Home" in t for t in texts)


def test_a_password_in_the_url_never_shows():
    with serving(b"gone", status=404) as url, pytest.raises(SourceError) as error:
        fetch_url(url.replace("http://", "http://ada:s3cret-pass@"))
    assert "s3cret" not in str(error.value) and str(error.value).startswith("http://127.0.0.1:")


def test_fetching_is_bounded_and_errors_are_one_line():
    with serving(b"x" * 2048) as url, pytest.raises(SourceError, match="too large"):
        fetch_url(url, max_bytes=1024)
    with (
        serving(b"%PDF-1.7", content_type="application/pdf") as url,
        pytest.raises(SourceError, match="not a web page"),
    ):
        fetch_url(url)
    with serving(b"gone", status=404) as url, pytest.raises(SourceError, match="answered 404"):
        fetch_url(url)


async def test_markdown_with_front_matter():
    text = ("---\ntitle: Rubin arriva\ndate: 2026-03-18\ntags: [hardware]\n---\n\n## Il nuovo chip di Nvidia\n\n"
            "Nvidia ha presentato **Rubin** alla conferenza [GTC](https://example.com). Il chip triplica le "
            "prestazioni per watt.\n\n- una lista\n\nLe consegne iniziano nel 2026.\n")  # fmt: skip
    result = await run_ingest(text, overrides=Overrides(), kind="markdown")
    data = yaml.safe_load(result.content)
    assert (data["title"], data["subtitle"], data["language"], data["tags"]) == (
        "Rubin arriva", "Il nuovo chip di Nvidia", "it", ["hardware"])  # fmt: skip
    assert [p["it"] for p in data["passages"]][2:] == [
        "Nvidia ha presentato Rubin alla conferenza GTC.", "Il chip triplica le prestazioni per watt.",
        "una lista", "Le consegne iniziano nel 2026."]  # fmt: skip
