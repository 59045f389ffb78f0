"""Reading a chat message as the question it asks, before any passage is searched.

People type names wrong ("anthorpic", "open ai"), open with chatter ("new hire here, sorry
if dumb q - ..."), close with remarks ("asking for our client note"), ask elliptical
follow-ups ("e quello di OpenAI?") and ask for a summary in many words. What counts as
chatter, a remark or a known name depends on what the articles say, so every judgement
here asks the ``PassageIndex``.
"""

from __future__ import annotations

import difflib
import re
from functools import cached_property

from bot.engines.offline.answer_types import (
    QuestionType,
    addresses_the_bot,
    as_statement,
    clarifies,
    gives_a_motive,
    holds_interrogative,
    is_source_word,
    opens_first_person,
    opens_with_interrogative,
    owned_by_the_asker,
    question_type,
    states_a_view,
    without_interrogatives,
    without_summary_request,
)
from bot.engines.offline.language_data import all_languages
from bot.engines.offline.retrieval import NAME_WORD, PassageIndex, question_names
from bot.language.text import words

# A word this close to one of the articles' names (difflib's ratio), unknown otherwise, is that
# name misspelt ("anthorpic", "microsft"); names shorter than MIN_SPELT_NAME are not guessed at.
NAME_SPELLING_SIMILARITY = 0.85
MIN_SPELT_NAME = 5

# An emoji or pictograph closes what it follows, as a full stop would, in chat ("ho visto la notizia
# 😮 quanto vale?"): the blocks of pictographs, dingbats and miscellaneous symbols, and the
# selector and joiner that end many of them ("🧘‍♀️").
_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d"
# Where a message's clauses end: a sentence's end, a colon or semicolon, a dash between spaces (not
# a comma: "is it for storage, compute, what?" is one question).
_CLAUSE_BREAK = re.compile(rf"(?<=[.!;:{_EMOJI}])\s+|\s+[-–—]\s+")
_LISTED_PAIR = re.compile(r"([^\W\d_]+)\s*(?:,|\band\b|\be\b)\s*(?:and\s+|e\s+)?(?=([^\W\d_]+))")
_TWO_WORDS = re.compile(r"\b([^\W\d_]+) ([^\W\d_]+)\b")
_SENTENCE_END = re.compile(rf"(?<=[.!?…{_EMOJI}])\s+")
_BRACKETED = re.compile(r"\(([^()]*)\)")
# A question quoted whole ("customer asks: "how big is it??" what do I tell them"), in straight,
# curly or angle quotes.
_QUOTED_QUESTION = re.compile(r"[\"“«]([^\"“”«»]{3,}?\?+)\s*[\"”»]")
# A few words quoted ("cos'è sto "paradosso"?", "the 'bottleneck' thing"): in any quotes, opening
# after a space and closing before one or a punctuation mark (an apostrophe inside a word is no quote).
_QUOTED_WORDS = re.compile(r"(?:(?<=\s)|^)[\"“«‘']([^\"“”«»‘’'?!.]{3,40}?)[\"”»’'](?=[\s?.,!:;)]|$)")


