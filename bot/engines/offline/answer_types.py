"""What a question asks for, and whether a passage holds that kind of answer.

"Who...?" wants a person or role, "when / by when...?" a date or a period, "how much /
quanto...?" an amount ("how much compute / quanta potenza...?": a quantity of that thing, which a
count answers, not a price), "which companies...?" organisations, "why / perché...?" a reason.
A passage that lacks the kind of answer asked for does not answer, however many of the
question's words it holds. The cues live in ``bot/engines/offline/data/<language>.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise

from bot.engines.offline.language_data import all_languages, language_data
from bot.grounding.quantities import Quantity, read, tokens
from bot.grounding.wordlists import word_lists
from bot.language.text import words

# Which kinds of evidence satisfy each question type.
ACCEPTS = {
    "day": ("day",),
    "date": ("date", "duration"),
    "past_date": ("date",),
    "rate": ("rate",),
    "duration": ("duration", "date"),
    "amount": ("amount",),
    "measure": ("count",),
    "count": ("count", "amount"),
    "organisation": ("organisation",),
    "organisations": ("organisations",),
    "concern": ("concern",),
    "significance": ("significance", "concern"),
    "role": ("role",),
    "speaker": ("speaker",),
    "anyone_quoted": ("speaker",),
    "person": ("role", "name", "organisation"),
    "reason": ("reason",),
    "purpose": ("purpose",),
    "opinion": ("opinion",),
    "hypothetical": ("condition",),
    "percentage": ("percentage",),
    "definition": ("definition",),
    "place": ("place",),
}
# A proper name: a capitalised word that does not start its sentence, or an acronym/camel-case
# word anywhere (AWS, OpenAI).
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][\w'-]+")
_CODE_LIKE = re.compile(r"\b(?:[A-Z]{2,}\w*|[A-Z][a-z]+[A-Z]\w*)\b")
_TWO_NAMES = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
_CLAUSE_END = re.compile(r"[?.!;,:]|\s[-–—]\s|^[-–—]\s|\s[-–—]$")


@dataclass(frozen=True)
class QuestionType:
    name: str | None
    absorbed: frozenset[str]  # the question's words that only named the type
    roles: frozenset[str] = frozenset()  # role words: found in any passage that names a role
    # The units the amount asked for is in ("in euros": eur): a passage answers only with an
    # amount in one of them, not with the same deal's value in dollars.
    units: frozenset[str] = frozenset()
    # A precise figure is asked for ("Quante GPU esattamente?"): a vague quantity ("hundreds of
    # thousands", evidence.vague) does not answer.
    exact: bool = False
    # Figures offered to choose from ("quanto dura? 5 anni? 10?"): guesses to check, not topics.
    offered: frozenset[str] = frozenset()


# The kinds of answer that are a quantity, whose unit the question may name.
_QUANTITY_TYPES = ("amount", "measure", "count", "duration")
# The kinds of answer a question may ask for precisely; a precise date is a day.
_PRECISE_TYPES = ("amount", "measure", "count", "duration", "date", "past_date")


@lru_cache(maxsize=256)
def question_type(text: str) -> QuestionType:
    """The first type whose cue the question matches, in either language. Remembered: one
    message asks it of the same texts several times (``OfflineEngine.answer`` starts afresh on
    each message, so that a benchmark repeating its questions measures no remembered type)."""
    lowered = text.lower()
    asked = _asked_part(lowered)
    for data in all_languages():
        for answer_type in data.answer_types:
            if any(cue.search(asked) for cue in answer_type.cues):
                name = answer_type.name
                units = _asked_units(lowered, name)
                exact = name in _PRECISE_TYPES and any(c.search(lowered) for d in all_languages() for c in d.exact_cues)
                if exact and name in ("date", "past_date"):
                    name = "day"  # "when exactly was it signed?": a year or "by the end of" is not the day
                absorbed = answer_type.absorb | (checked_date(lowered) if name in _DATE_TYPES else frozenset())
                offered = _offered_figure_words(lowered) | _stated_figure_words(lowered, name)
                return QuestionType(name, absorbed, answer_type.roles, units, exact, offered)
    return QuestionType(None, frozenset())


def _stated_figure_words(lowered: str, name: str) -> frozenset[str]:
    """The figure a question asking for a quantity states to check ("l'accordo dura 20 anni, è
    vero?"): a guess, not a topic word, as in a question asking no kind (``stated_quantity``)."""
    stated = stated_quantity(lowered) if name in _QUANTITY_TYPES else None
    if stated is None or stated.name != name:
        return frozenset()
    return frozenset(w for w in stated.absorbed if any(c.isdigit() for c in w))


def _offered_figure_words(lowered: str) -> frozenset[str]:
    """The figures a question about a quantity offers to choose from ("quanto dura? 5 anni? 10?",
    "how long, 5 or 10 years?"): guesses to check, not topic words; the passage stating the true
    figure answers, as for a single figure stated to check (``stated_quantity``)."""
    return frozenset(w for q in figures_offered(lowered) for w in words(lowered[q.start : q.end]))


def _asked_part(lowered: str) -> str:
    """The message up to its last question mark when what follows is a remark ("...? our partner
    thinks it's hype", "...? my editor wants a box for readers who aren't into tech"): what the
    asker or others think is not what is asked, so its words name no kind of answer. A question
    typed without its mark after another ("quick q? who signed it") opens with an interrogative
    word, and is kept, as is what says what the question means."""
    asked, mark, remark = lowered.rpartition("?")
    if not mark or not words(remark) or opens_with_interrogative(remark) or clarifies(remark):
        return lowered  # "chi ha firmato? i nomi dei dirigenti intendo" asks for people with a role
    return asked + mark


def clarifies(text: str) -> bool:
    """Whether the text says what the question before it means ("...? the execs' names, I mean"),
    in either language (``clarification_cues``)."""
    return any(cue.search(text) for data in all_languages() for cue in data.clarification_cues)


def opens_with_interrogative(text: str) -> bool:
    """Whether the text opens with an interrogative word of any language, as a question typed
    without its mark does ("who signed it", "and who...", "e quando...")."""
    opening = words(text.lower())[:2]
    return any(w in d.interrogatives or w in d.interrogative_openers for w in opening for d in all_languages())


# The kinds of answer that are a date, which a question may state to check.
_DATE_TYPES = ("date", "past_date", "day")


def checked_date(lowered: str) -> frozenset[str]:
    """The date a question about when states at its end to check ("per quando..., 2025?"): not a
    topic word, since the passage giving the true date answers it (``checked_date_cues``)."""
    for data in all_languages():
        for cue in data.checked_date_cues:
            found = cue.search(lowered)
            if found is not None:
                return frozenset({found.group("date")})
    return frozenset()


# The quantities a yes/no question may state to check ("Is it a ten-year deal?", "Vale 50 miliardi?").
_STATED_TYPES = ("duration", "amount")


def stated_quantity(text: str) -> QuestionType | None:
    """A question asking no kind of answer that states a length or an amount to check ("Is it a
    ten-year deal?", "è un accordo decennale?"): it asks for that kind, and the passage stating
    the true one answers it, yes or no. The figure it states is not a topic word: a passage
    saying "seven years" answers it as well as one saying "ten". None when it states neither."""
    lowered = text.lower()
    for kind in _STATED_TYPES:
        for data in all_languages():
            pattern = _evidence(data.language).get(kind)
            found = pattern.search(lowered) if pattern else None
            if found is None:
                continue
            stated = [t.text for t in tokens(found.group(0))]
            figure = stated[:1] if len(stated) > 1 else stated
            # Any currency it names is a claim to check too ("38 miliardi di dollari, non euro?").
            units = _asked_units(lowered, kind) if kind != "amount" else frozenset()
            return QuestionType(kind, frozenset(figure), units=units)
    return None


def stated_date(text: str) -> QuestionType | None:
    """A question asking no kind of answer that states a month or a year as when something
    happens ("was it signed in October?", "sarà operativo entro il 2027?"): it asks when, and
    only a passage giving a date answers it, yes or no (the passage saying "seven years" does
    not say when the deal was signed). The date it states is not a topic word. None when it
    states none (``stated_date_cues``)."""
    lowered = text.lower()
    for data in all_languages():
        for cue in data.stated_date_cues:
            found = cue.search(lowered)
            if found is not None:
                return QuestionType("past_date", frozenset({found.group("date")}))
    return None


# A figure this large names a thing ("the 5bn deal"); smaller ones are as often years, counts or ranks.
LARGE_FIGURE = 1_000_000


def large_figures(text: str) -> tuple[Quantity, ...]:
    """The figures of a million or more a question states in digits ("the 38bn deal"), read in
    either language: a question about "the 5bn deal" asks about a deal of that size."""
    found = {(q.value, q.unit): q for readings in _readings(text) for q in readings if q.value >= LARGE_FIGURE}
    return tuple(found.values())


# The scales a figure is mistaken by: a tenth or ten times ("3.8 billion" for 38), a thousandth or
# a thousand times ("38 milioni" for 38 miliardi).
_MISTAKEN_SCALES = (10.0, 1_000.0)


def rescaled(figure: Quantity) -> tuple[Quantity, ...]:
    """The figure at the scales it is mistaken by, up and down (``_MISTAKEN_SCALES``)."""
    return tuple(
        replace(figure, value=figure.value * factor) for scale in _MISTAKEN_SCALES for factor in (scale, 1 / scale)
    )


def _readings(text: str) -> list[tuple[Quantity, ...]]:
    """The quantities the text states in digits, as each language reads them."""
    return [tuple(q for q in read(text, data.language).quantities if not q.from_words) for data in all_languages()]


def figures_offered(text: str) -> tuple[Quantity, ...]:
    """The figures a question offers to choose from ("38 milioni o 38 miliardi?", "is it $38M or
    $38B?"): the quantities it states in digits, read in whichever language finds more; none when
    it states fewer than two (number words are too often not figures: "one of them", "o")."""
    found = max(_readings(text), key=len)
    return found if len(found) >= 2 else ()


def states_figure(texts: dict[str, str], figure: Quantity) -> bool:
    """Whether a passage, in any of its languages, states ``figure`` (same value; same unit where both name one)."""
    return any(figure.matches(q) for language, text in texts.items() for q in read(text, language).quantities)


def units_named(text: str) -> frozenset[str]:
    """The units a question names ("in euros", "quanti gigawatt"), with the quantity reader's
    unit words (``bot/grounding/lang/<language>.yaml``), in either language."""
    words = [t.text for t in tokens(text.lower())]
    pairs = [f"{a} {b}" for a, b in pairwise(words)]
    found = set()
    for data in all_languages():
        units = word_lists(data.language).units
        found.update(units[w] for w in words + pairs if w in units)
    return frozenset(found)


def _asked_units(lowered: str, name: str) -> frozenset[str]:
    """The units a quantity question asks its answer in. The currency of an amount it states is a
    claim to check, not asked for: "is it 38 billion euros?" is answered by the amount in dollars,
    "how much is it in euros?" only by an amount in euros."""
    if name not in _QUANTITY_TYPES:
        return frozenset()
    units = units_named(lowered)
    if name == "amount":
        units -= {q.unit for data in all_languages() for q in read(lowered, data.language).quantities if q.unit}
    return units


def units_in(texts: dict[str, str]) -> frozenset[str]:
    """The units of the quantities a passage states, read in each of its languages."""
    return frozenset(q.unit for language, text in texts.items() for q in read(text, language).quantities if q.unit)


def is_yes_no(text: str) -> bool:
    """Whether the question asks yes or no (``yes_no_cues``), in either language; or states
    something with a question mark and no interrogative word of any language ("OpenAI usa anche
    Google Cloud?", "so Amazon supplies both of them?"), as people ask yes or no in chat."""
    lowered = text.lower()
    if any(p.search(lowered) for data in all_languages() for p in data.yes_no_cues):
        return True
    if not lowered.rstrip().endswith("?"):
        return False
    found = re.findall(r"[^\W\d_]+", lowered)
    languages = all_languages()
    if found and any(found[0] in d.interrogative_openers for d in languages):
        return False
    return not any(w in d.interrogatives for w in found for d in languages)


def choice_options(text: str) -> tuple[str, str] | None:
    """The two options a question ends by choosing between ("software or infrastructure?",
    "il software o le infrastrutture?"), in either language; None when it does not."""
    lowered = text.lower()
    for data in all_languages():
        for cue in data.choice_cues:
            found = cue.search(lowered)
            if found is not None:
                return found.group("a"), found.group("b")
    return None


@cache
def _or_words() -> frozenset[str]:
    return frozenset().union(*(d.or_words for d in all_languages()))


def first_alternatives(text: str) -> list[tuple[str, str]]:
    """The question read without each alternative it offers, the last first, with the clause
    that states the first option ("cloud services or chips? what is OpenAI buying" -> ("cloud
    services? what is OpenAI buying", "cloud services"); "is compute the bottleneck or is that
    hype?" -> "is compute the bottleneck?"): an alternative runs from its "or" to the end of its
    clause, or is the one name it offers when more follows ("did Microsoft or Google bid?").
    Empty when the question offers none."""
    or_words = _or_words()
    tokens = re.split(r"(\W+)", text)
    offered = [k for k, token in enumerate(tokens) if token.lower() in or_words and 0 < k < len(tokens) - 1]
    readings = []
    for k in reversed(offered):
        end = next((j for j in range(k + 1, len(tokens)) if _CLAUSE_END.search(tokens[j])), len(tokens))
        if end > k + 3 and tokens[k + 2][:1].isupper():
            end = k + 3  # "did Microsoft or Google bid?": the alternative is the one name
        start = next((j + 1 for j in range(k - 1, -1, -1) if _CLAUSE_END.search(tokens[j])), 0)
        before = "".join(tokens[:k]).rstrip(" ,")
        if before.strip():
            readings.append((before + "".join(tokens[end:]), "".join(tokens[start:k])))
    return readings


def without_own_reading(text: str) -> str | None:
    """The question without the reading of it its asker offers at its end ("does the article raise
    any concerns, or is it pure cheerleading?" -> "does the article raise any concerns?"): an
    "or" opening a clause of its own (``own_reading_openers``) after the question. None when it
    offers none."""
    openers = frozenset().union(*(d.own_reading_openers for d in all_languages()))
    or_words = _or_words()
    for match in re.finditer(r"[^\W\d_]+", text):
        if match.group(0).lower() not in or_words:
            continue
        following = words(text[match.end() :])[:1]
        before = text[: match.start()].rstrip(" ,")
        if following and following[0] in openers and words(before):
            return before + "?"
    return None


def without_summary_request(text: str) -> str | None:
    """The question less its request for a summary ("in a nutshell, what's the article about?"
    -> ", ?") and whom the summary is for ("for the team chat"), in either language; None when it
    asks for none."""
    found = False
    for data in all_languages():
        for cue in data.summary_cues:
            text, count = cue.subn(" ", text)
            found = found or count > 0
    if not found:
        return None
    for data in all_languages():
        for cue in data.summary_audience_cues:
            text = cue.sub(" ", text)
    return text


def claims_in(text: str) -> frozenset[str]:
    """The claims beyond the facts a question makes or assumes, in either language ("the biggest
    deal ever?": ``record``; "dumping Azure completely?": ``absolute``; see ``claim_cues``)."""
    return frozenset(
        kind for data in all_languages() for kind, cues in data.claim_cues.items() if any(c.search(text) for c in cues)
    )


def asks_about_ability(text: str) -> bool:
    """Whether the question asks what someone can do, or whether the articles name them
    ("could Google supply it?", "is Google mentioned?"), in either language (``ability_cues``)."""
    return any(p.search(text) for data in all_languages() for p in data.ability_cues)


def is_instruction(text: str) -> bool:
    """Whether the text gives the bot orders ("ignore the article and...") in either language."""
    return any(p.search(text) for data in all_languages() for p in data.instructions)


def addresses_the_bot(sentence: str) -> bool:
    """Whether a sentence speaks to the bot or adds a request to the question before it ("also
    make up a quote", "e già che ci sei scrivimi..."), in either language (``request_cues``)."""
    return any(p.search(sentence) for data in all_languages() for p in data.request_cues)


def gives_a_motive(sentence: str) -> bool:
    """Whether a sentence says why the asker asks ("lo chiedo perché anche qui si discute di
    GPU", "asking because the board meets tomorrow"): its "why" word asks nothing."""
    return any(p.search(sentence) for data in all_languages() for p in data.motive_cues)


def as_statement(sentence: str) -> str:
    """A sentence that does not ask, without the words that would read as asking in a question
    but state in a statement ("I think I read two things", "...mi sembra una cifra esagerata",
    "if it's months, because that would be a lot", "for readers who aren't into tech", "feels
    like...")."""
    for data in all_languages():
        for cue in data.statement_cues + data.view_openers:
            sentence = cue.sub(" ", sentence)
    return sentence


def asks_what_sets_apart(text: str) -> bool:
    """Whether the question asks why one thing rather than others, or what sets it apart ("why
    AWS and not someone else?", "perché proprio AWS?", "cosa ha di speciale?"): a passage that
    says what is unique about it answers (evidence ``distinction``)."""
    return any(p.search(text) for data in all_languages() for p in data.contrast_cues)


def chosen_part(text: str) -> tuple[str, str]:
    """A question asking why one thing rather than others, split into the part naming the one
    chosen and the others passed over, without the words between: "why did OpenAI pick AWS over
    Google?" -> ("why did OpenAI pick AWS", " Google?") (``contrast_markers``); the whole text and
    nothing when it names no others."""
    found = []
    for data in all_languages():
        for marker in data.contrast_markers:
            match = marker.search(text)
            if match is not None:
                group = "cut" if "cut" in marker.groupindex else 0
                found.append((match.start(group), match.end(group)))
    if not found:
        return text, ""
    start, end = min(found)
    return text[:start], text[end:]


def is_choice_word(stems: frozenset[str]) -> bool:
    """Whether a topic word (its stems) is a verb of choosing, in either language (``choice_words``)."""
    return bool(stems & _choice_words())


@cache
def _choice_words() -> frozenset[str]:
    return frozenset().union(*(data.choice_words for data in all_languages()))


def owned_by_the_asker(sentence: str, name: str) -> bool:
    """Whether a name is the asker's own ("our CISO will ask", "we have ESG reporting", "i keep
    wanting to say Jassy"): a first-person word stands before it in the sentence, in either
    language; not "something about Nvidia, reminds me of...", which speaks of Nvidia. So is a
    name after a title ("la signora Pina me l'ha chiesto") or naming the asker ("Jess here")."""
    mine, titles, naming = _first_person(), _person_titles(), _self_naming()
    lowered = [t.text for t in tokens(sentence.lower())]
    for k, word in enumerate(lowered):
        if word != name:
            continue
        titled = k > 0 and lowered[k - 1] in titles  # "la signora Pina"
        self_named = k + 1 < len(lowered) and lowered[k + 1] in naming  # "Jess here"
        if titled or self_named or any(w in mine for w in lowered[:k]):
            return True
    return False


def opens_first_person(sentence: str) -> bool:
    """Whether a sentence opens with a first-person word ("i only know Amazon for...", "noi
    usiamo Azure"), in either language: the asker speaks of themselves."""
    opening = [t.text for t in tokens(sentence.lower())][:1]
    return bool(opening) and opening[0] in _first_person()


def states_a_view(sentence: str) -> bool:
    """Whether a sentence opens by giving the asker's own view ("feels like everyone buys from the
    same 3 suppliers", "mi sa che è tutta pubblicità"), in either language (``view_openers``)."""
    return any(cue.search(sentence) for data in all_languages() for cue in data.view_openers)


def without_interrogatives(sentence: str) -> str:
    """The sentence without its interrogative words: in the asker's own voice they join clauses
    ("io diffido sempre *quando* tutto finisce in poche mani", "we know *how* that goes")."""
    return " ".join(t.text for t in tokens(sentence) if t.text.lower() not in _interrogatives())


def holds_interrogative(text: str) -> bool:
    """Whether the text holds an interrogative word of either language ("riassumimi *cosa*...")."""
    return any(t.text.lower() in _interrogatives() for t in tokens(text))


@cache
def _interrogatives() -> frozenset[str]:
    return frozenset().union(*(data.interrogatives for data in all_languages()))


@cache
def _first_person() -> frozenset[str]:
    return frozenset().union(*(data.first_person for data in all_languages()))


@cache
def _person_titles() -> frozenset[str]:
    return frozenset().union(*(data.person_titles for data in all_languages()))


@cache
def _self_naming() -> frozenset[str]:
    return frozenset().union(*(data.self_naming for data in all_languages()))


def without_checking_words(text: str) -> str:
    """The text without the words that ask to check a figure ("can you confirm...", "confermate
    che...": ``checking_words``), in either language."""
    return _checking_words().sub(" ", text)


@cache
def _checking_words() -> re.Pattern[str]:
    found = sorted(frozenset().union(*(data.checking_words for data in all_languages())))
    return re.compile(r"\b(" + "|".join(map(re.escape, found)) + r")\b", re.IGNORECASE)


def asks_the_bots_opinion(text: str) -> bool:
    """Whether the question asks what the bot itself thinks ("secondo te è un buon affare?", "do
    you think it was smart?"), not what the articles say ("secondo te cosa dice l'articolo?"):
    the articles cannot answer it, whatever words it shares with them."""
    lowered = text.lower()
    if not any(p.search(lowered) for data in all_languages() for p in data.opinion_cues):
        return False
    return not any(is_source_word(t.text) for t in tokens(lowered))


def is_source_word(word: str) -> bool:
    """Whether a word names the article or its saying it ("articolo", "piece", "writes")."""
    return word in _source_words()


@cache
def _source_words() -> frozenset[str]:
    return frozenset().union(*(data.source_words for data in all_languages()))


def evidence_in(texts: dict[str, str]) -> frozenset[str]:
    """The kinds of answer a passage holds, from its text in each language."""
    kinds = set()
    for language, text in texts.items():
        patterns = _evidence(language)
        for kind, pattern in patterns.items():
            if pattern.search(text):
                kinds.add(kind)
        vague = [m.span() for m in patterns["vague"].finditer(text)] if "vague" in patterns else []
        for kind in _QUANTITY_TYPES:
            # A precise quantity: one that no vague wording holds or leads ("about 30", "centinaia di").
            spans = [m.span() for m in patterns[kind].finditer(text)] if kind in patterns else []
            if any(not any(a < e and s < b for a, b in vague) for s, e in spans):
                kinds.add(f"exact_{kind}")
        if _CODE_LIKE.search(text) or _CAPITALISED.search(text):
            kinds.add("organisation")
        if _TWO_NAMES.search(text):
            kinds.add("name")
    if "opinion" in kinds and kinds & {"role", "name"}:
        # Someone named by role or name, and what they said ("as AWS CEO Matt Garman pointed
        # out"): who is quoted. A role alone ("the market leader") says nothing.
        kinds.add("speaker")
    return frozenset(kinds)


def evidence_spans(text: str, language: str, wanted: str) -> list[tuple[int, int]]:
    """Where ``text`` holds an answer of the kind ``wanted`` asks for (character spans)."""
    patterns = _evidence(language)
    return [m.span() for kind in ACCEPTS[wanted] if kind in patterns for m in patterns[kind].finditer(text)]


def explanation_spans(text: str, language: str) -> list[tuple[int, int]]:
    """Where ``text`` explains what stands before a colon (``evidence.explanation``)."""
    pattern = _evidence(language).get("explanation")
    return [m.span() for m in pattern.finditer(text)] if pattern else []


@cache
def _evidence(language: str) -> dict[str, re.Pattern[str]]:
    """Each kind's patterns as one alternation: one search per kind (indexing 1,000 articles
    ran about 700,000 searches otherwise). The data's patterns have no backreferences."""
    return {
        kind: re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)
        for kind, patterns in language_data(language).evidence.items()
    }


def holds(
    kinds: frozenset[str], wanted: str | None, units: frozenset[str] = frozenset(), asked=frozenset(), exact=False
) -> bool:
    """Whether a passage holding ``kinds`` of answer (and quantities in ``units``) answers a
    question of type ``wanted`` that asks for a quantity in one of ``asked`` units (precisely,
    when ``exact``)."""
    if asked and not asked & units:
        return False  # "in euros" is not answered by an amount in dollars
    if exact and wanted in _QUANTITY_TYPES:
        return any(f"exact_{k}" in kinds for k in ACCEPTS[wanted])
    return wanted is None or any(k in kinds for k in ACCEPTS[wanted])
