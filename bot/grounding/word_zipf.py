"""wordfreq's Zipf frequencies ("small" lists, Italian and English) without wordfreq in the process.

Importing wordfreq costs a long-running process about 17 MiB (langcodes, regex, ftfy) before its
lists (another 7 MiB) are even read, and the verifier only asks how frequent a single word is. So
the lists' plain words (lowercase Latin letters, what wordfreq's tokenizer keeps as they are) are
written once to a small file in the cache folder, by a child process, with the value
``wordfreq.zipf_frequency`` gives each; a process reads that file into a compact table. A plain word
missing from the lists has frequency 0, as in wordfreq; any other word (digits, apostrophes,
capitals, other scripts) is still asked of wordfreq itself, loaded then.

    python -m bot.grounding.word_zipf PATH   # write the table to PATH (what the child runs)
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from array import array
from functools import cache
from importlib import metadata
from pathlib import Path

from bot.cache_files import cache_dir, cached_file

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "it")
WORDLIST = "small"
BUILD_TIMEOUT = 120.0  # seconds for the child that writes the table
_PLAIN = re.compile(r"[a-zà-öø-ÿ]+")  # tokenized by wordfreq as itself in Italian and English


def zipf(word: str, language: str) -> float:
    """``wordfreq.zipf_frequency(word, language, wordlist="small")``."""
    if language in LANGUAGES and _PLAIN.fullmatch(word):
        table = _table()
        if table is not None:
            return table.zipf(word, LANGUAGES.index(language))
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language, wordlist=WORDLIST)


class ZipfTable:
    """The words sorted in one string, found by binary search, and their values in two arrays of
    centi-Zipf: about 1.5 MiB where a dict of the same words takes 8."""

    def __init__(self, rows: list[tuple[str, int, int]]) -> None:
        self._words = "".join(word for word, _, _ in rows)
        self._starts = array("I", [0])
        for word, _, _ in rows:
            self._starts.append(self._starts[-1] + len(word))
        self._values = tuple(array("H", (row[1 + i] for row in rows)) for i in range(len(LANGUAGES)))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def zipf(self, word: str, language_index: int) -> float:
        low, high = 0, len(self)
        while low < high:
            middle = (low + high) // 2
            found = self._words[self._starts[middle] : self._starts[middle + 1]]
            if found == word:
                return self._values[language_index][middle] / 100
            if found < word:
                low = middle + 1
            else:
                high = middle
        return 0.0


@cache
def _table(folder: Path | None = None) -> ZipfTable | None:
    name = f"wordfreq-{metadata.version('wordfreq')}-{WORDLIST}-zipf-v2.tsv"
    path = cached_file((folder or cache_dir()) / name, _build_in_child)
    if path is None:
        return None
    try:
        return _read(path)
    except (OSError, ValueError) as error:
        logger.warning("cannot read the word frequencies %s (%s): loading wordfreq's own", path, error)
        return None


def _read(path: Path) -> ZipfTable:
    rows = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            word, *values = line.split("\t")
            if len(values) != len(LANGUAGES):
                raise ValueError(f"bad line {line[:40]!r}")
            rows.append((word, *map(int, values)))
    if any(rows[i][0] >= rows[i + 1][0] for i in range(len(rows) - 1)):
        raise ValueError("words not sorted")
    return ZipfTable(rows)


def _build_in_child(path: Path) -> None:
    command = [sys.executable, "-m", "bot.grounding.word_zipf", str(path)]
    subprocess.run(command, check=True, timeout=BUILD_TIMEOUT, capture_output=True)


def build(path: Path) -> None:
    """Write every plain word of the lists, sorted, with its Zipf values in centi-Zipf, one
    ``word<TAB>en<TAB>it`` a line."""
    from wordfreq import get_frequency_dict, zipf_frequency

    words = sorted({w for lang in LANGUAGES for w in get_frequency_dict(lang, WORDLIST) if _PLAIN.fullmatch(w)})
    with open(path, "w", encoding="utf-8") as out:
        for word in words:
            values = (str(round(zipf_frequency(word, lang, wordlist=WORDLIST) * 100)) for lang in LANGUAGES)
            out.write("\t".join((word, *values)) + "\n")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
