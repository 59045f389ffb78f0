"""The knowledge every process answers from, and how it stays current without a restart.

Articles come from two places: the knowledge folder (files shipped or written by ``ingest``)
and the store's published articles (``ingest`` and ``/news`` publish there, so replicas that
share only the database see them). A published article replaces the folder's file of the
same id; a removed one hides it. Each long-running process polls a cheap fingerprint of both
and, when it changes, loads and indexes the new knowledge in a worker thread, then swaps it in.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from bot.knowledge.articles import Article, KnowledgeBase, KnowledgeError
from bot.knowledge.parsed_cache import ParsedArticles
from bot.store.records import StoreError

if TYPE_CHECKING:
    from bot.store.database import Store

log = logging.getLogger(__name__)


def load_live_knowledge(folder: Path, store: Store | None) -> KnowledgeBase:
    published = store.published_articles() if store is not None else []
    hidden = {row.article_id for row in published}
    parsed = ParsedArticles()
    articles: dict[str, Article] = {}
    for row in published:
        if not row.removed:
            articles[row.article_id] = parsed.load(row.content, f"published article {row.article_id}")
    files = knowledge_files(folder) if folder.is_dir() else []
    for path in files:
        if path.stem in hidden:
            continue  # written by ingest as <id>.yaml and published: the store's copy wins
        article = parsed.load(path.read_bytes(), path.name)
        if article.id in hidden:
            continue
        if article.id in articles:
            raise KnowledgeError(f"{path.name}: article id {article.id!r} is already used by another file")
        articles[article.id] = article
    parsed.save()
    if not articles:
        if not folder.is_dir() and not published:
            raise KnowledgeError(f"knowledge folder not found: {folder}")
        raise KnowledgeError(f"no article (*.yaml) in the knowledge folder {folder} nor published in the store")
    return KnowledgeBase(tuple(articles[i] for i in sorted(articles)))


def knowledge_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def fingerprint(folder: Path, store: Store | None) -> str:
    """Changes when a knowledge file or a published article is added, changed or removed."""
    parts = [store.knowledge_fingerprint() if store is not None else ""]
    if folder.is_dir():
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith((".yaml", ".yml")) and entry.is_file():
                    stat = entry.stat()
                    parts.append(f"{entry.name}:{stat.st_mtime_ns}:{stat.st_size}")
    return "|".join(parts)


class KnowledgeWatcher:
    """Polls every ``interval`` seconds and swaps new knowledge into ``briefer``. A bad file or
    an unreachable database is logged and the current knowledge kept; the next poll retries."""

    def __init__(self, briefer, folder: Path, *, interval: float) -> None:
        self.briefer = briefer
        self.folder = folder
        self.interval = interval
        self._seen = ""

    async def run(self) -> None:
        try:
            self._seen = await asyncio.to_thread(fingerprint, self.folder, self.briefer.store)
        except StoreError as error:  # the first poll reloads, whatever changed meanwhile
            log.warning("knowledge watcher: database unavailable, will look again: %s", error)
        while True:
            await asyncio.sleep(self.interval)
            await self.check()

    async def check(self) -> bool:
        """Reload when something changed; True when new knowledge was swapped in."""
        store = self.briefer.store
        try:
            current = await asyncio.to_thread(fingerprint, self.folder, store)
            if current == self._seen:
                return False
            knowledge = await asyncio.to_thread(load_live_knowledge, self.folder, store)
            await asyncio.to_thread(self.briefer.use_knowledge, knowledge)
        except Exception as error:  # keep answering from what we have; try again next time
            log.warning(
                "knowledge not reloaded: %s", error if isinstance(error, KnowledgeError) else type(error).__name__
            )
            return False
        self._seen = current
        log.info("knowledge reloaded: %d articles", len(knowledge.articles))
        return True
