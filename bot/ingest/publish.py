"""Ingest as a service: gather the current articles, ingest, write the file and publish it to
the store, so that every process sharing the database picks it up. Used by the command line
and by ``/news`` in chat."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.engines.model.chat_model import ChatModel
from bot.ingest.knowledge_file import header_fields, write_atomically
from bot.ingest.pipeline import NO_OVERRIDES, Ingested, Overrides, ingest
from bot.ingest.sources import Source
from bot.knowledge.articles import content_version
from bot.knowledge.live import knowledge_files
from bot.store.database import Store


@dataclass
class Outcome(Ingested):
    summary: str = ""
    path: Path | None = None


class IngestService:
    def __init__(self, *, knowledge_dir: Path, store: Store, prompts_dir: Path, model: ChatModel | None,
                 owns_store: bool = False) -> None:  # fmt: skip
        self.knowledge_dir = knowledge_dir
        self.store = store
        self.prompts_dir = prompts_dir
        self.model = model
        self._owns_store = owns_store

    @classmethod
    def from_settings(cls, settings, *, use_model: bool = True, store: Store | None = None) -> IngestService:
        model = None
        if use_model and settings.resolved_engine == "openai":
            from bot.engines.model.openai_client import OpenAIChatModel

            model = OpenAIChatModel.from_settings(settings)
        return cls(knowledge_dir=settings.knowledge_dir, store=store or Store(settings.database_url),
                   prompts_dir=settings.prompts_dir, model=model, owns_store=store is None)  # fmt: skip

    def __enter__(self) -> IngestService:
        return self

    def __exit__(self, *_exc) -> None:
        if self._owns_store:
            self.store.close()

    def existing(self) -> dict[str, str]:
        """article id -> knowledge file, published articles first, then the folder's files."""
        found: dict[str, str] = {}
        removed = set()
        for row in self.store.published_articles():
            (removed.add(row.article_id) if row.removed else found.setdefault(row.article_id, row.content))
        if self.knowledge_dir.is_dir():
            for path in knowledge_files(self.knowledge_dir):
                if path.stem in found or path.stem in removed:
                    continue
                text = path.read_text(encoding="utf-8")
                article_id = header_fields(text).get("id", "")
                if article_id and article_id not in removed:
                    found.setdefault(article_id, text)
        return found

    async def ingest(self, source: Source, overrides: Overrides = NO_OVERRIDES, *, dry_run: bool = False) -> Outcome:
        existing = await asyncio.to_thread(self.existing)
        result = await ingest(source, existing=existing, overrides=overrides, model=self.model,
                              prompts_dir=self.prompts_dir)  # fmt: skip
        outcome = Outcome(**vars(result))
        counts = f"{len(result.kept_passages) + len(result.new_passages)} passages"
        if result.kept_passages:
            counts += f" ({len(result.kept_passages)} unchanged, {len(result.new_passages)} new or changed)"
        if dry_run:
            outcome.summary = f"{result.article_id}: {counts} (dry run: nothing written)"
            return outcome
        if result.unchanged:
            outcome.summary = f"{result.article_id}: unchanged, nothing to update"
            return outcome
        path = self.knowledge_dir / f"{result.article_id}.yaml"
        try:
            await asyncio.to_thread(write_atomically, path, result.content)
        except OSError as error:  # a read-only disk (a replica): the store alone carries it
            outcome.report.append(f"not written to {path} ({error.strerror or type(error).__name__}); published only")
            path = None
        version = content_version(result.content.encode("utf-8"))
        await asyncio.to_thread(self.store.publish_article, result.article_id, version, result.content)
        outcome.path = path
        verb = "updated" if result.previous_content else "added"
        written = f"written to {path} and published" if path else "published"
        outcome.summary = f"{result.article_id}: {verb}, {counts}; {written}"
        return outcome

    async def aclose(self) -> None:
        close = getattr(self.model, "aclose", None)
        if close is not None:
            await close()
