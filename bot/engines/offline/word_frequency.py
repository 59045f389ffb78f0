"""How common a word is in everyday Italian and English, from wordfreq's frequency lists.

Loading wordfreq's full lists takes over a second (and about 17 MiB a process would keep), so
what matters here is written once to small cache files, by a child process, and read from them
in milliseconds: the common words (Zipf frequency above ``COMMON_FROM``; rarer words all count
as rare) and the words used alike in both languages.

    python -m bot.engines.offline.word_frequency common|alike PATH   # what the child runs
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import subprocess
import sys
from array import array
from collections.abc import Callable
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
BUILD_TIMEOUT = 120.0  # seconds for the child that writes a cache file


def commonness(word: str) -> float:
    """1 for rare words, down to 0.3 for the most common ones ("people", "make"): how much a
    word can say about a topic (Zipf 4.5 or less gives 1, 6 gives 0.4)."""
    zipf = _common_words().get(word, 0.0)
    return min(1.0, max(0.3, (7.0 - zipf) / 2.5))


def used_alike(word: str) -> bool:
    """Whether ``word`` (lower case) is used about as often in Italian as in English texts, as a
    name is (see ``SAME_USE``)."""
    hashes = _alike_hashes()
    key = _word_hash(word)
    at = bisect.bisect_left(hashes, key)
    return at < len(hashes) and hashes[at] == key


@cache
def _alike_hashes() -> array:
    """The words used alike, as their sorted 64-bit hashes: 0.4 MiB for about 50,000 words, where
    the words themselves held 5 MiB in every long-running process (a word outside the list
    matches a hash by chance about once in 10**14 lookups)."""
    path = _cache_file(cache_dir() / f"wordfreq-{metadata.version('wordfreq')}-alike-v2.bin", "alike")
    if path is None:
        return _sorted_hashes(_alike_from_wordfreq())
    hashes = array("Q")
    hashes.frombytes(path.read_bytes())
    return hashes


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _sorted_hashes(words: set[str]) -> array:
    return array("Q", sorted(_word_hash(word) for word in words))


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
    path = _cache_file((folder or cache_dir()) / f"wordfreq-{metadata.version('wordfreq')}-v1.json", "common")
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


WRITERS: dict[str, Callable[[Path], None]] = {
    "common": lambda path: path.write_text(json.dumps(_from_wordfreq()), encoding="utf-8"),
    "alike": lambda path: path.write_bytes(_sorted_hashes(_alike_from_wordfreq()).tobytes()),
}


def _cache_file(path: Path, kind: str) -> Path | None:
    """``path``, written by a child process when missing; None when it cannot be (the caller then
    computes what it needs in this process)."""

    def build_in_child(temporary: Path) -> None:
        command = [sys.executable, "-m", "bot.engines.offline.word_frequency", kind, str(temporary)]
        subprocess.run(command, check=True, timeout=BUILD_TIMEOUT, capture_output=True)

    try:
        return cached_file(path, build_in_child)
    except (OSError, subprocess.SubprocessError):
        return None


if __name__ == "__main__":
    WRITERS[sys.argv[1]](Path(sys.argv[2]))
