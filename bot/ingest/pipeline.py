"""One ingest: source -> parsed article -> passages with stable ids -> (model) translation and
key points -> a knowledge file, checked by the same loader the bot uses. Nothing is written
here; the caller writes and publishes the result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bot.engines.model.chat_model import ChatModel
from bot.ingest.enrich import Enricher, lead_points
from bot.ingest.knowledge_file import header_fields, read_knowledge_file, render_knowledge_file, slug
from bot.ingest.metadata import detect_article_language, split_tags
from bot.ingest.parse import ParsedArticle, parse_source
from bot.ingest.passages import number_passages, split_sentences
from bot.ingest.sources import Source, SourceError
from bot.knowledge.articles import _ID, SUPPORTED_LANGUAGES, KnowledgeError, load_article_text


@dataclass(frozen=True)
class Overrides:
    """What the person running ingest settles: ``--id``, ``--date``, ``--tags``, ``--lang``, ``--source``."""

    article_id: str = ""
    published: dt.date | None = None
    tags: tuple[str, ...] | None = None
    language: str = ""
    source: str = ""


NO_OVERRIDES = Overrides()


@dataclass
class Ingested:
    article_id: str
    content: str  # the knowledge file
    report: list[str] = field(default_factory=list)
    new_passages: list[str] = field(default_factory=list)
    kept_passages: list[str] = field(default_factory=list)
    previous_content: str = ""

    @property
    def unchanged(self) -> bool:
        """The same article as the published version, however either file is laid out (a
        rewrite would count as a new version in every channel's next digest)."""
        if self.new_passages or not self.previous_content:
            return False
        return read_knowledge_file(self.content) == read_knowledge_file(self.previous_content)


class UnclearMetadata(SourceError):
    """Some metadata cannot be read for sure; the message names the flags that settle it."""


async def ingest(
    source: Source,
    *,
    existing: dict[str, str],
    overrides: Overrides = NO_OVERRIDES,
    model: ChatModel | None = None,
    prompts_dir: Path | None = None,
    today: dt.date | None = None,
) -> Ingested:
    """``existing``: article id -> current knowledge file, to find the article's earlier
    version (by ``--id``, by URL or by title) and keep its passage ids."""
    parsed = parse_source(source)
    previous = _previous_version(parsed, source, existing, overrides)
    report: list[str] = []
    language, published, tags = _settle_metadata(parsed, overrides, previous, report)
    article_id = overrides.article_id or (previous or {}).get("id") or slug(parsed.title)
    if not _ID.match(article_id):
        raise SourceError(f"--id {article_id!r} must be lowercase letters, digits, '-' or '_'")
    parts, lead_ids_at = _parts(parsed, language)
    passages, retired = number_passages(parts, language, previous)
    lead_ids = {passages[i]["id"] for i in lead_ids_at}
    old_ids = {str(p.get("id")) for p in (previous or {}).get("passages") or [] if isinstance(p, dict)}
    result = Ingested(article_id, "", report, previous_content=existing.get(article_id, "") if previous else "")
    result.new_passages = [p["id"] for p in passages if p["id"] not in old_ids]
    result.kept_passages = [p["id"] for p in passages if p["id"] in old_ids]
    data = {
        "id": article_id, "title": parsed.title, "subtitle": parsed.subtitle, "language": language,
        "published": published, "tags": tags,
        "source": overrides.source or (source.origin if source.is_url else "") or (previous or {}).get("source")
        or source.origin,
        "passages": passages, "retired_passages": retired,
    }  # fmt: skip
    if model is not None:
        enricher = Enricher(model, prompts_dir)
        await enricher.translate_passages(passages, language, result.report)
    _localized_headings(data, passages, language)
    same_passages = (
        previous is not None and not result.new_passages and not retired[len(previous.get("retired_passages") or []) :]
    )
    if same_passages and previous.get("key_points"):
        data["key_points"] = previous["key_points"]
    else:
        points = await enricher.key_points(data, result.report) if model is not None else []
        data["key_points"] = points or lead_points(data, lead_ids)
    result.content = render_knowledge_file(data, origin=source.origin, today=today)
    try:
        load_article_text(result.content, f"{article_id}.yaml")  # the bot must be able to load what we write
    except KnowledgeError as error:
        raise SourceError(f"the article cannot be written as knowledge: {error}") from None
    return result


def _previous_version(
    parsed: ParsedArticle, source: Source, existing: dict[str, str], overrides: Overrides
) -> dict | None:
    wanted = overrides.article_id
    title = " ".join(parsed.title.split())
    for article_id, content in existing.items():
        if wanted and article_id != wanted:
            continue
        header = header_fields(content)
        same_source = source.is_url and header.get("source") == source.origin
        if wanted or same_source or header.get("title") == title:
            return read_knowledge_file(content)
    return None


def _settle_metadata(parsed: ParsedArticle, overrides: Overrides, previous: dict | None, report: list[str]):
    """Flags first, then what the source says; what stays unclear is taken from the published
    version when there is one (and reported), else asked for."""
    unclear = {u.field: str(u) for u in parsed.unclear}
    language = overrides.language or parsed.language
    if language and language not in SUPPORTED_LANGUAGES:
        unclear["language"] = f"the article is in {language!r}; supported: {', '.join(SUPPORTED_LANGUAGES)}"
    elif not language:
        language, problem = detect_article_language(" ".join(parsed.paragraphs), SUPPORTED_LANGUAGES)
        if problem:
            unclear["language"] = str(problem)
    published = overrides.published or parsed.published
    if published is None and "date" not in unclear:
        unclear["date"] = "no publication date found (pass --date YYYY-MM-DD)"
    tags = list(overrides.tags) if overrides.tags is not None else parsed.tags
    settled = {
        "language": bool(overrides.language),
        "date": bool(overrides.published),
        "tags": overrides.tags is not None,
    }
    unclear = {name: problem for name, problem in unclear.items() if not settled[name]}
    earlier = {"language": "language", "date": "published", "tags": "tags"}
    if previous is not None:
        for name in list(unclear):
            value = previous.get(earlier[name])
            if value in (None, "") or (name == "language" and value not in SUPPORTED_LANGUAGES):
                continue
            shown = (
                value.isoformat()
                if isinstance(value, dt.date)
                else ", ".join(value)
                if isinstance(value, list)
                else value
            )
            report.append(f"{unclear.pop(name).split(' (pass')[0]}: kept {shown} from the published version")
            language, published, tags = (value, published, tags) if name == "language" else (
                (language, value, tags) if name == "date" else (language, published, list(value)))  # fmt: skip
    if unclear:
        raise UnclearMetadata("unclear: " + "; ".join(unclear.values()))
    return language, published, list(tags or [])


def _parts(parsed: ParsedArticle, language: str) -> tuple[list[tuple[str, str]], list[int]]:
    parts = [("title", parsed.title)]
    if parsed.subtitle:
        parts.append(("subtitle", parsed.subtitle))
    leads = []
    for paragraph in parsed.paragraphs:
        sentences = split_sentences(paragraph, language)
        if sentences:
            leads.append(len(parts))
        parts += [("body", s) for s in sentences]
    return parts, leads


def _localized_headings(data: dict, passages: list[dict], language: str) -> None:
    """``title_en``/``subtitle_en`` from the title and subtitle passages' translations."""
    for role, key in (("title", "title"), ("subtitle", "subtitle")):
        passage = next((p for p in passages if p.get("role") == role), None)
        for lang in SUPPORTED_LANGUAGES:
            if passage and lang != language and passage.get(lang):
                data[f"{key}_{lang}"] = passage[lang]


def parse_tags(value: str) -> tuple[str, ...]:
    return tuple(split_tags(value))
