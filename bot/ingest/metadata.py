"""Reading an article's metadata lines: dates, read-time lines, tag lines, its language.

Each reader says when it cannot tell (an ``Unclear`` naming the flag that settles it)
instead of guessing: "11/4/2025" may be the 11th of April or the 4th of November.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import suppress
from dataclasses import dataclass
from functools import cache

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True)) + "|" + "|".join(m[:3] for m in MONTHS)
_READ_TIME = r"(?:\s*[·•|-]?\s*(?P<minutes>\d{1,3})\s*(?:min(?:ute|utes|uti|uto)?\.?)\s*(?:read|di lettura|lettura)?)"
_NUMERIC = r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})"
_ISO = r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
_DAY_MONTH = rf"(?P<dd>\d{{1,2}})\s+(?P<dm>{_MONTH})\.?\s+(?P<dy>\d{{4}})"
_MONTH_DAY = rf"(?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}}),?\s+(?P<my>\d{{4}})"
DATE_LINE = re.compile(rf"^(?:{_ISO}|{_NUMERIC}|{_DAY_MONTH}|{_MONTH_DAY}){_READ_TIME}?$", re.IGNORECASE)
READ_TIME_LINE = re.compile(rf"^{_READ_TIME}$", re.IGNORECASE)
_TAG_PREFIX = re.compile(r"^(?:tags?|categori[ae]s?|argomenti)\s*:\s*", re.IGNORECASE)
_TAG_SEPARATORS = re.compile(r"\s*(?:[,;|·•/#]|\s{2,})\s*")
RUN_TOGETHER_LETTERS = 12  # a single ALL-CAPS tag longer than this may be several tags glued together


@dataclass(frozen=True)
class Unclear:
    field: str
    problem: str  # what is unclear, and the flag that settles it

    def __str__(self) -> str:
        return self.problem


@dataclass(frozen=True)
class DateReading:
    value: dt.date | None
    unclear: Unclear | None = None


def is_date_line(line: str) -> bool:
    return bool(DATE_LINE.match(line.strip()) or READ_TIME_LINE.match(line.strip()))


def read_date(line: str) -> DateReading:
    """A date line such as ``2025-11-04``, ``4 novembre 2025``, ``Nov 4, 2025`` or the
    seed's ``11/4/20251 min read`` (a date and a read time run together)."""
    match = DATE_LINE.match(line.strip())
    if not match:
        return DateReading(None)
    g = match.groupdict()
    try:
        if g["iy"]:
            return DateReading(dt.date(int(g["iy"]), int(g["im"]), int(g["id"])))
        if g["dd"]:
            return DateReading(dt.date(int(g["dy"]), _month(g["dm"]), int(g["dd"])))
        if g["mm"]:
            return DateReading(dt.date(int(g["my"]), _month(g["mm"]), int(g["md"])))
        return _numeric(int(g["a"]), int(g["b"]), int(g["y"]), line.strip())
    except ValueError:
        return DateReading(None, Unclear("date", f'date "{line.strip()}" is not a valid date (pass --date YYYY-MM-DD)'))


def _numeric(a: int, b: int, year: int, line: str) -> DateReading:
    readings = set()
    for month, day in ((a, b), (b, a)):  # month/day (US) and day/month (Europe)
        with suppress(ValueError):
            readings.add(dt.date(year, month, day))
    if len(readings) == 1:
        return DateReading(readings.pop())
    shown = f"{a}/{b}/{year}"
    if not readings:
        return DateReading(None, Unclear("date", f'date "{shown}" is not a valid date (pass --date YYYY-MM-DD)'))
    first, second = sorted(readings)
    problem = f'date "{shown}" could be {first.isoformat()} or {second.isoformat()} (pass --date YYYY-MM-DD)'
    return DateReading(None, Unclear("date", problem))


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    return MONTHS.get(name) or next(number for month, number in MONTHS.items() if month.startswith(name))


def is_tag_line(line: str) -> bool:
    """A short line of tags: ``Tags: a, b``, or words in capitals (``SOFTWARE · HARDWARE``)."""
    line = line.strip()
    if not line or len(line) > 80 or line[-1] in ".!?:":
        return False
    if _TAG_PREFIX.match(line):
        return True
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def read_tags(line: str) -> tuple[list[str], Unclear | None]:
    body = _TAG_PREFIX.sub("", line.strip())
    tags = [t.strip().lower() for t in _TAG_SEPARATORS.split(body) if t.strip()]
    if len(tags) == 1 and " " not in tags[0] and len(tags[0]) > RUN_TOGETHER_LETTERS and body.isupper():
        problem = f'tags line "{body}" may be several tags run together (pass --tags, e.g. --tags a,b)'
        return [], Unclear("tags", problem)
    return tags, None


def split_tags(value: str) -> list[str]:
    return [t.strip().lower() for t in _TAG_SEPARATORS.split(value) if t.strip()]


@cache
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_article_language(text: str, supported: tuple[str, ...]) -> tuple[str | None, Unclear | None]:
    """The article's language among ``supported``; an ``Unclear`` when the text is in another
    language or too short or mixed to tell."""
    language, confidence = _identifier().classify(text[:20000])
    if language in supported and confidence >= 0.9:
        return language, None
    if language not in supported and confidence >= 0.9:
        names = ", ".join(supported)
        return None, Unclear("language", f"the article seems to be in {language!r}, not {names} (pass --lang if it is)")
    return None, Unclear("language", f"cannot tell the article's language (pass --lang {'|'.join(supported)})")
