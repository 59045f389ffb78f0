"""Quantities and dates stated in a text, in English or Italian.

A quantity is a value with its unit when one follows: "$38bn", "38 miliardi di dollari" and
"thirty-eight billion dollars" all read as 38e9 dollars; "seven-year" and "settennale" as
7 years; "hundreds of thousands of GPUs" as 1e5 GPUs, which "millions of GPUs" (1e6) is not.
Number words are parsed by text2num in the text's own language only (so the English "due to"
is not the Italian "due"). A date is a month name with a day and/or a year next to it, or an
ISO date; its numbers are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.grounding.wordlists import WordLists, word_lists

_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}|[$€£%]|[^\W_]+(?:[.,]\d+)*")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_GLUED = re.compile(r"(\d+(?:[.,]\d+)*)([^\W\d_]{1,3})")
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})+")
_CURRENCY_SYMBOLS = {"$": "usd", "€": "eur", "£": "gbp"}


@dataclass(frozen=True)
class Token:
    text: str  # lower-cased
    start: int
    end: int


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None
    start: int  # character span in the text it was read from
    end: int
    from_words: bool = False  # written as words ("seven"), not digits

    def matches(self, other: Quantity) -> bool:
        same = abs(self.value - other.value) <= 1e-9 * max(abs(self.value), 1.0)
        return same and (self.unit is None or other.unit is None or self.unit == other.unit)


@dataclass(frozen=True)
class Date:
    year: int | None
    month: int | None
    day: int | None
    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    quantities: tuple[Quantity, ...]
    dates: tuple[Date, ...]


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text))


@lru_cache(maxsize=8192)
def read(text: str, language: str) -> Reading:
    return _Reader(text, word_lists(language)).read()


class _Reader:
    def __init__(self, text: str, words: WordLists) -> None:
        self.words = words
        self.tokens = tokens(text)
        self.used: set[int] = set()

    def read(self) -> Reading:
        dates = self._dates()
        quantities = []
        i = 0
        while i < len(self.tokens):
            if i in self.used:
                i += 1
                continue
            found = self._quantity(i)
            if found is None:
                i += 1
                continue
            quantity, i = found
            if quantity is not None:
                quantities.append(quantity)
        return Reading(tuple(quantities), tuple(dates))

    # --- dates -------------------------------------------------------------------------------

    def _dates(self) -> list[Date]:
        dates = []
        for i, token in enumerate(self.tokens):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token.text):
                year, month, day = (int(p) for p in token.text.split("-"))
                dates.append(Date(year, month, day, token.start, token.end))
                self.used.add(i)
                continue
            month = self.words.months.get(token.text.rstrip("."))
            if month is None:
                continue
            day = year = None
            first = last = i
            before = self._int_at(i - 1)
            after = self._int_at(i + 1)
            if before is not None and 1 <= before <= 31:
                day, first = before, i - 1
            elif after is not None and 1 <= after <= 31:
                day, last = after, i + 1
            following = self._int_at(last + 1)
            if following is not None and 1900 <= following <= 2100:
                year, last = following, last + 1
            if day is None and year is None:
                continue  # "may", "set", "mar": a month only next to a day or a year
            self.used.update(range(first, last + 1))
            dates.append(Date(year, month, day, self.tokens[first].start, self.tokens[last].end))
        return dates

    def _int_at(self, index: int) -> int | None:
        if 0 <= index < len(self.tokens) and self.tokens[index].text.isdigit():
            return int(self.tokens[index].text)
        return None

    # --- quantities --------------------------------------------------------------------------

    def _quantity(self, i: int) -> tuple[Quantity | None, int] | None:
        """The quantity starting at token ``i`` and the index after it, or None."""
        words = self.words
        token = self.tokens[i]
        if token.text in words.adjectives:
            value, unit = words.adjectives[token.text]
            return Quantity(value, unit, token.start, token.end, True), i + 1
        start = i
        from_words = False
        if _DIGITS.fullmatch(token.text):
            value = _digits_value(token.text)
            i += 1
        elif (glued := _GLUED.fullmatch(token.text)) and glued.group(2) in words.glued:
            value = _digits_value(glued.group(1)) * words.glued[glued.group(2)]
            i += 1
        elif token.text in words.fractions and self._scale_follows(i + 1):
            value, from_words = words.fractions[token.text], True
            i += 1
        elif token.text in words.scales and token.text.endswith(("s", "e", "a", "i")) and self._plural_scale(token):
            value, from_words = 1.0, True  # "millions of", "centinaia di": the scale below multiplies
        elif (number := number_word(token.text, words.language)) is not None:
            run = [token.text]
            i += 1
            while i < len(self.tokens) and number_word(self.tokens[i].text, words.language) is not None:
                run.append(self.tokens[i].text)
                i += 1
            value = _number_words(tuple(run), words.language) or number
            from_words = True
            if len(run) == 1 and run[0] in words.not_counts and not self._scale_follows(i):
                return None, i
        else:
            return None
        while True:  # scales: "38 billion", "hundreds of thousands", "mezzo milione"
            j = self._skip_connectors(i)
            if j < len(self.tokens) and self.tokens[j].text in words.scales and j not in self.used:
                value *= words.scales[self.tokens[j].text]
                i = j + 1
            else:
                break
        unit, i = self._unit(start, i)
        return Quantity(value, unit, self.tokens[start].start, self.tokens[i - 1].end, from_words), i

    def _plural_scale(self, token: Token) -> bool:
        return token.text not in ("mille", "cento", "hundred", "thousand", "million", "billion", "trillion")

    def _scale_follows(self, i: int) -> bool:
        j = self._skip_connectors(i)
        return j < len(self.tokens) and self.tokens[j].text in self.words.scales

    def _skip_connectors(self, i: int) -> int:
        while i < len(self.tokens) and self.tokens[i].text in self.words.connectors:
            i += 1
        return i

    def _unit(self, start: int, i: int) -> tuple[str | None, int]:
        units = self.words.units
        before = self.tokens[start - 1].text if start > 0 else ""
        if before in _CURRENCY_SYMBOLS:
            return _CURRENCY_SYMBOLS[before], i
        if i < len(self.tokens) and self.tokens[i].text == "%":
            return "percent", i + 1
        if i < len(self.tokens) and self.tokens[i].text in _CURRENCY_SYMBOLS:
            return _CURRENCY_SYMBOLS[self.tokens[i].text], i + 1
        j = self._skip_connectors(i)
        if j + 1 < len(self.tokens) and f"{self.tokens[j].text} {self.tokens[j + 1].text}" in units:
            return units[f"{self.tokens[j].text} {self.tokens[j + 1].text}"], j + 2
        if j < len(self.tokens) and self.tokens[j].text in units:
            return units[self.tokens[j].text], j + 1
        return None, i


def _digits_value(text: str) -> float:
    if _THOUSANDS.fullmatch(text):
        return float(re.sub(r"[.,]", "", text))
    return float(text.replace(",", "."))


@lru_cache(maxsize=16384)
def number_word(word: str, language: str) -> float | None:
    if not word.isalpha():
        return None
    from text_to_num import text2num

    try:
        return float(text2num(word, language))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _number_words(run: tuple[str, ...], language: str) -> float | None:
    from text_to_num import text2num

    try:
        return float(text2num(" ".join(run), language))
    except ValueError:
        return None
