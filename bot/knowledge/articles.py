"""The knowledge base: articles loaded from ``knowledge/*.yaml``.

Each article carries metadata, its original text split into passages with stable ids,
and an aligned translation per passage. Dropping another file in the folder makes the
bot know it; a malformed file stops the start with ``KnowledgeError`` naming the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bot.language.languages import SUPPORTED_LANGUAGES

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class KnowledgeError(Exception):
    """The knowledge folder or one of its files cannot be used; one line, safe to print."""


@dataclass(frozen=True)
class Passage:
    article_id: str
    local_id: str
    texts: dict[str, str]  # language -> text; the article's language holds the original
    original_language: str
    keywords: dict[str, str]  # language -> extra search words an editor added (not quoted)
    role: str = "body"  # "title", "subtitle" or "body"
    # language -> questions this passage answers, in people's words (editor- or ingest-written;
    # indexed by the offline engine, never quoted)
    questions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Globally unique and stable: ``article-id/passage-id``."""
        return f"{self.article_id}/{self.local_id}"

    @property
    def original(self) -> str:
        return self.texts[self.original_language]

    def text_in(self, language: str) -> str:
        """The passage in ``language``, or the original when no translation exists."""
        return self.texts.get(language) or self.original


@dataclass(frozen=True)
class KeyPoint:
    texts: dict[str, str]
    cite: tuple[str, ...]  # global passage ids


@dataclass(frozen=True)
class Article:
    id: str
    titles: dict[str, str]
    subtitles: dict[str, str]
    language: str
    published: dt.date
    tags: tuple[str, ...]
    source: str
    passages: tuple[Passage, ...]
    key_points: tuple[KeyPoint, ...]
    version: str  # content hash: changes whenever the file's content changes

    def title_in(self, language: str | None = None) -> str:
        """The title in ``language``, or in the article's own language when it has none in that one."""
        return self.titles.get(language) or self.titles[self.language]

    title = property(title_in)  # in the article's own language


@dataclass(frozen=True)
class KnowledgeBase:
    articles: tuple[Article, ...]

    def __post_init__(self) -> None:
        passages = tuple(p for a in self.articles for p in a.passages)
        object.__setattr__(self, "_passages", passages)
        object.__setattr__(self, "_passages_by_id", {p.id: p for p in passages})
        object.__setattr__(self, "_articles_by_id", {a.id: a for a in self.articles})

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self._passages

    def passage(self, passage_id: str) -> Passage | None:
        return self._passages_by_id.get(passage_id)

    def article(self, article_id: str) -> Article | None:
        return self._articles_by_id.get(article_id)

    @cached_property
    def newest_first(self) -> tuple[Article, ...]:
        return tuple(sorted(self.articles, key=lambda a: (a.published, a.id), reverse=True))

    @cached_property
    def version(self) -> str:
        """One hash over every article's version: the cache key for briefings."""
        joined = "|".join(f"{a.id}:{a.version}" for a in self.articles)
        return hashlib.sha256(joined.encode()).hexdigest()[:16]


def load_knowledge(folder: Path) -> KnowledgeBase:
    if not folder.is_dir():
        raise KnowledgeError(f"knowledge folder not found: {folder}")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise KnowledgeError(f"no article (*.yaml) in the knowledge folder {folder}")
    articles = [load_article(path) for path in files]
    seen: dict[str, Path] = {}
    for path, article in zip(files, articles, strict=True):
        if article.id in seen:
            raise KnowledgeError(f"{path.name}: article id {article.id!r} is already used by {seen[article.id].name}")
        seen[article.id] = path
    return KnowledgeBase(tuple(articles))


def load_article(path: Path) -> Article:
    return load_article_text(path.read_bytes(), path.name)


def load_article_text(raw: bytes | str, name: str) -> Article:
    """An article from a knowledge file's content; ``name`` (a file name) labels errors."""
    import yaml

    raw = raw.encode("utf-8") if isinstance(raw, str) else raw
    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise KnowledgeError(f"{name}: not valid YAML{where}") from None
    return parse_article_data(data, version=content_version(raw), name=name)


def content_version(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:12]


def parse_article_data(data: object, *, version: str, name: str = "article") -> Article:
    """An article from a knowledge file's parsed mapping; ``KnowledgeError`` when invalid."""
    try:
        return _parse_article(data, version=version)
    except _Invalid as exc:
        raise KnowledgeError(f"{name}: {exc}") from None


class _Invalid(Exception):
    pass


