"""``/news`` on any platform: command text in; progress lines, a reply text and, for ``add``,
the new article's briefing out. The platform modules decide who is an admin (the same rule
as ``/digest``) and hand it in as ``may_manage``.

``add`` fetches the page, ingests it (translation and key points when a model is configured),
publishes it to the store, where every other process picks it up within its poll interval,
and loads it here at once so the briefing can follow. Metadata the page leaves unclear is
asked for: ``/news add URL date=2025-11-04 tags=ai,cloud lang=it``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answers.reply import Reply
from bot.knowledge.live import load_live_knowledge

if TYPE_CHECKING:  # the ingest modules load with the first article added, not with the process
    from bot.ingest.pipeline import Overrides
    from bot.ingest.sources import Source

USAGE = (
    "Usage: `/news add <url> [it|en] [date=YYYY-MM-DD] [tags=a,b] [lang=it|en]`, `/news list`, `/news remove <id>`."
)
REFUSED = (
    "Sorry, only admins can add or remove articles "
    "(Slack: workspace admins and owners; Discord: Manage Channels). `/news list` shows what I know."
)
LISTED = 10

Progress = Callable[[str], Awaitable[None]]


@dataclass
class NewsResult:
    text: str
    briefing: Reply | None = None


class NewsCommands:
    def __init__(self, briefer, settings) -> None:
        self.briefer = briefer
        self.settings = settings

    async def handle(self, text: str, *, may_manage: Callable[[], Awaitable[bool]], progress: Progress) -> NewsResult:
        action, *args = text.split() or ["help"]
        action = action.lower()
        if action == "list" and not args:
            return NewsResult(self._list())
        if action not in ("add", "remove") or not args:
            return NewsResult(USAGE)
        if not await may_manage():
            return NewsResult(REFUSED)
        if action == "remove":
            return await self._remove(args[0]) if len(args) == 1 else NewsResult(USAGE)
        return await self._add(args[0], args[1:], progress)

    def _list(self) -> str:
        newest = self.briefer.knowledge.newest_first
        lines = [f"I know {len(newest)} article{'s' if len(newest) != 1 else ''}, newest first:"]
        for article in newest[:LISTED]:
            lines.append(f"- `{article.id}`: {article.title} ({article.published.isoformat()}, {article.language})")
        if len(newest) > LISTED:
            lines.append(f"- … and {len(newest) - LISTED} more")
        return "\n".join(lines)

    async def _add(self, url: str, options: list[str], progress: Progress) -> NewsResult:
        url = url.strip("<>").split("|", 1)[0]  # Slack sends links as <url> or <url|label>
        if not url.startswith(("http://", "https://")):
            return NewsResult(f"`{url}` is not a web address (http:// or https://). {USAGE}")
        try:
            language, overrides = _options(options)
        except ValueError as error:
            return NewsResult(f"{error}. {USAGE}")
        await progress(f"Fetching {url} …")
        from bot.ingest.sources import fetch_url

        return await self.add_from(lambda: asyncio.to_thread(fetch_url, url), overrides, language, progress)

    async def add_from(
        self, read: Callable[[], Awaitable[Source]], overrides: Overrides, language: str, progress: Progress
    ) -> NewsResult:
        """Ingest what ``read`` returns (a fetched page, a shared file), publish it, brief on it."""
        from bot.ingest.publish import IngestService
        from bot.ingest.sources import SourceError

        try:
            source = await read()
            translating = " (and translating them: this can take a minute)" if self.briefer.model else ""
            await progress(f"Reading the article and splitting it into passages{translating} …")
            service = IngestService(
                knowledge_dir=self.settings.knowledge_dir,
                store=self.briefer.store,
                prompts_dir=self.settings.prompts_dir,
                model=self.briefer.model,
            )
            outcome = await service.ingest(source, overrides)
        except SourceError as error:
            return NewsResult(f"I couldn't add it: {_chat_flags(str(error))}")
        await self._reload()
        article = self.briefer.knowledge.article(outcome.article_id)
        if outcome.unchanged:
            return NewsResult(f"`{outcome.article_id}` is already up to date: nothing changed.")
        verb = "Updated" if outcome.previous_content else "Added"
        lines = [f"{verb} `{article.id}`: {article.title} ({article.published.isoformat()}), "
                 f"{len(article.passages)} passages. Every instance answers from it within a minute."]  # fmt: skip
        lines += [f"Note: {note}" for note in outcome.report]
        briefing = await self.briefer.brief(lang=language, article_ids=[article.id])
        return NewsResult("\n".join(lines), briefing)

    async def _remove(self, article_id: str) -> NewsResult:
        article = self.briefer.knowledge.article(article_id)
        if article is None:
            return NewsResult(f"I don't know an article `{article_id}`. `/news list` shows their ids.")
        await asyncio.to_thread(self.briefer.store.remove_article, article_id)
        await self._reload()
        return NewsResult(f"Removed `{article_id}` ({article.title}): no longer used in answers, briefings or digests.")

    async def _reload(self) -> None:
        knowledge = await asyncio.to_thread(load_live_knowledge, self.settings.knowledge_dir, self.briefer.store)
        await asyncio.to_thread(self.briefer.use_knowledge, knowledge)


def _options(words: list[str]) -> tuple[str, Overrides]:
    from bot.ingest.pipeline import Overrides, parse_tags

    language, values = "it", {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep and word in ("it", "en"):
            language = word
        elif key == "date" and sep:
            try:
                values["published"] = dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"date must look like 2025-11-04 (got {value!r})") from None
        elif key == "tags" and sep:
            values["tags"] = parse_tags(value)
        elif key == "lang" and value in ("it", "en"):
            values["language"] = value
        else:
            raise ValueError(f"I don't understand `{word}`")
    return language, Overrides(**values)


def _chat_flags(text: str) -> str:
    """The command line's flags, as this command spells them."""
    for flag in ("date", "tags", "lang", "id"):
        text = text.replace(f"--{flag} ", f"{flag}=").replace(f"--{flag},", f"{flag}=…,")
    return text
