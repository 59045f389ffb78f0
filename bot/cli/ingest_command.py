"""``python -m bot ingest SOURCE [--dry-run]``: add or update an article from a file, a URL or ``-``."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="a text, Markdown or HTML file, an http(s) URL, or - for standard input")
    parser.add_argument("--dry-run", action="store_true", help="print the knowledge file; write and publish nothing")
    parser.add_argument(
        "--id", dest="article_id", default="", help="the article's id (default: its earlier id, or from the title)"
    )
    parser.add_argument(
        "--date", type=_date, help="publication date, YYYY-MM-DD (when the source's is missing or unclear)"
    )
    parser.add_argument("--tags", help="comma-separated tags (when the source's are missing or unclear)")
    parser.add_argument("--lang", choices=("it", "en"), help="the article's language (default: detected)")
    parser.add_argument(
        "--source-label", dest="source_label", default="", help="the article's source as shown to readers"
    )
    parser.add_argument("--no-model", action="store_true", help="do not use the configured model (no translation)")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2025-11-04, got {value!r}") from None


def run_ingest(args, settings) -> int:
    from bot.ingest.pipeline import Overrides, parse_tags
    from bot.ingest.publish import IngestService
    from bot.ingest.sources import read_source

    overrides = Overrides(
        article_id=args.article_id.strip(),
        published=args.date,
        tags=parse_tags(args.tags) if args.tags is not None else None,
        language=args.lang or "",
        source=args.source_label.strip(),
    )
    source = read_source(args.source)

    async def run(service):
        try:
            return await service.ingest(source, overrides, dry_run=args.dry_run)
        finally:
            await service.aclose()

    with IngestService.from_settings(settings, use_model=not args.no_model) as service:
        result = asyncio.run(run(service))
    for line in result.report:
        print(f"briefbot: note: {line}", file=sys.stderr)
    if args.dry_run:
        sys.stdout.write(result.content)
    else:
        print(result.summary)
    return 0
