"""What a cited passage can vouch for: its words (every language it is written in, plus
the editor's keywords), their stems, its quantities and dates. Built once per passage."""

from __future__ import annotations

from dataclasses import dataclass

from bot.grounding.quantities import Date, Quantity, read, tokens
from bot.grounding.vocabulary import stem
from bot.knowledge.articles import Article, Passage

PREFIX = 6  # stems sharing this many first letters match ("operational" ~ "operativi")


@dataclass(frozen=True)
class Evidence:
    words: frozenset[str]  # the passage's own words: names and codes must be among them
    vocabulary: frozenset[str]  # plus the editor's keywords and questions: a claim's paraphrase
    stems: frozenset[str]
    prefixes: frozenset[str]
    quantities: tuple[Quantity, ...]
    dates: tuple[Date, ...]
    text: str  # every text of the passage, lower-cased, for links and codes

    def supports(self, word: str, language: str) -> bool:
        if word in self.vocabulary:
            return True
        stemmed = stem(word, language)
        return stemmed in self.stems or (len(stemmed) >= PREFIX and stemmed[:PREFIX] in self.prefixes)


_EVIDENCE: dict[tuple[str, str], Evidence] = {}
_TITLES: dict[tuple[str, str], frozenset[str]] = {}


def passage_evidence(passage: Passage) -> Evidence:
    key = (passage.id, passage.original)
    found = _EVIDENCE.get(key)
    if found is None:
        found = _EVIDENCE[key] = _build(passage)
    return found


def _build(passage: Passage) -> Evidence:
    words: set[str] = set()
    vocabulary: set[str] = set()
    stems: set[str] = set()
    quantities: list[Quantity] = []
    dates: list[Date] = []
    texts = []
    for language, text in passage.texts.items():
        texts.append(text)
        reading = read(text, language)
        quantities.extend(reading.quantities)
        dates.extend(reading.dates)
        words.update(t.text for t in tokens(text))
        # Editors' words for what the passage says: its search keywords and the questions it answers.
        editors = [passage.keywords.get(language, "").replace("=", " "), *passage.questions.get(language, ())]
        for source in (text, *editors):
            for token in tokens(source):
                vocabulary.add(token.text)
                for lang in passage.texts:
                    stems.add(stem(token.text, lang))
    prefixes = frozenset(s[:PREFIX] for s in stems if len(s) >= PREFIX)
    return Evidence(frozenset(words), frozenset(vocabulary), frozenset(stems), prefixes,
                    tuple(quantities), tuple(dates), " ".join(texts).lower())  # fmt: skip


def title_words(article: Article) -> frozenset[str]:
    """The article's title and subtitle name its subjects: a name from them is no invention."""
    key = (article.id, article.version)
    if key not in _TITLES:
        titles = (*article.titles.values(), *article.subtitles.values())
        _TITLES[key] = frozenset(t.text for title in titles for t in tokens(title))
    return _TITLES[key]
