"""Reading an ingest source: a file, a URL or ``-`` (standard input), with bounds.

A URL is fetched with a timeout and a size cap; what comes back is classified as HTML,
Markdown or plain text by its content type or its file name, else by a look at the text.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024  # no news article is bigger; a larger download is refused
FETCH_TIMEOUT = 20.0  # seconds
USER_AGENT = "briefbot-ingest/1 (+https://github.com/briefbot)"


class SourceError(Exception):
    """The source cannot be read or holds no article; one line, safe to print."""


@dataclass(frozen=True)
class Source:
    text: str
    kind: str  # "html" | "markdown" | "text"
    origin: str  # the URL, the file's name or "stdin"
    is_url: bool = False


def read_source(source: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_BYTES) -> Source:
    if source == "-":
        raw = sys.stdin.buffer.read(max_bytes + 1)
        return _classify(_bounded(raw, max_bytes, "standard input"), "", "stdin")
    if source.startswith(("http://", "https://")):
        return fetch_url(source, timeout=timeout, max_bytes=max_bytes)
    path = Path(source)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceError(f"no such file: {source}") from None
    except IsADirectoryError:
        raise SourceError(f"{source} is a folder, not an article file") from None
    except OSError as error:
        raise SourceError(f"cannot read {source}: {error.strerror or type(error).__name__}") from None
    return _classify(_bounded(raw, max_bytes, source), path.suffix.lower(), path.name)


def fetch_url(
    url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_BYTES, headers: dict[str, str] | None = None
) -> Source:
    """``headers``: e.g. the bot token that downloads a file shared in Slack (never shown)."""
    sent = {"User-Agent": USER_AGENT, "Accept": "text/html, text/*;q=0.9", **(headers or {})}
    request = urllib.request.Request(url, headers=sent)
    url = shown_url(url)  # what errors and the article's source show: never a password in the URL
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise SourceError(
                    f"{url}: the page is too large ({int(declared) // 1024} KiB, at most {max_bytes // 1024})"
                )
            raw = response.read(max_bytes + 1)
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as error:
        raise SourceError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise SourceError(f"{url}: cannot fetch it ({_reason(error.reason)})") from None
    except TimeoutError:
        raise SourceError(f"{url}: no answer within {timeout:g} s") from None
    except OSError as error:
        raise SourceError(f"{url}: cannot fetch it ({_reason(error)})") from None
    data = _bounded(raw, max_bytes, url)
    if not content_type.startswith("text/") and content_type not in ("application/xhtml+xml", "application/xml"):
        raise SourceError(f"{url}: not a web page or a text ({content_type})")
    suffix = {"text/html": ".html", "application/xhtml+xml": ".html", "text/markdown": ".md"}.get(content_type, "")
    return _classify(data, suffix or Path(url.split("?", 1)[0]).suffix.lower(), url, charset=charset, is_url=True)


def shown_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))


def _bounded(raw: bytes, max_bytes: int, name: str) -> bytes:
    if len(raw) > max_bytes:
        raise SourceError(f"{name} is too large (more than {max_bytes // 1024} KiB)")
    return raw


def _classify(raw: bytes, suffix: str, origin: str, *, charset: str = "utf-8", is_url: bool = False) -> Source:
    try:
        text = raw.decode(charset)
    except (UnicodeDecodeError, LookupError):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SourceError(f"{origin}: not a text file (it is not UTF-8)") from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise SourceError(f"{origin} is empty")
    if "\x00" in text:
        raise SourceError(f"{origin}: not a text file")
    if suffix in (".html", ".htm", ".xhtml"):
        kind = "html"
    elif suffix in (".md", ".markdown"):
        kind = "markdown"
    elif suffix in (".txt", ".text"):
        kind = "text"
    else:
        kind = _sniff(text)
    return Source(text, kind, origin, is_url)


def _sniff(text: str) -> str:
    head = text.lstrip()[:1000].lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head or "<article" in head:
        return "html"
    if head.startswith(("# ", "---\n")):
        return "markdown"
    return "text"


def _reason(reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return text.splitlines()[0][:120]
