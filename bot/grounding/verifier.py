"""The grounding verifier: is a model's answer backed by the passages it cites?

Checks, in order: the answer cites at least one passage; every cited id exists; every
number, amount and date in the answer appears in the cited passages (original or
translation, so "sette anni" = "seven years" and "38 miliardi di dollari" = "$38 billion");
every proper name or product code appears in the cited passages or the cited article's
title. It is deliberately strict: an answer that fails is not shown as fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.knowledge.articles import Article, KnowledgeBase, Passage
from bot.language.text import words

_NUMBER_WORDS = {
    # "one"/"uno"/"un" are left out: they are articles and pronouns far more often than counts.
    "due": 2, "two": 2, "tre": 3, "three": 3, "quattro": 4, "four": 4, "cinque": 5, "five": 5,
    "sei": 6, "six": 6, "sette": 7, "seven": 7, "settennale": 7, "otto": 8, "eight": 8,
    "nove": 9, "nine": 9, "dieci": 10, "ten": 10, "decennale": 10, "undici": 11, "eleven": 11,
    "dodici": 12, "twelve": 12, "venti": 20, "twenty": 20, "trenta": 30, "thirty": 30,
    "quaranta": 40, "forty": 40, "cinquanta": 50, "fifty": 50, "cento": 100, "hundred": 100,
    "trentotto": 38, "mille": 1000,
}  # fmt: skip
_ENGLISH_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred".split()  # noqa: SIM905
)
_ITALIAN_NUMBER_WORDS = frozenset(_NUMBER_WORDS) - _ENGLISH_NUMBER_WORDS
_NOT_A_NUMBER_IN = {"en": _ITALIAN_NUMBER_WORDS, "it": _ENGLISH_NUMBER_WORDS}  # "due to" is not "2 to"
_SCALES = {
    "mila": 1e3, "thousand": 1e3, "k": 1e3, "milione": 1e6, "milioni": 1e6, "million": 1e6,
    "millions": 1e6, "mln": 1e6, "m": 1e6, "miliardo": 1e9, "miliardi": 1e9, "billion": 1e9,
    "billions": 1e9, "mld": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "trillions": 1e12,
}  # fmt: skip
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_CITATION = re.compile(r"\[([^\[\]]{1,200})\]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*(?:[-*•]\s+|\d+[.)]\s+)?|^\s*[-*•]\s+)$")


@dataclass(frozen=True)
class Verdict:
    grounded: bool
    problems: tuple[str, ...] = ()


def within_given(verdict: Verdict, cited: list[str], given: frozenset[str] | None) -> Verdict:
    """``verdict``, failed for each cited id outside ``given``: a model shown only some passages
    (``given``; None when it was shown all) may cite only those."""
    outside = [i for i in cited if given is not None and i not in given]
    if not outside:
        return verdict
    return Verdict(False, (*verdict.problems, *(f"cites a passage it was not given: {i}" for i in outside)))


def cited_ids(answer: str) -> list[str]:
    """Every ``[id]`` or ``[id, id]`` reference in order of first appearance."""
    found: list[str] = []
    for group in _CITATION.findall(answer):
        for part in re.split(r"[,;]\s*", group):
            part = part.strip()
            if part and part not in found:
                found.append(part)
    return found


def strip_citations(answer: str) -> str:
    return _CITATION.sub("", answer)


def verify(answer: str, citations: Iterable[str], knowledge: KnowledgeBase, *, language: str | None = None) -> Verdict:
    """``language``: the answer's, when known, so that a number word of the other language
    ("due" is 2 in Italian) is not read as a number."""
    ids = list(citations)
    if not ids:
        return Verdict(False, ("the answer cites no passage",))
    unknown = [i for i in ids if knowledge.passage(i) is None]
    if unknown:
        return Verdict(False, tuple(f"cites a passage that does not exist: {i}" for i in unknown))
    passages = [knowledge.passage(i) for i in ids]
    text = strip_citations(answer)
    unsupported = _unsupported_numbers(text, passages, knowledge, language)
    problems = [f"number not in the cited passages: {n}" for n in unsupported]
    problems += [f"name not in the cited passages: {n}" for n in _unsupported_names(text, passages, knowledge)]
    return Verdict(not problems, tuple(problems))


def numbers_in(text: str, language: str | None = None) -> set[float]:
    """Every number the text states, both as written and scaled by a following
    "billion"/"miliardi"-like word, so "38 miliardi" gives {38, 38e9}."""
    tokens = words(text.replace("$", " $ ").replace("€", " € "))
    values: set[float] = set()
    ignored = _NOT_A_NUMBER_IN.get(language or "", frozenset())
    for i, token in enumerate(tokens):
        value = _value(token) if token not in ignored else None
        if value is None or (token == "cento" and i and tokens[i - 1] == "per"):  # "per cento" is "%"
            continue
        values.add(value)
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following in _SCALES:
            values.add(value * _SCALES[following])
    return values


def _value(token: str) -> float | None:
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    if not _DIGITS.fullmatch(token):
        return None
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token):  # 38.000 or 38,000: thousands separators
        return float(re.sub(r"[.,]", "", token))
    return float(token.replace(",", "."))


@lru_cache(maxsize=4096)
def _source_numbers(body: str, language: str | None = None) -> frozenset[float]:
    return frozenset(numbers_in(body, language))


@lru_cache(maxsize=4096)
def _source_words(body: str) -> frozenset[str]:
    return frozenset(words(body))


def _cited_articles(passages: list[Passage], knowledge: KnowledgeBase) -> list[Article]:
    return [knowledge.article(i) for i in dict.fromkeys(p.article_id for p in passages)]


def _unsupported_numbers(
    text: str, passages: list[Passage], knowledge: KnowledgeBase, language: str | None = None
) -> list[str]:
    source = set().union(*(_source_numbers(body, lang) for p in passages for lang, body in p.texts.items()))
    for article in _cited_articles(passages, knowledge):  # the article's own date may be stated
        published = article.published
        source |= {float(published.year), float(published.month), float(published.day)}
    return numbers_missing(text, source, language)


def numbers_missing(text: str, source: set[float] | frozenset[float], language: str | None = None) -> list[str]:
    """The numbers ``text`` states that ``source`` lacks (by value, scale words understood)."""
    stated = numbers_in(text, language)
    return [_format(v) for v in sorted(stated) if v not in source and not _is_scaled_copy(v, stated, source)]


def _is_scaled_copy(value: float, stated: set[float], source: set[float]) -> bool:
    """"38" in "$38 billion" is fine when 38e9 is supported (the scaled value is checked)."""
    return any(s in source and s != value and s / value in _SCALES.values() for s in stated if value)


def _format(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _unsupported_names(text: str, passages: list[Passage], knowledge: KnowledgeBase) -> list[str]:
    vocabulary = set().union(*(_source_words(body) for p in passages for body in p.texts.values()))
    for article in _cited_articles(passages, knowledge):  # the article's title names its subjects
        for title in (*article.titles.values(), *article.subtitles.values()):
            vocabulary |= _source_words(title)
    missing = []
    for name in names_in(text):
        if name.lower() not in vocabulary and name not in missing:
            missing.append(name)
    return missing


def names_in(text: str) -> list[str]:
    """Capitalised words that do not open a sentence, plus ALL-CAPS words and codes with
    digits anywhere (``GB200``, ``H100``)."""
    found = []
    for match in re.finditer(r"[^\W_]+", text):
        word = match.group()
        if word.isdigit() or (len(word) < 2 and not word.isupper()):
            continue
        has_digit = any(ch.isdigit() for ch in word)
        is_acronym = word.isupper() and len(word) >= 2
        is_capitalised = word[0].isupper()
        opens_sentence = bool(_SENTENCE_START.search(text[: match.start()]))
        if has_digit or is_acronym or (is_capitalised and not opens_sentence):
            found.append(word)
    return found
