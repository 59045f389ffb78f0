"""How common a word is in everyday Italian and English, from wordfreq's frequency lists.

Loading wordfreq's full lists takes over a second, so the words that matter here (the
common ones, Zipf frequency above ``COMMON_FROM``; rarer words all count as rare) are
written once to a small cache file and read from it in milliseconds.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import metadata
from pathlib import Path

from bot.cache_files import cache_dir, cached_file

LANGUAGES = ("en", "it")
COMMON_FROM = 4.5  # Zipf scale: 4.5 is about once per 30,000 words
# A word about as frequent in Italian as in English (Zipf within SAME_USE of each other, both
# from SEEN_FROM up, neither common) is used alike in both: a name ("nvidia", "altman", "amd")
# or a loan word; a word of one language is far more frequent in it ("shorter", "pluriennale").
SAME_USE = 1.0
SEEN_FROM = 1.3


def commonness(word: str) -> float:
    """1 for rare words, down to 0.3 for the most common ones ("people", "make"): how much a
    word can say about a topic (Zipf 4.5 or less gives 1, 6 gives 0.4)."""
    zipf = _common_words().get(word, 0.0)
    return min(1.0, max(0.3, (7.0 - zipf) / 2.5))


def used_alike(word: str) -> bool:
    """Whether ``word`` (lower case) is used about as often in Italian as in English texts, as a
    name is (see ``SAME_USE``)."""
    return word in _alike_words()


@cache
def _alike_words() -> frozenset[str]:
    def build(path: Path) -> None:
        path.write_text(json.dumps(sorted(_alike_from_wordfreq())), encoding="utf-8")

    path = cached_file(cache_dir() / f"wordfreq-{metadata.version('wordfreq')}-alike-v1.json", build)
    return frozenset(json.loads(path.read_text(encoding="utf-8")) if path else _alike_from_wordfreq())


def _alike_from_wordfreq() -> set[str]:
    from wordfreq import get_frequency_dict

    english, italian = (get_frequency_dict(language) for language in LANGUAGES)
    alike = set()
    for word, frequency in english.items():
        if word not in italian or not word.isalpha() or len(word) < 3:
            continue
        a, b = math.log10(frequency) + 9, math.log10(italian[word]) + 9
        if min(a, b) >= SEEN_FROM and max(a, b) <= COMMON_FROM and abs(a - b) < SAME_USE:
            alike.add(word)
    return alike


@cache
def _common_words(folder: Path | None = None) -> dict[str, float]:
    def build(path: Path) -> None:
        path.write_text(json.dumps(_from_wordfreq()), encoding="utf-8")

    path = cached_file((folder or cache_dir()) / f"wordfreq-{metadata.version('wordfreq')}-v1.json", build)
    return json.loads(path.read_text(encoding="utf-8")) if path else _from_wordfreq()


def _from_wordfreq() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    common: dict[str, float] = {}
    for language in LANGUAGES:
        for word, frequency in get_frequency_dict(language).items():
            zipf = math.log10(frequency) + 9 if frequency > 0 else 0.0
            if zipf > COMMON_FROM and zipf > common.get(word, 0.0):
                common[word] = round(zipf, 2)
    return common
