"""Many articles: the prompt carries only what was retrieved, labels and titles per article,
bounded keys, briefings and refusals that stay short."""

import re
import shutil
from pathlib import Path

import yaml

from bench.synthetic import article_data, write_articles
from bot.config import PROJECT_ROOT, Settings
from bot.core.briefer import Briefer
from bot.engines.model.openai_client import OpenAIChatModel
from bot.knowledge.articles import load_knowledge
from tests.fakes.openai_server import Stream

SEED_FILE = PROJECT_ROOT / "knowledge" / "openai-aws.yaml"


async def _no_wait(_seconds):
    return None


def knowledge_with(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "knowledge"
    write_articles(folder, count)
    shutil.copy(SEED_FILE, folder / "openai-aws.yaml")
    return folder


def briefer_for(folder: Path, database_url: str, server=None, **settings) -> Briefer:
    values = {"database_url": database_url, "knowledge_dir": folder, "engine": "offline", **settings}
    model = None
    if server is not None:
        values.update(engine="openai", openai_api_key="sk-test")
        model = OpenAIChatModel(api_key="sk-test", base_url=server.base_url, model="m", timeout=5, attempts=1,
                                wait=_no_wait)  # fmt: skip
    return Briefer.from_settings(Settings(**values), model=model)


def company(n: int) -> str:
    return article_data(n)["passages"][1]["en"].split()[0]


async def test_over_the_budget_the_prompt_carries_only_the_retrieved_passages(tmp_path, sqlite_url, fake_openai):
    folder = knowledge_with(tmp_path, 120)
    ceo = article_data(42)["passages"][2]
    fake_openai.enqueue(f"{ceo['en'].split(',')[1].strip()} is the CEO [synthetic-00042/p3].", "NOT_IN_ARTICLE")
    briefer = briefer_for(folder, sqlite_url, fake_openai)
    try:
        reply = await briefer.answer(f"Who is the CEO of {company(42)}?")
        await briefer.answer("Quanto vale l'accordo tra OpenAI e AWS?")
    finally:
        await briefer.aclose()
    assert reply.engine == "openai" and reply.grounded and reply.citations[0].id == "synthetic-00042/p3"
    first, second = (r.messages for r in fake_openai.requests)
    assert first[0] == second[0]  # the same stable preamble for every question
    assert "\n[synthetic-" not in first[0]["content"] and "\n[openai-aws/" not in first[0]["content"]
    given, given_second = first[-2]["content"], second[-2]["content"]  # the passages, then the question
    assert given.startswith("<passages>") and company(42) in first[-1]["content"]
    assert "[synthetic-00042/p3]" in given and "[openai-aws/p3]" in given_second
    assert given.count("\n[") <= 12
    assert len(given) < 8000  # ~2k tokens, whatever the number of articles


async def test_a_citation_of_a_passage_the_model_was_not_given_is_not_shown_as_fact(tmp_path, sqlite_url, fake_openai):
    folder = knowledge_with(tmp_path, 120)
    fake_openai.enqueue("OpenAI and AWS signed a deal [openai-aws/p3].")  # exists, but was not retrieved
    briefer = briefer_for(folder, sqlite_url, fake_openai)
    try:
        reply = await briefer.answer(f"Who is the CEO of {company(7)}?")
    finally:
        await briefer.aclose()
    assert reply.engine == "offline" and not reply.grounded
    assert "openai-aws/p3" not in fake_openai.requests[0].messages[-2]["content"]


async def test_within_the_budget_the_system_prompt_carries_every_passage(tmp_path, sqlite_url, fake_openai):
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "openai-aws.yaml")
    fake_openai.enqueue("The deal is worth $38 billion [openai-aws/p3].")
    briefer = briefer_for(folder, sqlite_url, fake_openai)
    try:
        await briefer.answer("How much is the deal worth?")
    finally:
        await briefer.aclose()
    system = fake_openai.requests[0].messages[0]["content"]
    assert "[openai-aws/p1]" in system and "[openai-aws/p12]" in system


async def test_labels_titles_and_dates_are_each_articles_own(tmp_path, sqlite_url):
    folder = knowledge_with(tmp_path, 3)  # synthetic-00002 is an English article
    briefer = briefer_for(folder, sqlite_url)
    try:
        english = await briefer.answer(f"Who is the CEO of {company(2)}?", lang="en")
        italian = await briefer.answer(f"Chi è il CEO di {company(2)}?", lang="it")
        seed = await briefer.answer("How much is the deal worth?")
    finally:
        await briefer.aclose()
    assert english.text.startswith("The article says: ") and "translated" not in english.text
    assert italian.text.startswith("L'articolo dice (tradotto dall'inglese): ")
    assert seed.text.startswith("The article says (translated from Italian): ")
    assert (english.citations[0].article_title, english.citations[0].published) == (
        article_data(2)["title"], article_data(2)["published"].isoformat())  # fmt: skip
    assert (
        seed.citations[0].article_title.startswith("OpenAI sceglie AWS") and seed.citations[0].published == "2025-11-04"
    )


