"""Writing an article as a knowledge file in the shipped format (``knowledge/*.yaml``)."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import yaml

HEADER = """\
# One article the bot may speak about, written by `briefbot ingest` from {origin} on {today}.
# `passages` hold the original text verbatim, split into sentences with stable ids. Never
# renumber an id that was published: conversations and digests cite them. Editors may add
# `keywords` to a passage; re-ingesting the article keeps them on unchanged passages.
"""
TOP_LEVEL_ORDER = (
    "id", "title", "title_en", "title_it", "subtitle", "subtitle_en", "subtitle_it", "language", "published",
    "tags", "source", "key_points", "passages", "retired_passages",
)  # fmt: skip


_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # would load as booleans/None


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str):
    if re.fullmatch(r"[a-z][a-z0-9_-]*", value) and value not in _YAML_WORDS:  # keys, ids, language codes
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)
    style = '"' if len(value) < 100 or value != value.strip() else ">"  # long passages folded, as by hand
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def render_knowledge_file(data: dict, *, origin: str, today: dt.date | None = None) -> str:
    ordered = {k: data[k] for k in TOP_LEVEL_ORDER if data.get(k) not in (None, "", [])}
    ordered |= {k: v for k, v in data.items() if k not in ordered and v not in (None, "", [])}
    body = yaml.dump(ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
    header = HEADER.format(origin=origin.replace("\n", " "), today=(today or dt.date.today()).isoformat())
    return header + body


def write_atomically(path: Path, text: str) -> None:
    """Readers (other processes) see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def slug(title: str, *, max_words: int = 6, max_chars: int = 60) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", ascii_title)[:max_words]
    text = "-".join(parts)[:max_chars].strip("-")
    return text or "article"


_TOP_LEVEL_SCALAR = re.compile(r"^(id|title|source):[ \t]*(.*)$", re.MULTILINE)


def read_knowledge_file(content: str) -> dict | None:
    """The whole file as a mapping, or None when it is not valid YAML."""
    try:
        data = yaml.load(content, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def header_fields(content: str) -> dict[str, str]:
    """``id``, ``title`` and ``source`` read from their own lines, without parsing the whole
    file (a folder of 1,000 articles is scanned on every ingest); a field written over
    several lines is read from the whole file."""
    found: dict[str, str] = {}
    for key, raw in _TOP_LEVEL_SCALAR.findall(content):
        if key in found:
            continue
        if raw.strip() in ("", ">", ">-", "|", "|-"):
            data = read_knowledge_file(content) or {}
            return {k: " ".join(str(data.get(k) or "").split()) for k in ("id", "title", "source")}
        try:
            found[key] = " ".join(str(yaml.safe_load(raw) or "").split())
        except yaml.YAMLError:
            found[key] = ""
    return found