def _parse_article(data: object, *, version: str) -> Article:
    if not isinstance(data, dict):
        raise _Invalid("expected a mapping with id, title, language, published and passages")
    article_id = _required_str(data, "id")
    if not _ID.match(article_id):
        raise _Invalid(f"id {article_id!r} must be lowercase letters, digits, '-' or '_'")
    language = _required_str(data, "language")
    if language not in SUPPORTED_LANGUAGES:
        raise _Invalid(f"language must be one of {', '.join(SUPPORTED_LANGUAGES)} (got {language!r})")
    published = data.get("published")
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published)
        except ValueError:
            raise _Invalid(f"published must be a date like 2025-11-04 (got {published!r})") from None
    if not isinstance(published, dt.date):
        raise _Invalid("published must be a date like 2025-11-04")
    passages = _parse_passages(data.get("passages"), article_id, language)
    known = {p.local_id for p in passages}
    return Article(
        id=article_id,
        titles=_localized(data, "title", language),
        subtitles=_localized(data, "subtitle", language, required=False),
        language=language,
        published=published,
        tags=tuple(str(t) for t in data.get("tags") or ()),
        source=str(data.get("source") or ""),
        passages=passages,
        key_points=_parse_key_points(data.get("key_points"), article_id, known),
        version=version,
    )


def _parse_passages(items: object, article_id: str, language: str) -> tuple[Passage, ...]:
    if not isinstance(items, list) or not items:
        raise _Invalid("passages must be a non-empty list")
    passages, seen = [], set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise _Invalid(f"passage #{number} must be a mapping with id and text")
        local_id = str(item.get("id") or "").strip()
        if not local_id or not _ID.match(local_id):
            raise _Invalid(f"passage #{number} needs an id of lowercase letters, digits, '-' or '_'")
        if local_id in seen:
            raise _Invalid(f"passage id {local_id!r} appears twice")
        seen.add(local_id)
        texts = {lang: _clean(item[lang]) for lang in SUPPORTED_LANGUAGES if isinstance(item.get(lang), str)}
        if not texts.get(language):
            raise _Invalid(f"passage {local_id!r} has no original text under {language!r}")
        keywords = item.get("keywords") or {}
        if not isinstance(keywords, dict) or not all(k in SUPPORTED_LANGUAGES for k in keywords):
            raise _Invalid(f"passage {local_id!r}: keywords must map it/en to words")
        keywords = {lang: _clean(str(v)) for lang, v in keywords.items()}
        role = str(item.get("role") or "body")
        if role not in ("title", "subtitle", "body"):
            raise _Invalid(f"passage {local_id!r}: role must be title, subtitle or body")
        questions = _parse_questions(item.get("questions"), local_id)
        passages.append(Passage(article_id, local_id, texts, language, keywords, role, questions))
    return tuple(passages)


def _parse_questions(value: object, local_id: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(k in SUPPORTED_LANGUAGES for k in value):
        raise _Invalid(f"passage {local_id!r}: questions must map it/en to lists of questions")
    questions = {}
    for lang, items in value.items():
        if not isinstance(items, list) or not all(isinstance(q, str) and q.strip() for q in items):
            raise _Invalid(f"passage {local_id!r}: questions.{lang} must be a list of non-empty questions")
        questions[lang] = tuple(_clean(q) for q in items)
    return questions


def _parse_key_points(items: object, article_id: str, known: set[str]) -> tuple[KeyPoint, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise _Invalid("key_points must be a list")
    points = []
    for number, item in enumerate(items, start=1):
        cite = item.get("cite") if isinstance(item, dict) else None
        if not isinstance(cite, list) or not cite:
            raise _Invalid(f"key point #{number} needs cite: [passage ids]")
        unknown = [str(c) for c in cite if str(c) not in known]
        if unknown:
            raise _Invalid(f"key point #{number} cites unknown passage {unknown[0]!r}")
        texts = {lang: _clean(item[lang]) for lang in SUPPORTED_LANGUAGES if isinstance(item.get(lang), str)}
        if not texts:
            raise _Invalid(f"key point #{number} has no text")
        points.append(KeyPoint(texts, tuple(f"{article_id}/{c}" for c in cite)))
    return tuple(points)


def _localized(data: dict, key: str, language: str, *, required: bool = True) -> dict[str, str]:
    texts = {}
    if isinstance(data.get(key), str):
        texts[language] = _clean(data[key])
    for lang in SUPPORTED_LANGUAGES:
        if isinstance(data.get(f"{key}_{lang}"), str):
            texts[lang] = _clean(data[f"{key}_{lang}"])
    if required and language not in texts:
        raise _Invalid(f"{key} is required")
    return texts


def _required_str(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"{key} is required")
    return value.strip()


def _clean(text: str) -> str:
    return " ".join(text.split())
