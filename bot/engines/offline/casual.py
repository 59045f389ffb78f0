"""Questions typed the way people chat, read as written in full before anything else.

"whats the deal worth in bn", "so openai isnt exclusive w/ azure", "xke openai ha scelto aws":
contractions without their apostrophe and chat shorthand are unknown words to the index, and
unknown words weigh the most, so they would sink the question. Each language's data file
(``casual`` in ``bot/engines/offline/data/<language>.yaml``) says how each is written in full;
only whole words are replaced, and only with the question's own language's table ("cos" is
"because" to an English chatter and the start of "cos'è" to an Italian one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.engines.offline.language_data import all_languages, language_data
from bot.language.languages import SUPPORTED_LANGUAGES


def written_out(text: str, language: str) -> str:
    """``text`` with the chat shorthand of ``language`` written in full."""
    text = _with_figure_units(_with_accents(text, language), language)
    table = _table(language)
    if table is None:
        return text
    pattern, full = table
    replaced = pattern.sub(lambda m: f" {full[m.group(0).lower()]} ", text)
    return re.sub(r"\s{2,}", " ", replaced).strip() if replaced != text else text


# A word ending in a vowel and an apostrophe ("e' citato", "perche'?"); not an elision ("l'accordo").
_APOSTROPHE_ACCENT = re.compile(r"\b([^\W\d_]*)([aeiouAEIOU])['’](?=\s|[?.!,;:)]|$)")
_TRUNCATED = frozenset({"po"})  # "un po'": "poco" cut short, not an accent
_QUOTE_MARK = re.compile(r"['‘’]")


def _inside_quote(text: str, at: int) -> bool:
    """Whether a single quote opened before position ``at`` is still open there: the mark at
    ``at`` closes it ("'più meglio'"), it is no accent. An opening mark follows a space or the
    start and precedes a letter; a closing one follows a letter and precedes none."""
    inside = False
    for mark in _QUOTE_MARK.finditer(text, 0, at):
        k = mark.start()
        before, after = text[k - 1 : k], text[k + 1 : k + 2]
        if (not before or before in " («\"") and after.isalnum():
            inside = True
        elif inside and before.isalnum() and not after.isalnum():
            inside = False
    return inside


_GLUED_UNIT = re.compile(r"(?<=\d)([A-Za-z])(?![\w'’])")


def _with_figure_units(text: str, language: str) -> str:
    """``text`` with a one-letter unit glued to a figure written out ("38B" -> "38 billion")."""
    units = language_data(language).figure_suffixes if language in SUPPORTED_LANGUAGES else {}
    if not units:
        return text
    def written(match: re.Match[str]) -> str:
        unit = units.get(match.group(1).lower())
        return f" {unit}" if unit else match.group(0)

    return _GLUED_UNIT.sub(written, text)


def _with_accents(text: str, language: str) -> str:
    accents = language_data(language).apostrophe_accents if language in SUPPORTED_LANGUAGES else {}
    if not accents:
        return text

    def accented(match: re.Match[str]) -> str:
        stem, vowel = match.group(1), match.group(2)
        if (stem + vowel).lower() in _TRUNCATED or _inside_quote(text, match.end() - 1):
            return match.group(0)  # "un po'"; "solo 'più GPU = più meglio'?" closes a quote
        accent = accents.get(vowel.lower(), vowel)
        return stem + (accent.upper() if vowel.isupper() else accent)

    return _APOSTROPHE_ACCENT.sub(accented, text)


@cache
def _table(language: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    if language not in SUPPORTED_LANGUAGES:
        return None
    data = language_data(language)
    # Chat borrows the other language's set phrases ("tutto up and running"): those of several
    # words are read in any language; single words and shorthand only in their own ("cos").
    borrowed = {
        phrase: full_form
        for other in all_languages()
        if other.language != language
        for phrase, full_form in (other.everyday or {}).items()
        if " " in phrase
    }
    full = {**borrowed, **(data.everyday or {}), **(data.casual or {})}
    if not full:
        return None
    # Longest first, so that "w/o" is not read as "w/" and "o"; a form ending in a letter ends
    # where the word does, one ending in "/" ("w/azure") may run into the next word.
    forms = sorted(full, key=len, reverse=True)
    alternatives = "|".join(re.escape(f) + (r"(?![\w'’])" if f[-1].isalnum() else "") for f in forms)
    # A form may follow a figure without a space ("38bn", "7yrs"): it stands for its own word.
    return re.compile(rf"(?<![^\W\d_]|['’/])(?:{alternatives})", re.IGNORECASE), full


def without_exclusions(text: str) -> str:
    """``text`` without what it sets aside ("besides the timing, what...", "chi altro oltre ad
    AWS...?"): the words after "besides / oltre a" name what is *not* asked about, so they are
    not topic words (``exclusion_cues`` in the data files, either language)."""
    for data in all_languages():
        for cue in data.exclusion_cues:
            text = cue.sub(" ", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def name_forms(texts: Iterable[str]) -> dict[str, str]:
    """The proper names the articles write, by their lower-cased form: {"openai": "OpenAI"}.
    A word the articles also write in lower case ("cloud") is not one."""
    cased: dict[str, str] = {}
    lower: set[str] = set()
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group(0)
            if word.islower():
                lower.add(word)
            elif not _opens_sentence(text, match.start()):
                cased.setdefault(word.lower(), word)
    return {key: form for key, form in cased.items() if key not in lower and len(key) > 1}


def with_names(text: str, forms: dict[str, str]) -> str:
    """``text`` with each proper name the articles know written as they write it: a chat
    question in lower case ("xke openai ha scelto aws") names OpenAI and AWS as the same question
    capitalised does, so the checks on names apply to it alike."""
    return _WORD.sub(lambda m: forms.get(m.group(0), m.group(0)) if m.group(0).islower() else m.group(0), text)


_WORD = re.compile(r"[^\W\d_][\w]*", re.UNICODE)


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:"
