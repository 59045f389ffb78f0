"""Knowledge that changes under running processes: replicas sharing only the database pick up
published, changed and removed articles without a restart, and conversations carry on."""

import asyncio
import shutil

from bot.config import PROJECT_ROOT, Settings
from bot.core.briefer import Briefer
from bot.ingest.publish import IngestService
from bot.ingest.sources import Source
from bot.knowledge.live import KnowledgeWatcher
from bot.store.database import published_articles

SEED_FILE = PROJECT_ROOT / "knowledge" / "openai-aws.yaml"
RUBIN = ("Nvidia presenta il chip Rubin\n\nIl nuovo acceleratore arriva nel 2026.\n\n2026-03-18\n\n"
         "Nvidia ha presentato Rubin, il successore di Blackwell, alla conferenza GTC di San Jose.\n")  # fmt: skip


RUBIN_FILE = ("id: rubin\ntitle: Rubin\nlanguage: it\npublished: 2026-03-18\npassages:\n"
              "  - {id: p1, it: Nvidia ha presentato Rubin a San Jose.}\n")  # fmt: skip


async def watched_in(briefer, article_id: str, *, checks: int = 200) -> None:
    """Give the watcher (polling every 0.05 s) time to swap in ``article_id``."""
    for _ in range(checks):
        if briefer.knowledge.article(article_id) is not None:
            return
        await asyncio.sleep(0.05)


def forget_published(store) -> None:
    """The PostgreSQL test database outlives the test: leave no article behind for the next ones."""
    with store.engine.begin() as db:
        db.execute(published_articles.delete())


def replica(tmp_path, name, database_url) -> Briefer:
    """A process with its own disk: its own knowledge folder holding only the shipped article."""
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "openai-aws.yaml")
    return Briefer.from_settings(Settings(database_url=database_url, knowledge_dir=folder, engine="offline"))


async def test_an_article_published_by_one_replica_reaches_another_that_shares_only_the_database(
    tmp_path, database_url
):
    writer, reader = replica(tmp_path, "a", database_url), replica(tmp_path, "b", database_url)
    watcher = KnowledgeWatcher(reader, reader.settings.knowledge_dir, interval=60)
    try:
        await watcher.check()  # records what the reader started with
        before = await reader.answer("Chi ha presentato Rubin?", conversation_id="c1")
        assert before.refused
        settings = Settings(database_url=database_url, knowledge_dir=writer.settings.knowledge_dir, engine="offline")
        with IngestService.from_settings(settings, store=writer.store) as service:
            outcome = await service.ingest(Source(RUBIN, "text", "rubin.txt"))
        assert "added" in outcome.summary
        assert await watcher.check() is True
        after = await reader.answer("Chi ha presentato Rubin?", conversation_id="c1")
        assert not after.refused and after.citations[0].id == "nvidia-presenta-il-chip-rubin/p3"
        follow_up = await reader.answer("Quanto vale l'accordo?", conversation_id="c1")
        assert follow_up.citations[0].id == "openai-aws/p3"  # the conversation carries on
        assert await watcher.check() is False  # nothing new: no reload

        writer.store.remove_article("nvidia-presenta-il-chip-rubin")
        assert await watcher.check() is True
        gone = await reader.answer("Chi ha presentato Rubin?", conversation_id="c1")
        assert gone.refused and "Rubin" not in gone.text
    finally:
        forget_published(writer.store)
        await writer.aclose()
        await reader.aclose()


async def test_the_watcher_polls_on_its_own_and_keeps_the_old_knowledge_when_the_new_is_broken(tmp_path, sqlite_url):
    briefer = replica(tmp_path, "a", sqlite_url)
    watcher = KnowledgeWatcher(briefer, briefer.settings.knowledge_dir, interval=0.05)
    task = asyncio.create_task(watcher.run())
    try:
        await asyncio.sleep(0.2)
        briefer.store.publish_article("broken", "v1", "id: broken\ntitle: [unclosed\n")
        await asyncio.sleep(0.3)
        assert [a.id for a in briefer.knowledge.articles] == ["openai-aws"]  # still answering from what it had
        (briefer.settings.knowledge_dir / "rubin.yaml").write_text(RUBIN_FILE)
        briefer.store.remove_article("broken")
        await watched_in(briefer, "rubin")
        assert sorted(a.id for a in briefer.knowledge.articles) == ["openai-aws", "rubin"]
    finally:
        task.cancel()
        await briefer.aclose()


async def test_a_watcher_that_starts_while_the_database_is_down_picks_up_what_is_published_once_it_is_back(
    tmp_path, postgres_url
):
    import sqlalchemy as sa

    from bot.store.database import Store
    from tests.test_resilience_process import TcpProxy

    url = sa.make_url(postgres_url)
    proxy = TcpProxy(url.port or 5432)
    await proxy.up()
    proxied = url.set(port=proxy.port).render_as_string(hide_password=False)
    briefer = await asyncio.to_thread(replica, tmp_path, "a", proxied)  # the proxy runs on this loop
    watcher = KnowledgeWatcher(briefer, briefer.settings.knowledge_dir, interval=0.05)
    await proxy.down()
    task = asyncio.create_task(watcher.run())
    try:
        await asyncio.sleep(0.3)
        assert not task.done()  # still watching, not crashed
        await proxy.up()
        writer = await asyncio.to_thread(Store, postgres_url)
        await asyncio.to_thread(writer.publish_article, "rubin", "v1", RUBIN_FILE)
        writer.close()
        await watched_in(briefer, "rubin")
        assert sorted(a.id for a in briefer.knowledge.articles) == ["openai-aws", "rubin"]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await briefer.aclose()
        await proxy.down()


def test_parsed_articles_are_reused_across_starts_and_never_stale(tmp_path):
    from bot.knowledge.parsed_cache import ParsedArticles

    cache = tmp_path / "parsed.pickle"
    first = ParsedArticles(cache)
    original = first.load(SEED_FILE.read_bytes(), "openai-aws.yaml")
    first.save()
    again = ParsedArticles(cache).load(SEED_FILE.read_bytes(), "openai-aws.yaml")
    assert again == original and again.version == original.version
    changed = SEED_FILE.read_text().replace("Matt Garman", "Matthew Garman").encode()
    updated = ParsedArticles(cache).load(changed, "openai-aws.yaml")
    assert any("Matthew Garman" in p.original for p in updated.passages)
    assert updated.version != original.version
    cache.write_bytes(b"not a pickle")
    assert ParsedArticles(cache).load(SEED_FILE.read_bytes(), "openai-aws.yaml") == original  # broken: parsed anew
