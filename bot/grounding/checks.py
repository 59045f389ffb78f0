"""The deterministic checks one claim must pass against the passages it cites.

Each returns the problems it found, in words a reader of the log understands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.grounding.claims import Claim
from bot.grounding.evidence import Evidence
from bot.grounding.quantities import Date, Quantity, number_word, read, tokens
from bot.grounding.vocabulary import is_function_word, is_ordinary
from bot.grounding.wordlists import word_lists

SUPPORT_THRESHOLD = 0.6  # share of a claim's content words its cited passages must contain
MIN_CONTENT_WORDS = 2  # below this a claim has too little to weigh (its numbers and names still count)
MAX_MISSING_ALWAYS_ALLOWED = 1  # one word of paraphrase ("running" for "operational") never fails a claim
MAX_LISTED_COUNT = 12  # "three: AWS, Microsoft and Google" counts items, it quotes no figure
NEIGHBOURS = 2  # content words each side of a number that say what it measures

_LINKS = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@])@\w{2,}|`[^`]+`|```"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|ai|it|co|info|biz|dev|app|xyz|ly|me)\b(?:/\S*)?",
    re.IGNORECASE,
)
_NAME = re.compile(r"[^\W_][\w’'-]*")
_ELISION = re.compile(r"^[^\W\d_A-Z]{1,5}['’](?=[^\W\d_])")
_OPENERS = ".!?:;(\"“«—–*"


_MAYBE_LINK = re.compile(r"[@`/]|\.[^\W\d_]{2}")  # cheap test first: most claims hold no link at all


def link_problems(text: str, evidence: Sequence[Evidence]) -> list[str]:
    if not _MAYBE_LINK.search(text):
        return []
    found = []
    for match in _LINKS.finditer(text):
        link = match.group().strip("`").rstrip(".,;:)").lower()
        if link and not any(link in e.text for e in evidence):
            found.append(f"link, address or code not in the cited passages: {match.group().strip()}")
    return found


def strip_links(text: str) -> str:
    return _LINKS.sub(" ", text) if _MAYBE_LINK.search(text) else text


def quantity_problems(claim: Claim, text: str, language: str, evidence: Sequence[Evidence],
                      published: Sequence) -> list[str]:  # fmt: skip
    reading = read(text, language)
    problems = []
    for quantity in reading.quantities:
        shown = text[quantity.start : quantity.end]
        if _is_listed_count(quantity, text, claim):
            continue
        holders = [e for e in evidence if any(quantity.matches(q) for q in e.quantities)]
        if not holders:
            if any(abs(q.value - quantity.value) < 1e-9 * max(q.value, 1) for e in evidence for q in e.quantities):
                problems.append(f"wrong unit: {shown} (the cited passages give another unit)")
            else:
                problems.append(f"number not in the cited passages: {shown}")
            continue
        if len(evidence) > 1 and len(holders) < len(evidence):
            near = _neighbours(text, quantity, language)
            if near and not any(e.supports(w, language) for e in holders for w in near):
                problems.append(f"number from another fact of the cited passages: {shown}")
    for date in reading.dates:
        if not _date_supported(date, evidence, published):
            problems.append(f"date not in the cited passages: {text[date.start : date.end]}")
    return problems


def _is_listed_count(quantity: Quantity, text: str, claim: Claim) -> bool:
    """"Two things stand out:", "names three: AWS, Microsoft and Google": a small count written
    as a word that introduces what follows, or equals the items the claim lists."""
    if not quantity.from_words or quantity.unit is not None or not 2 <= quantity.value <= MAX_LISTED_COUNT:
        return False
    after = text[quantity.end :]
    if ":" in after or claim.intro:
        return True
    return _longest_list(text) == quantity.value


def _longest_list(text: str) -> int:
    best = 0
    for clause in re.split(r"[:;()—–]", text):
        items = [i for i in re.split(r",\s*|\s+(?:and|or|e|ed|o)\s+", clause) if i.strip()]
        best = max(best, len(items) if len(items) >= 2 else 0)
    return best


def _neighbours(text: str, quantity: Quantity, language: str) -> list[str]:
    clause_start = max(text.rfind(c, 0, quantity.start) for c in ",;:()—") + 1
    ends = [i for i in (text.find(c, quantity.end) for c in ",;:()—") if i >= 0]
    clause_end = min(ends) if ends else len(text)
    words = word_lists(language)
    before = [t.text for t in tokens(text[clause_start : quantity.start]) if _is_content(t.text, language, words)]
    after = [t.text for t in tokens(text[quantity.end : clause_end]) if _is_content(t.text, language, words)]
    return before[-NEIGHBOURS:] + after[:NEIGHBOURS]


def _date_supported(date: Date, evidence: Sequence[Evidence], published: Sequence) -> bool:
    def fits(year, month, day) -> bool:
        return ((date.year is None or date.year == year) and (date.month is None or date.month == month)
                and (date.day is None or date.day == day))  # fmt: skip

    if any(fits(p.year, p.month, p.day) for p in published):
        return True  # the article's own date, stated as a date
    for e in evidence:
        if any(fits(d.year, d.month, d.day) for d in e.dates):
            return True
        if date.day is None and date.month is None and any(q.value == date.year for q in e.quantities):
            return True
    return False


def name_problems(text: str, language: str, evidence: Sequence[Evidence], titles: frozenset[str]) -> list[str]:
    missing: list[str] = []
    for word in names_in(text, language):
        lower = word.lower()
        if lower in titles or any(lower in e.words for e in evidence):
            continue
        parts = [p for p in re.split(r"[-'’]", lower) if p]
        if len(parts) > 1 and all(p in titles or any(p in e.words for e in evidence) for p in parts):
            continue
        missing.append(word)
    return [f"name not in the cited passages: {w}" for w in missing]


def names_in(text: str, language: str) -> list[str]:
    """The proper names, acronyms and codes (``GB200``) the text states, each once; a
    capitalised ordinary word opening a sentence is not a name."""
    words = word_lists(language)
    found: list[str] = []
    for match in _NAME.finditer(text):
        raw = _ELISION.sub("", match.group())  # "all'IA" names "IA"
        if raw.islower() or raw[0].isdigit():  # ordinary words; "38bn", "4th" are quantities
            continue
        word = re.sub(r"['’]s$", "", raw).strip("'’-")
        if len(word) < 2 or word.lower() in words.months or word in found:
            continue
        has_digit = any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
        acronym = word.isupper() and sum(c.isalpha() for c in word) >= 2
        if not (has_digit or acronym or word[0].isupper()):
            continue
        if _opens_sentence(text, match.start()) and not (has_digit or acronym) and is_ordinary(word, language):
            continue
        found.append(word)
    return found


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, a clause after a colon, or a bold label."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _OPENERS


def support_problems(claim: Claim, text: str, language: str, evidence: Sequence[Evidence]) -> list[str]:
    if claim.intro:
        return []
    words = word_lists(language)
    content = [t.text for t in tokens(text) if _is_content(t.text, language, words)]
    if any(t.text in words.negations for t in tokens(text)) and any(t.text in words.framing for t in tokens(text)):
        return []  # "the article doesn't say": a remark about the article, not a fact
    content = list(dict.fromkeys(content))
    if len(content) < MIN_CONTENT_WORDS:
        return []
    missing = [w for w in content if not any(e.supports(w, language) for e in evidence)]
    share = 1 - len(missing) / len(content)
    if share < SUPPORT_THRESHOLD and len(missing) > MAX_MISSING_ALWAYS_ALLOWED:
        return [f"not stated by the cited passages ({len(content) - len(missing)} of {len(content)} content words "
                f"found; missing: {', '.join(missing[:6])})"]  # fmt: skip
    return []


def _is_content(word: str, language: str, words) -> bool:
    return (
        len(word) >= 3
        and word.isalpha()
        and word not in words.framing
        and word not in words.function_words
        and word not in words.units
        and word not in words.scales
        and word not in words.months
        and word not in words.adjectives
        and not is_function_word(word, language)
        and not _is_number_word(word, language)
    )


def _is_number_word(word: str, language: str) -> bool:
    return number_word(word, language) is not None
