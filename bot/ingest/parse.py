"""From a source's text to an article's parts: title, subtitle, metadata lines, paragraphs.

Plain text follows the seed's shape (title; subtitle; a tags line; a date/read-time line;
body paragraphs, separated by blank lines). Markdown is read with markdown-it-py (a
``# title``, optional YAML front matter, paragraphs); HTML with trafilatura, which finds the
main text and the page's metadata. Metadata that cannot be read for sure is reported as
``Unclear`` for the caller to ask about.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import suppress
from dataclasses import dataclass, field

from bot.ingest.metadata import Unclear, is_date_line, is_tag_line, read_date, read_tags, split_tags
from bot.ingest.sources import Source, SourceError

HEADER_BLOCKS = 5  # the metadata lines of the seed's shape come within the first few blocks


@dataclass
class ParsedArticle:
    title: str
    subtitle: str = ""
    paragraphs: list[str] = field(default_factory=list)
    tags: list[str] | None = None  # None: the source has no tags line
    published: dt.date | None = None
    language: str | None = None
    unclear: list[Unclear] = field(default_factory=list)


def parse_source(source: Source) -> ParsedArticle:
    if source.kind == "html":
        article = _from_html(source.text)
    elif source.kind == "markdown":
        article = _from_markdown(source.text)
    else:
        article = _from_blocks(_text_blocks(source.text))
    if not article.title or not article.paragraphs:
        raise SourceError(f"{source.origin}: no article text found (a title and at least one paragraph)")
    return article


def _text_blocks(text: str) -> list[str]:
    blocks = [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    if len(blocks) == 1 and blocks[0].count("\n") >= 2:  # no blank lines: one paragraph per line
        blocks = blocks[0].splitlines()
    return [" ".join(b.split()) for b in blocks if b.strip()]


def _from_blocks(blocks: list[str], *, title: str = "", subtitle: str = "") -> ParsedArticle:
    """The seed's shape. The header ends at the date line when there is one; without one,
    only tag lines right after the title are taken as header, and there is no subtitle."""
    if not title:
        if not blocks:
            return ParsedArticle("")
        title, blocks = blocks[0], blocks[1:]
    article = ParsedArticle(title, subtitle)
    head = blocks[:HEADER_BLOCKS]
    date_at = next((i for i, b in enumerate(head) if is_date_line(b)), None)
    header = head[: date_at + 1] if date_at is not None else []
    if date_at is None:
        while len(header) < len(head) and is_tag_line(head[len(header)]):
            header.append(head[len(header)])
    subtitles = []
    for block in header:
        if is_date_line(block):
            reading = read_date(block)
            article.published = reading.value or article.published
            if reading.unclear:
                article.unclear.append(reading.unclear)
        elif is_tag_line(block):
            tags, unclear = read_tags(block)
            article.tags = (article.tags or []) + tags
            if unclear:
                article.unclear.append(unclear)
        else:
            subtitles.append(block)
    if subtitles and not article.subtitle:
        article.subtitle = " ".join(subtitles)
    article.paragraphs = blocks[len(header) :]
    return article


def _from_markdown(text: str) -> ParsedArticle:
    from markdown_it import MarkdownIt

    front, text = _front_matter(text)
    tokens = MarkdownIt("commonmark").parse(text)
    title, subtitle, blocks = str(front.get("title") or ""), str(front.get("subtitle") or ""), []
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[i - 1]
        content = " ".join(_inline_text(token).split())
        if not content:
            continue
        if opener.type == "heading_open" and opener.tag == "h1" and not title:
            title = content
        elif opener.type == "heading_open" and opener.tag == "h2" and not blocks and title and not subtitle:
            subtitle = content
        elif opener.type == "paragraph_open":
            blocks.append(content)
    article = _from_blocks(blocks, title=title, subtitle=subtitle) if title else _from_blocks(blocks)
    if front.get("tags"):
        tags = front["tags"]
        article.tags = [str(t).lower() for t in tags] if isinstance(tags, list) else split_tags(str(tags))
    date = front.get("date") or front.get("published")
    if isinstance(date, dt.date):
        article.published = date if not isinstance(date, dt.datetime) else date.date()
        article.unclear = [u for u in article.unclear if u.field != "date"]
    if front.get("language"):
        article.language = str(front["language"])
    return article


def _front_matter(text: str) -> tuple[dict, str]:
    match = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, re.DOTALL)
    if not match:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        raise SourceError("the Markdown front matter is not valid YAML") from None
    return (data if isinstance(data, dict) else {}), text[match.end() :]


def _inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _from_html(html: str) -> ParsedArticle:
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    if document is None or not (document.text or "").strip():
        return ParsedArticle("")
    title = " ".join((document.title or "").split())
    subtitle = " ".join((document.description or "").split())
    lines = [" ".join(line.split()) for line in document.text.splitlines()]
    lines = [line for line in lines if line and line not in (title, subtitle)]
    article = _from_blocks(lines, title=title, subtitle=subtitle) if title else _from_blocks(lines)
    tags = [t for raw in (document.tags or []) + (document.categories or []) for t in split_tags(raw)]
    if tags:
        article.tags = list(dict.fromkeys(tags))
    if document.date and not article.published:
        with suppress(ValueError):
            article.published = dt.date.fromisoformat(document.date[:10])
    if document.language:
        article.language = document.language.split("-")[0].lower()
    return article
