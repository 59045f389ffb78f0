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
from functools import cache

from bot.engines.offline.language_data import language_data
from bot.language.languages import SUPPORTED_LANGUAGES


def written_out(text: str, language: str) -> str:
    """``text`` with the chat shorthand of ``language`` written in full."""
    table = _table(language)
    if table is None:
        return text
    pattern, full = table
    replaced = pattern.sub(lambda m: f" {full[m.group(0).lower()]} ", text)
    return re.sub(r"\s{2,}", " ", replaced).strip() if replaced != text else text


@cache
def _table(language: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    if language not in SUPPORTED_LANGUAGES:
        return None
    full = language_data(language).casual or {}
    if not full:
        return None
    # Longest first, so that "w/o" is not read as "w/" and "o"; a form ending in a letter ends
    # where the word does, one ending in "/" ("w/azure") may run into the next word.
    forms = sorted(full, key=len, reverse=True)
    alternatives = "|".join(re.escape(f) + (r"(?![\w'’])" if f[-1].isalnum() else "") for f in forms)
    return re.compile(rf"(?<![\w'’/])(?:{alternatives})", re.IGNORECASE), full
