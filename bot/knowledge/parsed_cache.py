"""Parsed articles kept between starts: reading 1,000 YAML files costs about a second of CPU at
every start of every process, for files that rarely change.

One pickle file in the user's cache folder maps each file content's SHA-256 to the article parsed
from it; a changed file has another hash, so nothing is ever stale. The file is only ever written
by this program, into the user's own cache folder (the same trust as the code itself); a
missing, unreadable or foreign cache is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from bot.knowledge.articles import Article, load_article_text

FORMAT = 1  # bump when Article's fields change
log = logging.getLogger(__name__)


class ParsedArticles:
    def __init__(self, path: Path | None = None) -> None:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefbot"
        self.path = path or base / f"parsed-articles-v{FORMAT}.pickle"
        self._known = self._read()
        self._used: dict[str, Article] = {}

    def load(self, raw: bytes | str, name: str) -> Article:
        raw = raw.encode("utf-8") if isinstance(raw, str) else raw
        key = hashlib.sha256(raw).hexdigest()
        article = self._known.get(key)
        if article is None:
            article = load_article_text(raw, name)
        self._used[key] = article
        return article

    def save(self) -> None:
        """Keep what this load used (dropping versions no longer in use); silent when unwritable."""
        if self._used.keys() == self._known.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                pickle.dump((FORMAT, self._used), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)  # processes starting together never read half a file
        except OSError as error:
            log.info("parsed articles not cached (%s)", error.strerror or type(error).__name__)

    def _read(self) -> dict[str, Article]:
        try:
            with self.path.open("rb") as file:
                version, known = pickle.load(file)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return {}
        return known if version == FORMAT and isinstance(known, dict) else {}
