"""Finding the passages that answer a question: BM25 (bm25s) over original and translation.

Every passage is indexed once with all its fields: the original, the translation, the
key points that cite it and the editor's optional keywords, each stemmed with its own
language's Snowball stemmer. A question word is stemmed both ways and counts as found
when either stem is, so Italian and English questions meet the same passages.

BM25 ranks; deciding whether the best passage *answers* needs more than a score (a
question about "OpenAI's CEO" scores well on a passage about AWS's CEO that also names
OpenAI), so a match also reports how much of the question it covers and whether the
question's words stand close together in one sentence of it.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from bot.knowledge.articles import KnowledgeBase, Passage
from bot.language.text import words

_STEMMER_NAMES = {"it": "italian", "en": "english"}
# Question words and generic verbs that carry no topic; the stop-word lists omit them.
_QUESTION_WORDS = {
    "it": "chi cosa cos come quando quanto quanta quanti quante quale quali dove perché perche dimmi "
    "detto dice dicono dire spiega spiegami parla parlato articolo sapere vorrei puoi può riassumi "
    "significa significato implica succede tipo vogliono vuole menziona menzionato citato",
    "en": "who what when where which how why much many tell say said says explain article know "
    "please could would does did can summarize mean means meaning imply implies happen happens kind type "
    "want wants mentioned mention mentions",
}
_NEAR = 12  # words: how close two question words must stand in a passage to be read together


@dataclass(frozen=True)
class Match:
    passage: Passage
    score: float  # BM25
    coverage: float  # share of the question's topic words (IDF-weighted) found in the passage
    together: bool  # the found words stand close together in one field of the passage


@dataclass(frozen=True)
class _Field:
    stems: tuple[frozenset[str], ...]  # per word position; stop words hold an empty set
    is_bag: bool = False  # keywords: a bag of words, every one of them "close" to the text


class PassageIndex:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        import bm25s
        import Stemmer
        from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_ITALIAN

        self._stemmers = {lang: Stemmer.Stemmer(name) for lang, name in _STEMMER_NAMES.items()}
        self._stopwords = set(STOPWORDS_ITALIAN) | set(STOPWORDS_EN_PLUS)
        for extra in _QUESTION_WORDS.values():
            self._stopwords.update(extra.split())
        self.passages = knowledge.passages
        self._fields = [self._passage_fields(p, knowledge) for p in self.passages]
        self._terms = [frozenset().union(*(s for f in fields for s in f.stems)) for fields in self._fields]
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
        self._bm25 = bm25s.BM25()
        self._bm25.index([sorted(t) for t in self._terms], show_progress=False)
        self._idf = self._inverse_document_frequency()

    def search(self, query: str, *, limit: int = 3) -> list[Match]:
        concepts = self.topic_words(query)
        if not concepts:
            return []
        scores = self._bm25.get_scores(sorted(set().union(*concepts)))
        weights = [self._weight(c) for c in concepts]
        matches = []
        for passage, terms, fields, score in zip(self.passages, self._terms, self._fields, scores, strict=True):
            found = [c for c in concepts if c & terms]
            if not found:
                continue
            coverage = sum(w for c, w in zip(concepts, weights, strict=True) if c & terms) / sum(weights)
            matches.append(Match(passage, float(score), coverage, _stand_together(found, fields)))
        matches.sort(key=lambda m: (round(m.coverage, 2), m.together, m.score), reverse=True)
        return matches[:limit]

    def contains(self, passage: Passage, concepts: list[frozenset[str]]) -> bool:
        """Whether every one of ``concepts`` is found in ``passage``."""
        terms = self._terms[self.passages.index(passage)]
        return all(c & terms for c in concepts)

    def topic_words(self, text: str) -> list[frozenset[str]]:
        """The question's topic words, each as the set of its stems in both languages."""
        seen, concepts = set(), []
        for word in words(text):
            if word in self._stopwords or (len(word) < 2 and not word.isdigit()):
                continue
            stems = frozenset(s.stemWord(word) for s in self._stemmers.values()) | {word}
            if stems not in seen:
                seen.add(stems)
                concepts.append(stems)
        return concepts

    def _passage_fields(self, passage: Passage, knowledge: KnowledgeBase) -> list[_Field]:
        texts = list(passage.texts.items())
        article = knowledge.article(passage.article_id)
        for point in article.key_points if article else ():
            if passage.id in point.cite:
                texts.extend(point.texts.items())
        fields = [self._field(text, lang) for lang, text in texts]
        for lang, keywords in passage.keywords.items():
            bag = [k for k in keywords.split() if "=" not in k]
            fields.append(self._field(" ".join(bag), lang, is_bag=True))
            for synonym in (k for k in keywords.split() if "=" in k):
                fields = [self._with_synonym(f, synonym, lang) for f in fields]
        return fields

    def _with_synonym(self, field: _Field, synonym: str, language: str) -> _Field:
        """``capo=CEO``: "capo" is found wherever the passage says "CEO"."""
        word, anchor = synonym.lower().split("=", 1)
        stems = frozenset({self._stemmers[language].stemWord(word), word})
        anchors = {anchor} | {s.stemWord(anchor) for s in self._stemmers.values()}
        return _Field(tuple(s | stems if s & anchors else s for s in field.stems), field.is_bag)

    def _field(self, text: str, language: str, *, is_bag: bool = False) -> _Field:
        stemmer = self._stemmers[language]
        stems = tuple(
            frozenset() if w in self._stopwords else frozenset({stemmer.stemWord(w), w}) for w in words(text)
        )
        return _Field(stems, is_bag)

    def _weight(self, concept: frozenset[str]) -> float:
        return max((self._idf.get(s, self._unseen_idf) for s in concept), default=self._unseen_idf)

    def _inverse_document_frequency(self) -> dict[str, float]:
        count = len(self._terms)
        frequency: dict[str, int] = {}
        for terms in self._terms:
            for term in terms:
                frequency[term] = frequency.get(term, 0) + 1
        self._unseen_idf = math.log(1 + count / 0.5)
        return {t: math.log(1 + count / f) for t, f in frequency.items()}


def _stand_together(found: list[frozenset[str]], fields: list[_Field]) -> bool:
    """True when the found words (editor keywords aside) stand close together in one field:
    some stretch of at most ``_NEAR`` words per extra word holds one of each."""
    keywords = set().union(*(s for f in fields if f.is_bag for s in f.stems))
    found = [c for c in found if not c & keywords]
    if len(found) < 2:
        return True
    for field in fields:
        if field.is_bag:
            continue
        positions = {tuple(i for i, stems in enumerate(field.stems) if stems & concept) for concept in found}
        if () in positions:
            continue  # this field lacks one of the words
        if len(positions) < 2 or _shortest_span(list(positions)) <= _NEAR * (len(positions) - 1):
            return True
    return False


def _shortest_span(positions: list[tuple[int, ...]]) -> int:
    """The shortest stretch of words holding one position from every list."""
    events = sorted((p, k) for k, group in enumerate(positions) for p in group)
    best, counts, have, left = math.inf, [0] * len(positions), 0, 0
    for position, kind in events:
        counts[kind] += 1
        have += counts[kind] == 1
        while have == len(positions):
            best = min(best, position - events[left][0])
            counts[events[left][1]] -= 1
            have -= counts[events[left][1]] == 0
            left += 1
    return best