async def test_an_untranslated_passage_is_quoted_in_its_own_language_and_says_so(tmp_path, sqlite_url):
    folder = tmp_path / "knowledge"
    folder.mkdir()
    data = yaml.safe_load(SEED_FILE.read_text())
    for item in (data, *data["passages"], *data["key_points"]):
        for key in ("en", "title_en", "subtitle_en"):
            item.pop(key, None)
    (folder / "openai-aws.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    briefer = briefer_for(folder, sqlite_url)
    try:
        reply = await briefer.answer("Chi è Matt Garman?", lang="en")
    finally:
        await briefer.aclose()
    assert reply.text.startswith("The article says (in Italian: no translation yet): «") or reply.text.startswith(
        "The article says (in Italian: no translation yet): \u201c"
    )


async def test_with_many_articles_refusals_and_briefings_stay_short(tmp_path, sqlite_url):
    folder = knowledge_with(tmp_path, 200)
    briefer = briefer_for(folder, sqlite_url)
    try:
        refusal = await briefer.answer("Who won the football championship?", lang="en")
        briefing = await briefer.brief(lang="en")
    finally:
        await briefer.aclose()
    assert refusal.refused and "and 198 more articles" in refusal.text and len(refusal.text) < 600
    newest = article_data(199)["title_en"]
    assert newest in briefing.text and briefing.text.count("**") <= 12  # the 6 newest articles at most


async def test_the_briefing_cache_key_is_bounded_on_postgresql(tmp_path, postgres_url):
    folder = knowledge_with(tmp_path, 40)
    briefer = briefer_for(folder, postgres_url)
    try:
        ids = [a.id for a in briefer.knowledge.articles]
        first = await briefer.brief(lang="it", article_ids=ids, kind="digest")
        again = await briefer.brief(lang="it", article_ids=ids, kind="digest")
    finally:
        await briefer.aclose()
    assert first.text == again.text and first.citations


def streamed(*sentences: str) -> Stream:
    return Stream(tuple(re.findall(r"\S+\s*", "".join(sentences))))


async def test_a_streamed_answer_over_the_budget_gets_the_retrieved_passages_and_cites_only_those(
    tmp_path, sqlite_url, fake_openai
):
    ceo = article_data(42)["passages"][2]
    true = f"{ceo['en'].split(',')[1].strip()} is the CEO [synthetic-00042/p3]. "
    not_given = "OpenAI and AWS signed a seven-year deal [openai-aws/p3]."  # true, but not in the prompt
    fake_openai.enqueue(streamed(true, not_given))
    briefer = briefer_for(knowledge_with(tmp_path, 120), sqlite_url, fake_openai)
    try:
        updates = [r async for r in briefer.answer_stream(f"Who is the CEO of {company(42)}?")]
    finally:
        await briefer.aclose()
    request = fake_openai.requests[0]
    given = request.messages[-2]["content"]
    assert request.json["stream"] is True and given.startswith("<passages>") and given.count("\n[") <= 12
    assert "[synthetic-00042/p3]" in given and "[openai-aws/p3]" not in given
    assert not any("seven-year" in u.text for u in updates)
    final = updates[-1]
    assert final.engine == "openai" and [c.id for c in final.citations] == ["synthetic-00042/p3"]
    assert not final.grounded and "I left out 1" in final.text


async def test_streaming_and_follow_ups_use_the_knowledge_swapped_in_while_running(tmp_path, sqlite_url, fake_openai):
    folder = tmp_path / "knowledge"
    write_articles(folder, 3)
    briefer = briefer_for(folder, sqlite_url, fake_openai)
    assert briefer.follow_ups.prompts("en") == ()  # the synthetic articles carry no questions
    shutil.copy(SEED_FILE, folder / "openai-aws.yaml")
    write_articles(folder, 120, start=3)
    briefer.use_knowledge(load_knowledge(folder))  # what the live reload does
    ceo = article_data(42)["passages"][2]
    fake_openai.enqueue(streamed(f"{ceo['en'].split(',')[1].strip()} is the CEO [synthetic-00042/p3]."))
    try:
        updates = [r async for r in briefer.answer_stream(f"Who is the CEO of {company(42)}?")]
    finally:
        await briefer.aclose()
    assert fake_openai.requests[0].messages[-2]["content"].startswith("<passages>")  # now over the budget
    final = updates[-1]
    assert final.engine == "openai" and final.grounded and [c.id for c in final.citations] == ["synthetic-00042/p3"]
    assert briefer.follow_ups.prompts("en")  # the seed article's questions are offered now
