"""The per-language word lists the verifier reads quantities, dates and framing with
(``bot/grounding/lang/<language>.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "lang"


@dataclass(frozen=True)
class WordLists:
    language: str
    scales: dict[str, float]
    glued: dict[str, float]
    fractions: dict[str, float]
    not_counts: frozenset[str]
    connectors: frozenset[str]
    units: dict[str, str]
    adjectives: dict[str, tuple[float, str]]
    months: dict[str, int]
    framing: frozenset[str]
    negations: frozenset[str]
    list_joiners: frozenset[str]
    function_words: frozenset[str]  # auxiliaries ("will", "saranno") and elided articles ("dell"'): not content


@cache
def word_lists(language: str) -> WordLists:
    import yaml

    data = yaml.safe_load((FOLDER / f"{language}.yaml").read_text(encoding="utf-8"))
    return WordLists(
        language=language,
        scales={k: float(v) for k, v in data["scales"].items()},
        glued={k: float(v) for k, v in data["glued"].items()},
        fractions={k: float(v) for k, v in data["fractions"].items()},
        not_counts=frozenset(data["not_counts"]),
        connectors=frozenset(data["connectors"]),
        units=dict(data["units"]),
        adjectives={k: (float(v[0]), str(v[1])) for k, v in (data.get("adjectives") or {}).items()},
        months=dict(data["months"]),
        framing=frozenset(data["framing"]),
        negations=frozenset(data["negations"]),
        list_joiners=frozenset(data["list_joiners"]),
        function_words=frozenset(data.get("function_words") or ()),
    )
