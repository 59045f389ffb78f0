"""Finding the passages that answer a question: BM25 (bm25s) over original and translation.

Every passage is indexed once with all its fields: the original, the translation, the
key points that cite it, the questions an editor (or ``ingest``) wrote for it and the
editor's optional keywords, each stemmed with its own language's Snowball stemmer. Each
word of a field also carries its synonyms in both languages (MultiWordNet, ``synonyms``),
found with a penalty. A question word is stemmed both ways and counts as found when either
stem is, so Italian and English questions meet the same passages.

BM25 ranks; deciding whether the best passage *answers* needs more than a score (a
question about "OpenAI's CEO" scores well on a passage about AWS's CEO that also names
OpenAI), so a match also reports how much of the question it covers (topic words weigh
by their rarity in the articles and in the language; generic words of asking weigh
little), whether the question's words stand close together in one field of it, and
whether it holds the kind of answer asked for (``answer_types``).
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property

from bot.engines.offline.answer_types import (
    QuestionType,
    evidence_in,
    evidence_spans,
    explanation_spans,
    holds,
    question_type,
    units_in,
)
from bot.engines.offline.casual import name_forms
from bot.engines.offline.language_data import all_languages
from bot.engines.offline.synonyms import Synonyms
from bot.engines.offline.word_frequency import commonness, used_alike
from bot.grounding.wordlists import word_lists
from bot.knowledge.articles import KnowledgeBase, Passage
from bot.language.text import words

_TOKEN = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)  # as ``words``, keeping the case
_OWNER_NEAR = 5  # words: how close a thing must stand to the name that owns it ("Microsoft's Azure")
# words: how close a quantity must stand to each name a "how much / how many" question names: "How
# many GPUs will Microsoft provide?" is not answered by OpenAI's need for GPUs in a sentence that
# lists Microsoft among possible suppliers 17 words away.
_QUANTITY_NEAR = 14
_QUANTITY_TYPES = ("amount", "measure", "count")
_SUBJECT_WITHIN = 2  # words: a name this near the start opens its sentence ("The town's choice...")
_VALUE_NEAR = 3  # words: how close a named value must stand to the thing ("GB200 GPUs")

_STEMMER_NAMES = {"it": "italian", "en": "english"}
_NEAR = 14  # words: how close two question words must stand in a passage to be read together
SYNONYM_SHARE = 0.7  # a word found only through a synonym counts for this share of its weight
MIN_SYNONYM_COMMONNESS = 0.53  # a question word's synonym more common than this is dropped (``_expand``)
# A head word this common (wordfreq Zipf above ~6: "thing", "time") says too little about what
# is asked to refuse over it.
MIN_HEAD_RARITY = 0.4
FILLER_WEIGHT = 0.15  # generic words of asking ("quoted", "comes") next to a topic word's ~1-3


_NAMES_UNACCENTED = frozenset({"sara", "fara"})
NAME_WORD = re.compile(r"[^\W\d_][\w]*", re.UNICODE)
# Where a noun phrase ends: a punctuation mark before a space (not the comma of "3,8").
_PHRASE_END = re.compile(r"[,;:?!.](?:\s|$)")
_CODE_LIKE = re.compile(r"[A-Z]{2,}\w*|[A-Z][a-z]+[A-Z]\w*")
_DEFINED_ACRONYM = re.compile(r"((?:[A-Z][\w-]*\s+){1,6}[A-Z][\w-]*)\s*\(([A-Z][A-Za-z]{1,9})\)")


@dataclass(frozen=True)
class Match:
    passage: Passage
    score: float  # BM25
    coverage: float  # weighted share of the question's words found in the passage
    together: bool  # the found words stand close together in one field of the passage
    typed: bool = True  # the passage holds the kind of answer the question asks for


@dataclass(frozen=True)
class _Field:
    stems: tuple[frozenset[str], ...]  # per word position; stop words hold an empty set
    related: tuple[frozenset[str], ...]  # the synonyms' stems, per word position
    is_bag: bool = False  # keywords: a bag of words, every one of them "close" to the text
    is_question: bool = False  # a question the passage answers (editor- or ingest-written)
    names: frozenset[str] = frozenset()  # a question's proper names, lower-cased
    is_translation: bool = False  # the passage's own text, in one of its languages
    named_at: frozenset[int] = frozenset()  # the positions of proper names and codes ("Nvidia", "GB200")
    possessive_at: frozenset[int] = frozenset()  # the positions of possessives ("its", "sua")
    role_at: frozenset[int] = frozenset()  # the positions of role words ("CEO", "presidente")


@dataclass(frozen=True)
class _Concept:
    stems: frozenset[str]  # the word and its stems in both languages
    weight: float
    filler: bool
    related: frozenset[str] = frozenset()  # its synonyms' stems
    role: bool = False  # a role word ("heads", "capo"): found in any passage that names a role


@dataclass(frozen=True)
class _Reading:
    """A question as the index reads it."""

    wanted: QuestionType
    concepts: list[_Concept]
    total: float  # the weight of all its words
    names: frozenset[str]  # the proper names it names
    asked: list[_Concept]  # the agent nouns it asks for ("which *maker*")
    owned: list[tuple[str, _Concept]] = ()  # (name, thing): "Microsoft's GPUs"
    valued: list[_Concept] = ()  # things whose named value is asked for ("which *model* of GPU")
    future: bool = False  # a yes/no question about what will happen ("Will OpenAI renew...?")
    phrases: tuple[tuple[str, ...], ...] = ()  # names written in several words ("Google Cloud"), lower-cased
    worth: bool = False  # it asks what something is worth ("valued at", "quanto vale")


class PassageIndex:
    def __init__(self, knowledge: KnowledgeBase, synonyms: Synonyms | None = None) -> None:
        import bm25s
        import Stemmer
        from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_ITALIAN

        self._stemmers = {lang: Stemmer.Stemmer(name) for lang, name in _STEMMER_NAMES.items()}
        data = all_languages()
        self._stopwords = set(STOPWORDS_ITALIAN) | set(STOPWORDS_EN_PLUS)
        self._stopwords.update(*(d.question_words for d in data))
        self._filler = frozenset().union(*(d.filler for d in data)) - self._stopwords
        # Chat drops accents ("perche", "piu", "gia"): stop words and generic words count written
        # either way, but for the two that are also names ("sarà" / Sara, "farà" / Fara).
        self._stopwords.update({_unaccented(w) for w in self._stopwords} - _NAMES_UNACCENTED)
        self._filler |= {_unaccented(w) for w in self._filler} - self._stopwords
        self._asking = frozenset().union(*(d.asking_words for d in data))
        self._value_words = frozenset().union(*(d.value_words for d in data))
        self._which = {w: d for d in data for w in d.which_words}
        self._kind_words = frozenset().union(*(d.kind_words for d in data))
        self._possessives = frozenset().union(*(d.possessives for d in data))
        # Words that name a kind of answer ("value", "anni", "opinion") say what is asked, not about what.
        self._type_words = frozenset(w for d in data for t in d.answer_types for w in t.absorb) - self._stopwords
        self._synonyms = synonyms or Synonyms({lang: s.stemWord for lang, s in self._stemmers.items()})
        # The generic words as the index holds them (their stems in both languages).
        self._generic = self._filler | {s.stemWord(w) for w in self._filler for s in self._stemmers.values()}
        self.passages = knowledge.passages
        self._articles = knowledge.articles
        self._headlines = [t for a in knowledge.articles for t in (*a.titles.values(), *a.subtitles.values())]
        self._position = {p.id: i for i, p in enumerate(self.passages)}
        self._word_cache: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {}
        self._role_words: dict[tuple[str, str], bool] = {}
        self._acronyms = _acronyms(text for p in self.passages for text in p.texts.values())
        self._long_forms = [
            (re.compile(r"\b" + r"\s+".join(map(re.escape, form)) + r"\b", re.IGNORECASE), acronym)
            for acronym, form in self._acronyms.items()
        ]
        self._fields = [self._passage_fields(p, knowledge) for p in self.passages]
        self._terms = [_union(f.stems for f in fields) for fields in self._fields]
        self._related = [_union(f.related for f in fields) for fields in self._fields]
        # What a passage holds without the questions it answers, and each question apart:
        # a question lends its words only to askers who name all it names (see ``_lent``).
        own = [[f for f in fields if not f.is_question] for fields in self._fields]
        self._own = [(_union(f.stems for f in fields), _union(f.related for f in fields)) for fields in own]
        self._asked = [
            [(f.names, _union([f.stems]), _union([f.related])) for f in fields if f.is_question]
            for fields in self._fields
        ]
        self._kinds = [evidence_in(p.texts) for p in self.passages]
        # The words an explanation after a colon explains ("a paradox: Amazon, in fact, ..."): a
        # "why" about them is answered there, a "why" about the rest of the sentence is not.
        self._explained = [self._explained_words(p) for p in self.passages]
        # The organisations each passage names together ("AWS, Microsoft and Google"), each as its words.
        self._listed = [self._listed_names(p) for p in self.passages]
        # The proper names each passage names (lower-cased, long forms as their acronyms).
        self._named = [
            frozenset(n for t in p.texts.values() for n in _names(self._short_forms(t))) - self._stopwords
            for p in self.passages
        ]
        self._units = [units_in(p.texts) for p in self.passages]
        # The names the articles write, by their lower-cased form, to read a lower-case question with.
        forms = name_forms(t for p in self.passages for t in p.texts.values())
        self.name_forms = {k: v for k, v in forms.items() if k not in self._stopwords}
        # Which passages hold a stem (as a word, or through a synonym): a question reads only
        # the passages that hold one of its words, not all of them (1,000 articles: ~11,000).
        self._holding = _postings(self._terms)
        self._holding_related: dict[str, list[int]] = {}  # filled per stem as questions ask (synonym sets are big)
        self._with_role = [i for i, kinds in enumerate(self._kinds) if "role" in kinds]
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
        self._bm25 = bm25s.BM25()
        self._bm25.index([sorted(t) for t in self._terms], show_progress=False)
        self._idf = self._inverse_document_frequency()
        commonness("")  # load the frequency table now, not on the first question

    def search(self, query: str, *, limit: int | None = 3, answer_type: QuestionType | None = None) -> list[Match]:
        reading = self._read_question(query, answer_type)
        if reading is None:
            return []
        scores = self._bm25.get_scores(sorted(set().union(*(c.stems for c in reading.concepts))))
        matches = []
        for i in self._candidates(reading.concepts):  # the others hold none of the question's words
            match = self._match(i, reading, float(scores[i]))
            if match is not None:
                matches.append(match)
        # "Which companies...": a passage naming several of them together comes first.
        plural = reading.wanted.name == "organisations"
        listing = {
            m.passage.id for m in matches if plural and self._lists_organisations(self._position[m.passage.id], reading)
        }
        matches.sort(
            key=lambda m: (m.typed, m.passage.id in listing, round(m.coverage, 2), m.together, m.score), reverse=True
        )
        return matches[:limit]

    def judge(self, query: str, passage: Passage, *, answer_type: QuestionType | None = None) -> Match | None:
        """How ``passage`` stands to the question, with the same checks as ``search`` (for a
        passage found another way: by meaning, ``paraphrases``); None when it cannot answer."""
        reading = self._read_question(query, answer_type)
        if reading is None:
            return None
        i = self._position[passage.id]
        if not self._writes(i, reading.phrases):
            return None
        score = self._bm25.get_scores(sorted(set().union(*(c.stems for c in reading.concepts))))[i]
        # Only the questions the passage answers that name nothing the asker did not name lend
        # their words here: found by meaning, a passage has not shown its own words fit.
        found = self._found_in(i, reading.concepts, *self._lent(i, reading.names), reading.names, reading.asked)
        if not found:
            return None
        typed = self._holds(i, reading, *self._lent(i, reading.names))
        typed = typed and self._attributed(i, reading) and self._quantity_of_names(i, reading)
        return Match(passage, float(score), found[0] / reading.total, found[1], typed)

    def holds_the_thing(self, query: str, passage: Passage, *, answer_type: QuestionType | None = None) -> bool:
        """Whether ``passage`` holds (or holds a synonym of) one of the question's topic words
        that is not a name: "does Microsoft still own a *stake* in OpenAI?" is about a stake, and
        a passage about Microsoft and OpenAI that says nothing of one does not answer it, however
        alike it sounds. True when the question has no such word."""
        reading = self._read_question(query, answer_type)
        if reading is None:
            return False
        i = self._position[passage.id]
        terms, related = self._lent(i, reading.names)
        has_role = "role" in self._kinds[i]
        own = [c for c in reading.concepts if not c.filler and not c.stems & reading.names]
        return not own or any(_found(c, terms, related, has_role) for c in own)

    def uses_any(self, question: str, answer_type: QuestionType | None = None) -> bool:
        """Whether some passage uses one of the question's topic words as such (not a synonym)."""
        return any(self.uses_word(stems) for stems in self.topic_words(question, answer_type))

    def explains(self, passage: Passage) -> bool:
        """Whether ``passage`` explains something after a colon ("a paradox: Amazon, in fact, ...")."""
        return bool(self._explained[self._position[passage.id]][0])

    def names_a_kind(self, stems: frozenset[str]) -> bool:
        """Whether a question word (as its stems) only names a kind of answer ("tempo", "value")."""
        return bool(stems & self._type_words)

    def holds_kind(self, passage: Passage, wanted: QuestionType) -> bool:
        """Whether ``passage`` holds the kind of answer asked for (in the unit asked for)."""
        i = self._position[passage.id]
        return holds(self._kinds[i], wanted.name, self._units[i], wanted.units, wanted.exact)

    def states(self, passage: Passage, kinds: frozenset[str]) -> bool:
        """Whether ``passage`` holds evidence of each kind (``claims_in``: a record, an absolute)."""
        return kinds <= self._kinds[self._position[passage.id]]

    def lists_those_able(self, passage: Passage) -> bool:
        """Whether ``passage`` lists organisations able to do something ("... can provide")."""
        return {"ability", "organisations"} <= self._kinds[self._position[passage.id]]

    def defines(self, passage: Passage, question: str) -> bool:
        """Whether ``passage`` defines a word the question asks about ("what does AWS stand for?":
        "Amazon Web Services (AWS)"; "what is Anthropic?": "Anthropic, a direct competitor...")."""
        asked = [stems for stems in self.topic_words(question) if not self.names_a_kind(stems)]
        defined = self._defined[self._position[passage.id]]
        return any(stems & defined for stems in asked)

    @cached_property
    def _defined(self) -> list[frozenset[str]]:
        """The words each passage's definitions hold (acronym and long form, the defined name)."""
        found = []
        for passage in self.passages:
            spans = [
                text[start:end]
                for language, text in passage.texts.items()
                for start, end in evidence_spans(text, language, "definition")
            ]
            found.append(frozenset().union(*(stems for span in spans for stems in self.topic_words(span))))
        return found

    def holds_any(self, passage: Passage, concepts: list[frozenset[str]]) -> bool:
        """Whether ``passage`` holds one of the words (as stems), as itself or a synonym."""
        i = self._position[passage.id]
        held = self._terms[i] | self._related[i]
        return any(c & held for c in concepts)

    def names_subject_as_able(self, question: str, passage: Passage) -> bool:
        """Whether the first name the question names is one ``passage`` names only in a list of
        organisations able to do something ("giants such as AWS, Microsoft and Google can
        provide"): the passage says what that company can do, not what it did."""
        i = self._position[passage.id]
        if "ability" not in self._kinds[i]:
            return False
        named = self.names_in(question)
        text = self._short_forms(question)
        first = next((w for m in NAME_WORD.finditer(text) if (w := m.group(0).lower()) in named), None)
        return first is not None and any(first in item for listed in self._listed[i] for item in listed)

    def missing_head(self, text: str, answer_type: QuestionType | None = None) -> str | None:
        """The word a question centres on ("What is Google's cloud *revenue*?", "Quanti
        *dipendenti*...?") when no passage holds it nor a synonym of it: then none answers,
        however many of its other words they share. None when every head word is found, or
        the head is too common a word to say what is asked (wordfreq)."""
        wanted = answer_type or question_type(text)
        text = self._short_forms(text)
        lowered = text.lower()
        names = self.names_in(text)
        # Only the words naming the kind asked for are not the head: in "how many *people*" the
        # people are what is counted, though "people" names a kind elsewhere ("which people").
        skip = self._stopwords | self._filler | wanted.absorbed | wanted.offered
        for data in all_languages():
            for cue in data.head_cues:
                found = cue.search(lowered)
                if found is None:
                    continue
                phrase = []
                # The noun phrase ends at a punctuation mark: "quante GPU, tipo qualche migliaio?"
                # counts GPUs, and what follows the comma offers a figure.
                for word in words(_PHRASE_END.split(lowered[found.end() :], maxsplit=1)[0]):
                    if word in data.head_stops:
                        break
                    if word in self._stopwords or word in self._filler or word in names or word.isdigit():
                        continue  # "the *main* challenger", "the *Amazon* exec": not the head
                    if len(word) > 2:
                        phrase.append(word)
                if not phrase:
                    continue
                if wanted.name == "count":
                    # What is counted is the topic, however common a word, and "how many people
                    # work..." has no stop word before its verb: every word of it is checked.
                    heads = [w for w in phrase if w not in skip]
                else:
                    head = phrase[-1] if data.head_last else phrase[0]
                    # A head naming the kind of answer ("the total *value*") is the type gate's to check.
                    heads = [head] if head not in skip and commonness(head) >= MIN_HEAD_RARITY else []
                for head in heads:
                    if not self.anywhere(head):
                        return head
        return None

    def is_stop_word(self, word: str) -> bool:
        return word in self._stopwords

    def is_filler(self, word: str) -> bool:
        """Whether a word is a generic word of asking ("quoted", "comes"), weighing little."""
        return word in self._filler

    def has_possessive(self, text: str) -> bool:
        """Whether the text holds a possessive ("its boss", "il suo capo"), which points to a name
        said elsewhere."""
        return any(w in self._possessives for w in words(text.lower()))

    def uses_word(self, stems: frozenset[str]) -> bool:
        """Whether some passage uses the word (as one of its stems) as such, not as a synonym."""
        return any(s in self._holding for s in stems)

    def is_known_word(self, word: str) -> bool:
        """Whether some article holds the word or a synonym of it, or a wordnet knows it: a word
        that is none of these, used alike in both languages, is a name ("nvidia", "Altman")."""
        return self.anywhere(word) or self._synonyms.knows(word)

    def anywhere(self, word: str) -> bool:
        """Whether some passage holds the word, or a synonym of it, in either language."""
        stems = frozenset(s.stemWord(word) for s in self._stemmers.values()) | {word}
        if any(s in self._holding for s in stems | self._expand(word)):
            return True
        return any(stems & related for related in self._related)

    def names_in(self, text: str) -> frozenset[str]:
        """The proper names a question names, lower-cased, long forms as their acronyms."""
        return self._question_names(self._short_forms(text))

    def _question_names(self, text: str) -> frozenset[str]:
        """The names in a question: those ``_names`` finds; its opening word when the articles
        write that word as a name ("Google ha firmato...?"); and, in any case, a word no article
        holds, that no wordnet knows and that is used alike in Italian and English, as names
        are ("nvidia", "Altman"): a name the articles never mention, which no passage answers."""
        found = {n for n in _names(text) if n not in self._stopwords}
        for k, match in enumerate(NAME_WORD.finditer(text)):
            word = match.group(0).lower()
            if word in found or word in self._stopwords or word in self._filler:
                continue
            opening_name = k == 0 and match.group(0)[0].isupper() and word in self.name_forms
            if opening_name or (used_alike(word) and not self.is_known_word(word)):
                found.add(word)
        return frozenset(found)

    @cached_property
    def own_words(self) -> frozenset[str]:
        """The words the articles' own texts hold (not their editors' questions)."""
        return frozenset().union(*(terms for terms, _ in self._own))

    @cached_property
    def headline_words(self) -> frozenset[str]:
        """The words the articles' headlines and leads (first paragraphs, which sum a news
        article up) hold."""
        leads = {next((p.id for p in a.passages if p.role == "body"), None) for a in self._articles}
        headlines = [
            terms for (terms, _), p in zip(self._own, self.passages, strict=True) if p.role != "body" or p.id in leads
        ]
        headlines += [stems for text in self._headlines for stems in self.topic_words(text)]
        return frozenset().union(*headlines)

    def _read_question(self, query: str, answer_type: QuestionType | None) -> _Reading | None:
        wanted = answer_type or question_type(query)
        query = self._short_forms(query)
        concepts = self._concepts(query, wanted)
        if not any(not c.filler for c in concepts):
            return None
        # Names that are also stop words ("AI" / Italian "ai") cannot be checked: they are not indexed.
        names = self._question_names(query)
        total = sum(c.weight for c in concepts)
        owned, valued = self._attributions(query, concepts, names)
        future = any(p.search(query) for d in all_languages() for p in d.future_cues)
        asked = self._thing_asked(query, concepts)
        worth = any(w in self._value_words for w in words(query))
        return _Reading(
            wanted, concepts, total, names, asked, owned, valued, future, self._name_phrases(query), worth
        )

    def _name_phrases(self, text: str) -> tuple[tuple[str, ...], ...]:
        """The names a question writes in several capitalised words, one of them a common word
        the articles write in lower case ("Google Cloud", "Microsoft Teams"): they name something
        else than the known name alone (Google's cloud division, not Google), so only a passage
        that writes the whole of it speaks of it. Two names side by side ("OpenAI AWS") are not one."""
        phrases, run = [], []
        for match in NAME_WORD.finditer(text):
            word = match.group(0)
            lowered = word.lower()
            gap = text[run[-1][1] : match.start()] if run else ""
            opens = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in "?.!:"
            named = word[0].isupper() and lowered not in self._stopwords and lowered not in self._filler
            if run and (gap.strip() or not named):
                phrases.append(run)
                run = []
            if named and not (opens and lowered not in self.name_forms):
                run.append((lowered, match.end()))
        phrases.append(run)
        return tuple(
            tuple(w for w, _ in run)
            for run in phrases
            if len(run) > 1
            and any(w in self.name_forms for w, _ in run)
            and any(w not in self.name_forms for w, _ in run)
        )

    def _writes(self, i: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
        """Whether passage ``i`` writes each of the names in several words, word for word."""
        if not phrases:
            return True
        texts = [words(self._short_forms(t)) for t in self.passages[i].texts.values()]
        return all(any(_occurrences(phrase, tokens) for tokens in texts) for phrase in phrases)

    def _attributions(
        self, text: str, concepts: list[_Concept], names: frozenset[str]
    ) -> tuple[list[tuple[str, _Concept]], list[_Concept]]:
        """What the question attributes to a name ("Microsoft's GPUs", "il CEO di Google") and
        the things whose named value it asks for ("which model of GPU"), as its concepts."""
        tokens = words(text)
        by_word = {w: c for c in concepts if not c.filler for w in c.stems}
        links = frozenset().union(*(d.owner_links for d in all_languages()))
        having = frozenset().union(*(d.having_verbs for d in all_languages()))
        marks = frozenset().union(*(d.owner_marks for d in all_languages()))
        attributes = frozenset().union(*(d.attribute_words for d in all_languages()))
        kind_words = self._kind_words | links

        def thing(k: int, owner: str = "") -> _Concept | None:
            # A thing may itself look like a name ("GPUs"), but is not its own owner.
            return by_word.get(tokens[k]) if 0 <= k < len(tokens) and tokens[k] != owner else None

        owned, valued = [], []
        for k, word in enumerate(tokens):
            if word in self._possessives:
                # "e da parte di OpenAI? il loro capo cosa ne pensa?", "il suo amministratore
                # delegato": the role is the first named company's.
                role = next((c for c in (thing(k + 1), thing(k + 2)) if c is not None and c.role), None)
                first = next((w for w in tokens[:k] if w in names), None)
                if role is not None and first is not None:
                    owned.append((first, role))
            if word in names:
                if k + 1 < len(tokens) and tokens[k + 1] in marks and (found := thing(k + 2, word)):
                    owned.append((word, found))
                # "the OpenAI boss": a role right after a name is that company's.
                if (found := thing(k + 1, word)) and found.role:
                    owned.append((word, found))
                # "ha bisogno di AWS": a bare noun after a verb of having is what someone needs, not AWS's.
                verb = k >= 3 and tokens[k - 3] in having
                if k >= 2 and tokens[k - 1] in links and not verb and (found := thing(k - 2, word)):
                    owned.append((word, found))
            elif word in attributes and k <= 3:
                after = k + 1
                while after < len(tokens) and tokens[after] in kind_words:
                    after += 1
                # "which GPU model": the thing before it, when a "which" asks for it (not "does the
                # deal make Amazon stronger").
                before = thing(k - 1) if k >= 2 and tokens[k - 2] in self._which else None
                found = thing(after) if after > k + 1 else before
                if found:
                    valued.append(found)
        return owned, valued

    def _attributed(self, i: int, reading: _Reading) -> bool:
        """Whether passage ``i`` gives what the question attributes: each owned thing next to its
        owner's name, and a named value next to each thing whose value is asked for."""
        fields = [f for f in self._fields[i] if f.is_translation]
        lenders = fields + [f for f in self._fields[i] if f.is_question and f.names <= reading.names]
        for name, concept in reading.owned:
            # A role asked for ("OpenAI's boss") stands wherever the passage names a role ("AWS's
            # CEO"); a company's division's role is the company's ("Amazon's manager": AWS's CEO).
            owner = frozenset({name, self._divisions.get(name, name)}) if concept.role else frozenset({name})
            things = [_positions(_all(concept), f, roles=concept.role) for f in lenders]
            # Only a thing the passage holds can be someone else's there; one it lacks is left to coverage.
            pairs = zip(lenders, things, strict=True)
            near = (_near(_positions(owner, f), t, _OWNER_NEAR) or _its(f, owner, t) for f, t in pairs)
            if any(things) and not any(near):
                return False
        for concept in reading.valued:
            if not any(_valued(f, _positions(_all(concept), f), reading.names) for f in fields):
                return False
        return True

    def _match(self, i: int, reading: _Reading, score: float) -> Match | None:
        concepts, names, asked = reading.concepts, reading.names, reading.asked
        if not self._writes(i, reading.phrases):
            return None  # "Google Cloud" is not the Google a list of cloud giants names
        # Read with every question the passage answers; when that does not put the words
        # together, read with only the questions that name nothing the asker did not name.
        found = self._found_in(i, concepts, self._terms[i], self._related[i], names, asked)
        if found and not found[1]:
            found = self._found_in(i, concepts, *self._lent(i, names), names, asked) or found
        if not found:
            return None
        weight, together = found
        typed = self._holds(i, reading, self._terms[i], self._related[i])
        typed = typed and self._attributed(i, reading) and self._quantity_of_names(i, reading)
        return Match(self.passages[i], score, weight / reading.total, together, typed)

    def _holds(self, i: int, reading: _Reading, terms: frozenset[str], related: frozenset[str]) -> bool:
        """Whether passage ``i`` holds the kind of answer asked for: for "why", also an
        explanation after a colon of every topic word of the question the passage holds that is
        not a name, when they all stand before it ("Why is it a paradox?", "Perché si parla di
        paradosso per Amazon?"; not "Why does Amazon fund Anthropic?")."""
        wanted = reading.wanted
        if reading.future and not all(self._says(c, i, terms, related) for c in reading.concepts):
            # What will happen is answered only by a passage that says all of it: "Will OpenAI
            # renew the contract?" is not answered by the passage about the contract.
            return False
        if wanted.name == "organisations":
            # "Which companies could provide...?": two or more organisations named together,
            # besides those the question names ("AWS and OpenAI" does not answer "which
            # companies could serve OpenAI").
            if self._lists_organisations(i, reading):
                return True
            # A passage that holds every topic word of the question as such (not a synonym) and
            # names one organisation besides those asked about answers too ("Which companies does
            # Amazon fund?": Anthropic); a passage with a list ranks first (see ``search``).
            said = all(c.stems & terms for c in reading.concepts if not c.filler)
            return said and bool(self._named[i] - reading.names)
        if holds(self._kinds[i], wanted.name, self._units[i], wanted.units, wanted.exact):
            return not self._values_a_name_alone(reading) or self._states_value_of_names(i, reading.names)
        explained = self._explained[i]
        if wanted.name != "reason" or not explained:
            return False
        # The names may stand anywhere ("Perché si parla di paradosso per Amazon?": Amazon is in
        # the explanation); what is asked about must stand before the colon.
        topic = [c for c in reading.concepts if not c.filler and _found(c, terms, related)]
        own = [c for c in topic if not c.stems & reading.names]
        # "Why is it a paradox that Amazon funds Anthropic?": what is asked about comes first, and
        # the rest, which says what it is about, may stand after the colon.
        return bool(own) and _found(own[0], *explained)

    def asks_what_a_name_is_worth(self, question: str) -> bool:
        """Whether the question, read as asking an amount, asks what a name itself is worth
        ("confermi che OpenAI vale...?"): see ``_values_a_name_alone``."""
        reading = self._read_question(question, QuestionType("amount", frozenset()))
        return reading is not None and self._values_a_name_alone(reading)

    def _values_a_name_alone(self, reading: _Reading) -> bool:
        """Whether an amount question asks what a name itself is worth: every topic word of it is
        a name ("What is OpenAI valued at?", "Quanto vale Anthropic?", "quanto valgono OpenAI e
        Amazon?", "how much is OpenAI worth?"). Two names and no word of worth ("OpenAI and Amazon,
        how much money?") ask what passes between them."""
        if reading.wanted.name != "amount" or not reading.names or (len(reading.names) > 1 and not reading.worth):
            return False
        # "how much is OpenAI worth?": one name and a word of worth; "this OpenAI x Amazon thing
        # worth" names a pair, what passes between them.
        valued = reading.names | (self._value_words if len(reading.names) == 1 else frozenset())
        # The figure a question states to check is no topic: "OpenAI vale 380 miliardi?" asks what
        # OpenAI is worth.
        return all(c.stems & valued for c in reading.concepts if not c.filler and not c.stems & self._figure_words)

    @cached_property
    def _figure_words(self) -> frozenset[str]:
        """The words of a stated figure, besides its digits: scales and units ("miliardi", "bn",
        "dollars"), in every language."""
        lists = [word_lists(data.language) for data in all_languages()]
        return frozenset().union(*(set(w.scales) | set(w.units) for w in lists))

    def _states_value_of_names(self, i: int, names: frozenset[str]) -> bool:
        """Whether passage ``i`` says what one of ``names`` is worth: a word of value stands within
        ``_VALUE_NEAR`` words after the name ("Anthropic, valued at...", "OpenAI vale...") or just
        before it ("the valuation of OpenAI"), not the value of something the name did."""
        for text in self.passages[i].texts.values():
            tokens = words(self._short_forms(text))
            named = [k for k, w in enumerate(tokens) if w in names]
            valued = [k for k, w in enumerate(tokens) if w in self._value_words]
            if any(0 < v - n <= _VALUE_NEAR or 0 < n - v <= 2 for n in named for v in valued):
                return True
        return False

    def _says(self, concept: _Concept, i: int, terms: frozenset[str], related: frozenset[str]) -> bool:
        """Whether passage ``i`` says a word of a question about what will happen: the word
        itself, or a synonym that is not a generic word ("leave" is not said by "parte"). A
        generic verb is the event there ("Will AWS *raise* prices?"): it must be found as such;
        words about the article or the asking need not be."""
        if concept.stems & terms or (concept.role and "role" in self._kinds[i]):
            return True
        if concept.filler:
            return bool(concept.stems & self._asking)
        return bool((concept.related - self._generic) & terms or concept.stems & related)

    def _lists_organisations(self, i: int, reading: _Reading) -> bool:
        """Whether passage ``i`` names two or more organisations together besides those asked about."""
        return any(sum(1 for item in listed if not item & reading.names) >= 2 for listed in self._listed[i])

    def _listed_names(self, passage: Passage) -> list[list[frozenset[str]]]:
        """The lists of organisations the passage names together, in each language: each list
        as its items, each item as its lower-cased words (acronyms as the index reads them)."""
        lists = []
        for language, text in passage.texts.items():
            for start, end in evidence_spans(text, language, "organisations"):
                items = re.split(r",\s*|\s+(?:and|or|e|o)\s+", self._short_forms(text[start:end]))
                lists.append([frozenset(words(item)) for item in items if item.strip()])
        return lists

    def _explained_words(self, passage: Passage) -> tuple[frozenset[str], frozenset[str]]:
        """The stems (and their synonyms' stems) of the words before a colon that an
        explanation follows, in any of the passage's languages."""
        stems, related = set(), set()
        for language, text in passage.texts.items():
            spans = explanation_spans(text, language)
            if not spans:
                continue
            for word in words(text[: spans[0][0]]):
                known = self._read_word(word, language)
                stems.update(known[0])
                related.update(known[1])
        return frozenset(stems), frozenset(related)

    def _quantity_of_names(self, i: int, reading: _Reading) -> bool:
        """For "how much / how many" about a name: whether, in one of passage ``i``'s texts, a
        quantity stands within ``_QUANTITY_NEAR`` words of every name asked about that it names."""
        if reading.wanted.name not in _QUANTITY_TYPES or not reading.names:
            return True
        for language, text in self.passages[i].texts.items():
            short = self._short_forms(text)  # the quantities' spans in the text the tokens come from
            tokens = [(m.start(), m.end(), m.group(0).lower()) for m in _TOKEN.finditer(short)]
            spans = evidence_spans(short, language, reading.wanted.name)
            quantities = [n for n, (start, end, _) in enumerate(tokens) if any(a < end and start < b for a, b in spans)]
            named = [[n for n, (*_, word) in enumerate(tokens) if word == name] for name in reading.names]
            named = [positions for positions in named if positions]  # a name it lacks is left to coverage
            if all(any(abs(p - q) <= _QUANTITY_NEAR for p in positions for q in quantities) for positions in named):
                return True
        return False

    def _found_in(
        self,
        i: int,
        concepts: list[_Concept],
        terms: frozenset[str],
        related: frozenset[str],
        names: frozenset[str],
        asked: list[_Concept],
    ) -> tuple[float, bool] | None:
        """The weight of the question's words passage ``i`` holds (in ``terms``/``related``) and
        whether they stand together; None when it holds none, lacks a name the question names or
        lacks the thing asked for ("which *maker*")."""
        has_role = "role" in self._kinds[i]
        # A role the passage names stands for the role asked only when it holds some other word of
        # the question too, or the question has none but names and the headlines' words ("chi l'ha
        # firmato? i nomi dei manager", "is OpenAI the market leader?": a passage naming a CEO, but
        # no signing and no market, does not answer; "il capo di AWS che ha parlato dell'accordo" does)
        others = [
            c
            for c in concepts
            if not c.filler and not c.role and not c.stems & names and not c.stems & self.headline_words
        ]
        if others and not any(_found(c, terms, related) for c in others):
            has_role = False
        found = sum(c.weight * _found(c, terms, related, has_role) for c in concepts)
        if not found or not names <= terms:
            return None  # a passage that does not name who or what the question names cannot answer it
        if not all(_found(c, terms, related, has_role) for c in asked):
            return None
        # A role word the passage does not spell out ("heads" for "CEO") stands wherever the role does.
        topic = [
            c.stems | c.related
            for c in concepts
            if not c.filler and _found(c, terms, related) and not (c.role and has_role and not c.stems & terms)
        ]
        return found, _stand_together(topic, self._fields[i], names)

    def _thing_asked(self, text: str, concepts: list[_Concept]) -> list[_Concept]:
        """The agent nouns right after an opening "which / quale" (past "kind of"), as ``concepts``:
        "Which GPU maker..." asks for a maker, "Quale produttore di chip..." for a produttore.
        Words that only name the kind of answer or a name are passed over; a stop word or a
        generic word ends the search."""
        tokens = words(text)
        start = next((k for k, w in enumerate(tokens[:3]) if w in self._which), None)
        if start is None:
            return []
        data, looked, asked = self._which[tokens[start]], 0, []
        by_word = {w: c for c in concepts for w in c.stems}
        for word in tokens[start + 1 :]:
            if word in self._kind_words and not looked:
                continue
            concept = by_word.get(word)
            if word in self._stopwords or (concept is not None and concept.filler) or looked == data.which_span:
                break
            if concept is None or _CODE_LIKE.fullmatch(word):
                continue
            looked += 1
            if any(word.endswith(e) and len(word) > len(e) + 2 for e in data.agent_endings):
                asked.append(concept)
        return asked

    def _lent(self, i: int, names: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """Passage ``i``'s words and synonyms, with those of the questions it answers that name
        nothing the asker did not name ("Cosa cambia per Microsoft?" lends "cambia" to a question
        about Microsoft, not to one about Amazon)."""
        terms, related = self._own[i]
        lent = [(t, r) for question_names, t, r in self._asked[i] if question_names <= names]
        if lent:
            terms = terms.union(*(t for t, _ in lent))
            related = related.union(*(r for _, r in lent))
        return terms, related

    def _candidates(self, concepts: list[_Concept]) -> list[int]:
        """The passages where ``_found`` can be above zero for some concept, in index order."""
        found: set[int] = set()
        for concept in concepts:
            for stem in concept.stems | concept.related:
                found.update(self._holding.get(stem, ()))
            for stem in concept.stems:
                if stem not in self._holding_related:
                    self._holding_related[stem] = [i for i, related in enumerate(self._related) if stem in related]
                found.update(self._holding_related[stem])
            if concept.role:
                found.update(self._with_role)
        return sorted(found)

    def candidates(self, query: str, *, limit: int) -> list[Passage]:
        """The ``limit`` passages BM25 ranks best for the query's words and their synonyms, with
        none of ``search``'s checks of whether one answers: what a model is shown to decide."""
        concepts = [c for c in self._concepts(query, question_type(query)) if not c.filler]
        stems = sorted(set().union(*(c.stems | c.related for c in concepts)))
        if not stems:
            return []
        scores = self._bm25.get_scores(stems)
        return [self.passages[i] for i in (-scores).argsort(kind="stable")[:limit] if scores[i] > 0]

    def contains(self, passage: Passage, concepts: list[frozenset[str]]) -> bool:
        """Whether ``passage`` holds every one of ``concepts`` (as such: synonyms do not count)."""
        terms = self._terms[self._position[passage.id]]
        return all(c & terms for c in concepts)

    def says(self, passage: Passage, concepts: list[frozenset[str]]) -> bool:
        """Whether the passage's own text (not its editor's questions) holds each word (as stems)."""
        terms = self._own[self._position[passage.id]][0]
        return all(c & terms for c in concepts)

    def topic_words(self, text: str, answer_type: QuestionType | None = None) -> list[frozenset[str]]:
        """The question's topic words (not its generic words), each as the set of its stems."""
        wanted = answer_type or question_type(text)
        return [c.stems for c in self._concepts(self._short_forms(text), wanted) if not c.filler]

    @cached_property
    def _divisions(self) -> dict[str, str]:
        """The names opening the long form of exactly one acronym, named on their own too:
        {"amazon": "aws"} for "Amazon Web Services (AWS)" and "Amazon funds Anthropic". Found on
        the first question that needs them, not with the index."""
        openers: dict[str, list[str]] = {}
        for acronym, form in self._acronyms.items():
            openers.setdefault(form[0], []).append(acronym)
        return {
            name: found[0]
            for name, found in openers.items()
            if len(found) == 1 and self._named_alone(name, self._acronyms[found[0]])
        }

    def _named_alone(self, name: str, form: tuple[str, ...]) -> bool:
        """Whether some passage names ``name`` on its own, not as the start of ``form`` (a company
        apart from its division: "Amazon funds Anthropic"), as a name."""
        pattern = re.compile(rf"\b{re.escape(name)}\b(?!\s+{re.escape(form[1])}\b)", re.IGNORECASE)
        return name in self.name_forms and any(pattern.search(t) for p in self.passages for t in p.texts.values())

    def as_divisions(self, text: str) -> str:
        """``text`` with each name that opens the long form of one acronym the articles define
        written as that acronym: "Amazon" as "AWS" when they define "Amazon Web Services (AWS)".
        What someone at a company's division said, the company's people said; not what the
        company owns, invests or earns, so the engine reads a question this way only when it
        asks who spoke or what was said (``OfflineEngine``)."""
        for parent, acronym in self._divisions.items():
            alone = rf"\b{re.escape(parent)}\b(?!\s+{re.escape(self._acronyms[acronym][1])}\b)"
            text = re.sub(alone, acronym.upper(), text, flags=re.IGNORECASE)
        return text

    def _short_forms(self, text: str) -> str:
        """The question with each long form an article defines written as its acronym
        ("Amazon Web Services" -> "AWS"), so that it is one name, found wherever either is."""
        for pattern, acronym in self._long_forms:
            text = pattern.sub(acronym.upper(), text)
        return text

    def _concepts(self, text: str, wanted: QuestionType) -> list[_Concept]:
        skip = wanted.absorbed | wanted.offered
        concepts = self._words(text, wanted.roles, skip=skip, weak=self._filler | self._type_words)
        if not any(not c.filler for c in concepts) and wanted.offered:
            # "How long is it, 5 or 10 years?": nothing but the figures offered; they stand as topics.
            concepts = self._words(text, wanted.roles, skip=wanted.absorbed, weak=self._filler | self._type_words)
        if not any(not c.filler for c in concepts):
            # "Which companies are quoted?": the word naming the type is the only topic left.
            concepts = self._words(text, wanted.roles, weak=self._filler)
        return concepts

    def _words(
        self, text: str, roles: frozenset[str], *, weak: frozenset[str], skip: frozenset[str] = frozenset()
    ) -> list[_Concept]:
        seen, concepts = set(), []
        for word in words(text):
            if word in self._stopwords or word in skip or (len(word) < 2 and not word.isdigit()):
                continue
            stems = frozenset(s.stemWord(word) for s in self._stemmers.values()) | {word}
            if stems in seen:
                continue
            seen.add(stems)
            filler = word in weak
            weight = FILLER_WEIGHT if filler else self._weight(stems) * commonness(word)
            related = frozenset() if filler or word.isdigit() else self._expand(word)
            if not filler and not word.isdigit() and not self.anywhere(word):  # found nowhere: its broader senses
                related |= self._broader(word)
            # A role word ("capo", "CEO") is found wherever a passage names a role, whatever is asked.
            role = word in roles or any(self._is_role_word(word, lang) for lang in self._stemmers)
            concepts.append(_Concept(stems, weight, filler, related, role))
        return concepts

    def _expand(self, word: str) -> frozenset[str]:
        """A question word's synonyms, less the very common words among them ("place", "give":
        Zipf above 5.5), which stand for too many senses to say what is asked: "investito"
        (invested) is not the noun "place" of "its place in the race"."""
        found = frozenset().union(*(self._synonyms.expand(word, lang) for lang in self._stemmers))
        return frozenset(s for s in found if commonness(s) >= MIN_SYNONYM_COMMONNESS)

    def _broader(self, word: str) -> frozenset[str]:
        found = frozenset().union(*(self._synonyms.broader(word, lang) for lang in self._stemmers))
        return frozenset(s for s in found if commonness(s) >= MIN_SYNONYM_COMMONNESS)

    def _passage_fields(self, passage: Passage, knowledge: KnowledgeBase) -> list[_Field]:
        texts = list(passage.texts.items())
        article = knowledge.article(passage.article_id)
        for point in article.key_points if article else ():
            if passage.id in point.cite:
                texts.extend(point.texts.items())
        fields = [self._field(text, lang) for lang, text in texts]
        fields[: len(passage.texts)] = [replace(f, is_translation=True) for f in fields[: len(passage.texts)]]
        fields += [
            self._field(q, lang, is_question=True, names=frozenset(_names(q)))
            for lang, questions in passage.questions.items()
            for q in questions
        ]
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
        return _Field(
            tuple(s | stems if s & anchors else s for s in field.stems),
            field.related,
            field.is_bag,
            field.is_question,
            field.names,
            field.is_translation,
            field.named_at,
            field.possessive_at,
        )

    def _field(
        self,
        text: str,
        language: str,
        *,
        is_bag: bool = False,
        is_question: bool = False,
        names: frozenset[str] = frozenset(),
    ) -> _Field:
        tokens = words(text)
        stems, related = [], []
        for w in tokens:
            known = self._word_cache.get((language, w))  # articles repeat their words: read each once
            if known is None:
                known = self._word_cache[(language, w)] = self._read_word(w, language)
            stems.append(known[0])
            related.append(known[1])
        for acronym, form in self._acronyms.items():
            for start in _occurrences(form, tokens):
                for i in range(start, start + len(form)):
                    stems[i] = stems[i] | {acronym}
        cased = _TOKEN.findall(text)
        named_at = frozenset(
            k for k, w in enumerate(cased) if _CODE_LIKE.fullmatch(w) or (k > 0 and w[:1].isupper())
        ) if len(cased) == len(tokens) else frozenset()
        possessive_at = frozenset(k for k, w in enumerate(tokens) if w in self._possessives)
        role_at = frozenset(k for k, w in enumerate(tokens) if self._is_role_word(w, language))
        return _Field(tuple(stems), tuple(related), is_bag, is_question, names, named_at=named_at,
                      possessive_at=possessive_at, role_at=role_at)  # fmt: skip

    def _is_role_word(self, word: str, language: str) -> bool:
        key = (language, word)
        if key not in self._role_words:
            self._role_words[key] = bool(evidence_spans(word, language, "role"))
        return self._role_words[key]

    def _read_word(self, w: str, language: str) -> tuple[frozenset[str], frozenset[str]]:
        content = w not in self._stopwords and not w.isdigit()
        exact = frozenset() if w in self._stopwords else frozenset({self._stemmers[language].stemWord(w), w})
        return exact, self._synonyms.expand(w, language) if content else frozenset()

    def _weight(self, stems: frozenset[str]) -> float:
        # The rarest of the forms the articles hold; a word they never use weighs the most.
        return max((self._idf[s] for s in stems if s in self._idf), default=self._unseen_idf)

    def _inverse_document_frequency(self) -> dict[str, float]:
        count = len(self._terms)
        frequency: dict[str, int] = {}
        for terms in self._terms:
            for term in terms:
                frequency[term] = frequency.get(term, 0) + 1
        self._unseen_idf = math.log(1 + count / 0.5)
        return {t: math.log(1 + count / f) for t, f in frequency.items()}


def _all(concept: _Concept) -> frozenset[str]:
    return concept.stems | concept.related


def _near(first: tuple[int, ...], second: tuple[int, ...], distance: int) -> bool:
    return any(abs(a - b) <= distance for a in first for b in second)


def _its(field: _Field, owner: frozenset[str], things: tuple[int, ...]) -> bool:
    """Whether a thing stands right after a possessive that refers to ``owner``: the name that
    opens the sentence, its subject ("*OpenAI*'s choice of AWS marks the end of *its*
    exclusivity"); not a name further on ("AWS's exclusivity" is not said there)."""
    named = _positions(owner, field)
    if not named or not field.possessive_at or min(named) > _SUBJECT_WITHIN:
        return False
    first = min(named)
    if any(k < first for k in field.named_at):
        return False
    return any(p - 1 in field.possessive_at and p - 1 > first for p in things)


def _valued(field: _Field, things: tuple[int, ...], asked_names: frozenset[str]) -> bool:
    """Whether a proper name or code the question did not name stands next to the thing."""
    values = [
        k for k in field.named_at if k not in things and not (field.stems[k] & asked_names)
    ]
    return _near(things, tuple(values), _VALUE_NEAR)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _union(groups) -> frozenset[str]:
    return frozenset().union(*(s for group in groups for s in group))


def _postings(sets: list[frozenset[str]]) -> dict[str, list[int]]:
    holding: dict[str, list[int]] = {}
    for position, stems in enumerate(sets):
        for stem in stems:
            holding.setdefault(stem, []).append(position)
    return holding


def _acronyms(texts) -> dict[str, tuple[str, ...]]:
    """Acronyms the articles define, with their long forms: "Amazon Web Services (AWS)" gives
    ``{"aws": ("amazon", "web", "services")}``. Only the whole long form stands for the acronym:
    "Amazon" alone is not AWS (Amazon's own investments are not AWS's)."""
    forms: dict[str, tuple[str, ...]] = {}
    for text in texts:
        for match in _DEFINED_ACRONYM.finditer(text):
            long_form, acronym = match.group(1).split(), match.group(2)
            long_form = long_form[-len(acronym) :]
            if "".join(w[0] for w in long_form).lower() == acronym.lower():
                forms[acronym.lower()] = tuple(w.lower() for w in long_form)
    return forms


def _occurrences(form: tuple[str, ...], tokens: list[str]) -> list[int]:
    size = len(form)
    return [i for i in range(len(tokens) - size + 1) if tuple(tokens[i : i + size]) == form]


def _found(concept: _Concept, terms: frozenset[str], related: frozenset[str], has_role: bool = False) -> float:
    """1 when the passage holds the word (or, for a role word, names a role), ``SYNONYM_SHARE``
    when it holds only a synonym."""
    if concept.stems & terms or (concept.role and has_role):
        return 1.0
    if concept.role:
        return 0.0  # a role word's other senses ("capo": cape, end) are no role
    return SYNONYM_SHARE if concept.stems & related or concept.related & terms else 0.0


def question_names(text: str) -> list[str]:
    """The proper names a text names, lower-cased (see ``_names``)."""
    return _names(text)


def _names(text: str) -> list[str]:
    """The proper names in a question (lower-cased): capitalised words after its first word,
    and acronyms or camel-case words anywhere ("Oracle", "AWS", "OpenAI")."""
    found = []
    for match in NAME_WORD.finditer(text):
        word = match.group(0)
        opens = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in "?.!:"
        if len(word) > 1 and (_CODE_LIKE.fullmatch(word) or (word[0].isupper() and not opens)):
            found.append(word.lower())
    return found


def _stand_together(found: list[frozenset[str]], fields: list[_Field], names: frozenset[str] = frozenset()) -> bool:
    """True when the found words stand close together in one field: some stretch of at most
    ``_NEAR`` words per extra word holds one of each. Words the passage's text lacks need not
    stand anywhere when the editor's keywords hold them, or one of the questions the passage
    answers that names nothing the asker did not name ("Who is the CEO of AWS?" lends "CEO"
    to "Who is the CEO of OpenAI?" only if it were about OpenAI too)."""
    ordered = [f for f in fields if not f.is_bag]
    if any(_close(found, f) for f in ordered):
        return True
    text = [f for f in ordered if not f.is_question]
    lenders = [f for f in fields if f.is_bag or (f.is_question and f.names <= names)]
    in_text = [c for c in found if any(_positions(c, f) for f in text)]
    lent = [c for c in found if c not in in_text and any(_positions(c, f) for f in lenders)]
    if len(in_text) + len(lent) < len(found):
        return False  # a word found only in a question about something else
    translations = [f for f in text if f.is_translation]
    return len(in_text) < 2 or any(_close(in_text, f) for f in text) or _close_aligned(in_text, translations)


def _close_aligned(found: list[frozenset[str]], translations: list[_Field]) -> bool:
    """Whether the words stand close together across the passage's translations of itself,
    each word placed where it stands in its own language, scaled to a common length
    ("concentrare" is found in "concentration", "calcolo" in "calcolo": one sentence)."""
    size = max((len(f.stems) for f in translations), default=0)
    positions = [
        tuple(sorted({round(p * size / len(f.stems)) for f in translations for p in _positions(c, f)})) for c in found
    ]
    return bool(positions) and () not in positions and _shortest_span(positions) <= _NEAR * (len(positions) - 1)


def _close(found: list[frozenset[str]], field: _Field) -> bool:
    if len(found) < 2:
        return bool(found) and bool(_positions(found[0], field))
    positions = [_positions(concept, field) for concept in found]
    if () in positions:
        return False  # this field lacks one of the words
    return _shortest_span(positions) <= _NEAR * (len(positions) - 1)


def _positions(concept: frozenset[str], field: _Field, *, roles: bool = False) -> tuple[int, ...]:
    """Where the field holds the concept; with ``roles``, any role word counts too."""
    return tuple(
        i
        for i, (stems, related) in enumerate(zip(field.stems, field.related, strict=True))
        if (stems | related) & concept or (roles and i in field.role_at)
    )


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