class MessageReader:
    def __init__(self, index: PassageIndex) -> None:
        self.index = index

    def read(self, text: str) -> str:
        """The question a message asks: names spelt as the articles spell them, without the
        chatter around it."""
        return self.without_chatter(self.without_hearsay(self.with_names_spelt_right(text)))

    def without_hearsay(self, text: str) -> str:
        """The message without who told the asker what it checks ("line cook heard it's a 10 year
        contract, true?", "...? il microfonista giura che è Jassy", ``hearsay_cues``): the claim
        is asked, not who made it. Only when that someone is of the asker's world
        (``_of_the_askers_world``: not "the CEO said...", "Garman says...", "the piece says...")."""

        def unsaid(found: re.Match[str]) -> str:
            return " " if self._of_the_askers_world(found["who"]) else found[0]

        for data in all_languages():
            for cue in data.hearsay_cues:
                text = cue.sub(unsaid, text)
        return text.strip()

    def _of_the_askers_world(self, who: str) -> bool:
        """Whether ``who`` is someone of the asker's world ("sous chef", "my junior", "client"):
        words that are not all stop words ("he says" may be the CEO), none of which is a word the
        articles' texts use as such, a word for the article itself, or a name but the asker's own
        ("my friend Luca"; not "Sam Altman ha detto qualcosa?", "...? nvidia will want to know")."""
        if holds_interrogative(who):
            return False  # "riassumimi cosa ha detto Microsoft": what is asked, not who told
        said = [w for w in words(who) if not self.index.is_stop_word(w)]
        if not said or any(is_source_word(w) for w in said) or addresses_the_bot(who):
            return False
        if any(not owned_by_the_asker(who, name) for name in self.index.names_in(who)):
            return False
        return not self.index.uses_any(who)

    def _introduces_the_asker(self, clause: str) -> bool:
        """Whether the asker introduces themselves in the clause ("sono Marta dello studio Ferri",
        "Kevin, audit side", "sono Paolo.", ``introduction_cues``): it opens with a name
        (capitalised, or one the index reads as a name) that no article uses; a name and a comma
        must be followed by more than names ("Nvidia, Intel:" lists what is asked about)."""
        names = self.index.names_in(clause)
        only_names = all(stems & names for stems in self.index.topic_words(clause))
        for data in all_languages():
            for cue in data.introduction_cues:
                found = cue.search(clause)
                if found is None or (only_names and found[0].rstrip().endswith(",")):
                    continue
                name = found["name"]
                if (name[:1].isupper() or name.lower() in names) and not self._uses(name.lower()):
                    return True
        return False

    def _uses(self, word: str) -> bool:
        return self.index.uses_word(frozenset().union({word}, *self.index.topic_words(word)))

    def without_asides(self, text: str) -> str | None:
        """The message without its asides: what it says in brackets ("(client is obsessed w big
        numbers lol)") and the sentences that tell instead of asking ("why does OpenAI need a deal
        this size? genuine question, I'm a hardware guy"; "back in my day a big contract was a few
        million... how much is this one worth?"), when each is an aside (``_is_aside``). None when
        it has none, or asks nothing else; "...? also, make up a quote" is a request, not an
        aside, and keeps the whole message as it is."""
        bracketed = list(_BRACKETED.finditer(text))
        if not all(self._is_aside(m.group(1)) for m in bracketed):
            bracketed = []
        for found in reversed(bracketed):
            text = text[: found.start()] + " " + text[found.end() :]
        asking, telling = _asking_and_telling(text)
        asking, opening = self._without_openings(asking)
        asking, likened = self._without_analogies(asking)
        telling += opening + likened
        if not asking or not (telling or bracketed):
            return None
        # In a message that names someone the articles name, what the asker tells before asking
        # sets the scene ("ok taking a break from pharm flashcards... how much is the OpenAI deal
        # worth?"): the names in it are the asker's world. After the question they may say what is
        # asked ("...? nvidia gb200s or what").
        names_known = any(self.index.anywhere(n) for n in self.index.names_in(text))
        asked_at = text.find(asking[0])
        if not all(self._is_aside(s, scene=names_known and text.find(s) < asked_at) for s in telling):
            return None
        return " ".join(asking)

    def _without_openings(self, asking: list[str]) -> tuple[list[str], list[str]]:
        """The asking sentences without the clauses opening them that are asides ("prima domanda
        per il quiz: con chi ha firmato?", "for the market paragraph — what does it do to
        Amazon?"), and those clauses."""
        kept, openings = [], []
        for sentence in asking:
            clauses = _CLAUSE_BREAK.split(sentence)
            start = 0
            while start < len(clauses) - 1 and self._is_aside(clauses[start]) and not self._only_quotes(clauses[start]):
                start += 1
            kept.append(" ".join(clauses[start:]))
            openings += clauses[:start]
        return kept, openings

    def _without_analogies(self, asking: list[str]) -> tuple[list[str], list[str]]:
        """The asking sentences without the asker's own likening that closes them (``analogy_cues``):
        a sentence of its own after another question ("what do they mean by bottleneck? like the
        pass on a friday night?") or the clause after a comma ("what kind of AI race, like chatbots
        or what?"), when it holds no name and no word the articles use ("tipo le GPU?" stays)."""
        kept, likened = [], []
        for sentence in asking:
            if kept and self._likens(sentence):
                likened.append(sentence)
                continue
            head, comma, last = sentence.rpartition(", ")
            if comma and head.strip() and self._likens(last):
                kept.append(head.rstrip() + "?")
                likened.append(last)
            else:
                kept.append(sentence)
        return kept, likened

    def _likens(self, clause: str) -> bool:
        """Whether a clause is a likening (``analogy_cues``) holding no name and no word the articles use."""
        if not any(cue.search(clause) for data in all_languages() for cue in data.analogy_cues):
            return False
        return not self.index.names_in(clause) and not self.index.uses_any(clause)

    def _only_quotes(self, clause: str) -> bool:
        """Whether a clause only quotes words ("'planetary scale' — where's that from?"): what the
        question after it is about, not an aside."""
        quoted = self.quoted_words(clause)
        rest = _QUOTED_WORDS.sub(" ", clause)
        return bool(quoted) and not self.index.topic_words(rest)

    def questions_asked(self, text: str) -> list[str]:
        """The questions a message asks one after another ("quanto dura l'accordo? e entro quando
        dovrebbe essere tutto attivo?"), each a sentence ending with a question mark; none when
        it asks fewer than two, or when a sentence that does not ask is no aside (it may be
        what the questions are about)."""
        asking, telling = _asking_and_telling(text)
        if len(asking) < 2 or not all(self._is_aside(s) for s in telling):
            return []
        return asking

    def quoted_question(self, text: str) -> tuple[str, str] | None:
        """The one question a message quotes, and the rest of the message: someone else's
        question passed on ("cliente mi scrive "chi sono gli unici...?" l'articolo fa dei nomi?").
        None when it quotes no question, or several."""
        found = list(_QUOTED_QUESTION.finditer(text))
        if len(found) != 1:
            return None
        quote = found[0]
        return quote.group(1), f"{text[: quote.start()]} {text[quote.end() :]}"

    def quoted_words(self, text: str) -> list[str]:
        """The few words a message quotes ("what does it mean by 'bottleneck'?")."""
        return [m.group(1) for m in _QUOTED_WORDS.finditer(text)]

    def without_chatter(self, text: str) -> str:
        """The question without what opens it and says nothing the articles hold ("new hire here,
        sorry if dumb q - what does the article say...", "CFO here. is the piece saying..."): a
        leading clause that names no one and none of whose topic words any article holds, as
        itself or a synonym, is dropped when what follows has a topic word the articles hold
        ("About the revenue: how much is it?" keeps its opening: the rest asks about nothing).
        A remark after the question that says nothing the articles hold is dropped too ("who
        signed it? asking for our client note")."""
        asked, mark, remark = text.rpartition("?")
        if mark and remark.strip() and self._is_remark(remark):
            text = asked + mark  # "is it a supply deal? it matters for our model": the question
        parts = _CLAUSE_BREAK.split(text)
        start = 0
        while start < len(parts) - 1 and self._is_chatter(parts[start]):
            start += 1
        if start == 0:
            return text
        rest = " ".join(parts[start:])
        held = [stems for stems in self.index.topic_words(rest) if self.index.uses_word(stems)]
        return rest if held else text

    def beyond_headlines(self, text: str) -> bool:
        """Whether the text asks about something the articles say outside their headlines
        (titles, subtitles, leads): "a summary of the OpenAI deal for the team" asks for the briefing,
        "a summary of the risks" for the passage on risks. Words no article says do not count."""
        index = self.index
        if any(index.names_a_kind(frozenset({w})) for w in words(text)) and not self._lists_kinds(text):
            return True  # "tl;dr of the risks": a kind of answer, asked of the articles
        if any(not index.anywhere(name) for name in index.names_in(text)):
            return True  # "what does the article say about Nvidia?" asks about Nvidia
        said = [stems for stems in index.topic_words(text) if stems & index.own_words]
        return any(not stems & index.headline_words for stems in said)

    def _lists_kinds(self, text: str) -> bool:
        """Whether the text lists kinds of answer ("value, duration, go-live target"): what the
        key points give at once."""
        kind_of = self._kind_of
        pairs = _LISTED_PAIR.findall(text.lower())
        return any(a in kind_of and b in kind_of and kind_of[a] != kind_of[b] for a, b in pairs)

    @cached_property
    def _kind_of(self) -> dict[str, frozenset[str]]:
        """The kinds of answer each word naming one names ("value": amount)."""
        kinds: dict[str, set[str]] = {}
        for data in all_languages():
            for answer_type in data.answer_types:
                for word in answer_type.absorb:
                    if not self.index.is_stop_word(word):
                        kinds.setdefault(word, set()).add(answer_type.name)
        return {word: frozenset(names) for word, names in kinds.items()}

    def _is_remark(self, clause: str) -> bool:
        """Whether what follows a question only comments on it: an aside that names no kind of
        answer ("i need the date") and none of whose words is one the articles' own texts use
        ("per noi cambia molto nella modellizzazione"), or one in the asker's own voice ("i only
        know Amazon for...", "feels like...")."""
        view = states_a_view(clause)
        own_voice = view or opens_first_person(clause)
        if own_voice:
            clause = without_interrogatives(clause)  # "io diffido sempre *quando*..." asks no date
        # "big" names a kind of answer, and is chat; the asker's view names none ("feels like
        # everyone buys from the same 3 *suppliers*"), their need does ("i need the *date*")
        kinds = [] if view else [w for w in words(clause) if not self.index.is_filler(w)]
        if any(self.index.names_a_kind(frozenset({w})) for w in kinds):
            return False
        if not self._is_aside(clause):
            return False
        # "...? i only know Amazon for ordering in bulk": the asker speaking of themselves, whatever
        # names they use, comments on the question
        own = self.index.own_words
        return own_voice or not any(stems & own for stems in self.index.topic_words(clause))

    def _is_aside(self, sentence: str, *, scene: bool = False) -> bool:
        """Whether a sentence that does not ask adds nothing to what is asked: it names no one
        ("nvidia gb200s or what"), asks for no kind of answer ("mi serve il giorno preciso"
        does), says nothing of how to answer ("in two lines") and does not speak to the bot. It
        names no one the articles do not, but the asker's own people ("our CISO")."""
        motive = gives_a_motive(sentence)  # "te lo chiedo perché...": the asker's reason, even said to the bot
        wanted = QuestionType(None, frozenset()) if motive else question_type(as_statement(sentence))
        if wanted.name is not None or wanted.exact or (addresses_the_bot(sentence) and not motive):
            return False
        if without_summary_request(sentence) is not None:
            return False  # "who, how much? in two lines": how to answer
        if clarifies(sentence):
            return False  # "...? nomi dei dirigenti intendo" says what is asked
        # Names the articles know may stand in an aside ("something about Amazon playing both
        # sides"): the passage that answers must name them too (``OfflineEngine``). Others only
        # when they are the asker's own people ("our CISO will ask"), not a new topic ("Nvidia?").
        # ``scene``: the sentence sets the scene before the question, in a message naming someone
        # the articles name, so any name it holds is the asker's own (``without_asides``).
        unknown = [n for n in self.index.names_in(sentence) if not self.index.anywhere(n)]
        return scene or all(owned_by_the_asker(sentence, name) for name in unknown)

    def _is_chatter(self, clause: str) -> bool:
        if self._introduces_the_asker(clause):
            # "sono Marta dello studio Ferri,...": the names are the asker's own, and only a word
            # the articles use as such would be a topic ("Roberta, studio associato")
            return not self.index.uses_any(clause) and without_summary_request(clause) is None
        if self.index.names_in(clause) or without_summary_request(clause) is not None:
            return False  # "tl;dr pls. what's the deal?" asks for the summary
        return not any(self.index.anywhere(max(stems, key=len)) for stems in self.index.topic_words(clause))

    @cached_property
    def _spellable_names(self) -> list[str]:
        return [n for n in self.index.name_forms if len(n) >= MIN_SPELT_NAME]

    def with_names_spelt_right(self, text: str) -> str:
        """The question with a misspelt name the articles know written as they write it
        ("anthorpic" -> "Anthropic", "open ai" -> "OpenAI"): a word of MIN_SPELT_NAME letters or
        more that no article holds and no wordnet knows, and that is close to exactly one of the
        articles' names (``difflib``'s ratio at least NAME_SPELLING_SIMILARITY)."""
        names = self._spellable_names
        name_forms = self.index.name_forms

        def spelt(match: re.Match[str]) -> str:
            word = match.group(0)
            lowered = word.lower()
            if len(lowered) < MIN_SPELT_NAME or lowered in name_forms or self.index.is_stop_word(lowered):
                return word
            close = difflib.get_close_matches(lowered, names, n=2, cutoff=NAME_SPELLING_SIMILARITY)
            if len(close) != 1 or self.index.is_known_word(lowered):
                return word
            return name_forms[close[0]]

        def joined(match: re.Match[str]) -> str:
            form = name_forms.get((match.group(1) + match.group(2)).lower())
            return form if form is not None else match.group(0)

        # A name typed in two pieces ("open ai", "Open AI") is the name.
        return NAME_WORD.sub(spelt, _TWO_WORDS.sub(joined, text))

    def about_others(self, follow_up: str, earlier: str) -> str | None:
        """An elliptical follow-up as the question it stands for: "E quello di OpenAI?" after
        "Chi è il CEO di AWS?" is "Chi è il CEO di OpenAI?" (the earlier question with its last
        name replaced by the follow-up's names). None when the follow-up is not one: it asks
        for a kind of answer of its own, or holds a topic word that is not a name."""
        names = self.index.names_in(follow_up)
        topic = self.index.topic_words(follow_up)
        if not names or question_type(follow_up).name or not all(stems & names for stems in topic):
            return None
        earlier_names = self.index.names_in(earlier)
        spans = [m for m in NAME_WORD.finditer(earlier) if m.group(0).lower() in earlier_names]
        if not spans:
            return None
        last = spans[-1]
        ordered = [n for n in question_names(follow_up) if n in names]
        wording = " ".join(m.group(0) for m in NAME_WORD.finditer(follow_up) if m.group(0).lower() in ordered)
        if not wording:
            return None  # only names no article mentions ("e nvidia?"): asked as they stand
        return earlier[: last.start()] + wording + earlier[last.end() :]


def _asking_and_telling(text: str) -> tuple[list[str], list[str]]:
    """A message's sentences that ask (ending with a question mark, or, when none does, opening
    with an interrogative word: "why does it need all this, in plain words pls. i milk cows")
    and those that do not."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s]
    asking = [s for s in sentences if s.rstrip().endswith("?")] or [s for s in sentences if opens_with_interrogative(s)]
    return asking, [s for s in sentences if s not in asking]
