"""Word knowledge the verifier needs: is a word ordinary vocabulary in a language (wordfreq's
lists, read from a compact table: ``bot.grounding.word_zipf``),
is it a content word, and its stem (Snowball, the same stemmers as retrieval)."""

from __future__ import annotations

from functools import cache, lru_cache

from bot.grounding.word_zipf import zipf as _table_zipf

ORDINARY_ZIPF = 3.0  # seen at least once per million words in the language
OWN_LANGUAGE_MARGIN = 1.0  # and ten times more often in it than in the other language...
COMMON_ZIPF = 5.0  # ...unless it is very common in it ("In", "No" are words in both)
FUNCTION_ZIPF = 5.5  # more common than this: a function word, not content ("the", "years", "anni")
_OTHER = {"en": "it", "it": "en"}
_STEMMERS = {"it": "italian", "en": "english"}


@lru_cache(maxsize=16384)
def zipf(word: str, language: str) -> float:
    return _table_zipf(word, language)


@lru_cache(maxsize=16384)
def is_ordinary(word: str, language: str) -> bool:
    """Whether a capitalised ``word`` opening a sentence is ordinary vocabulary of ``language``
    rather than a name: names (Nvidia, Oracle, Texas) are about as frequent in both languages."""
    word = word.lower()
    own = zipf(word, language)
    if own < ORDINARY_ZIPF:
        return False
    return own >= COMMON_ZIPF or own - zipf(word, _OTHER.get(language, "en")) >= OWN_LANGUAGE_MARGIN


@lru_cache(maxsize=16384)
def is_function_word(word: str, language: str) -> bool:
    return zipf(word, language) >= FUNCTION_ZIPF


@cache
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(_STEMMERS.get(language, "english"))


@lru_cache(maxsize=32768)
def stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)
