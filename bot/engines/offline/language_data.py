"""The offline engine's per-language data: ``bot/engines/offline/data/<language>.yaml``, loaded once.

Each file holds the general vocabulary of questions in that language: words that only
frame a question, generic verbs and nouns of asking that weigh little, the cues that tell
what a question asks for (a date, an amount, a person...) and what shows that a passage
holds that kind of answer. Editing a file changes the engine without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.language.languages import SUPPORTED_LANGUAGES

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class AnswerType:
    name: str
    cues: tuple[re.Pattern[str], ...]
    absorb: frozenset[str]  # words that only name the type ("which *companies*")
    roles: frozenset[str] = frozenset()  # role words, found in any passage that names a role


@dataclass(frozen=True)
class LanguageData:
    language: str
    question_words: frozenset[str]
    filler: frozenset[str]
    which_words: frozenset[str]  # "which / quale": the word after them names the thing asked for
    kind_words: frozenset[str]  # "kind of / tipo di": may stand between
    which_span: int  # how many topic words after "which" name the thing (English compounds end with it)
    agent_endings: tuple[str, ...]  # endings of agent nouns ("maker", "produttore")
    owner_links: frozenset[str]  # "the CEO *of* Google", "il CEO *di* Google": the name owns the word before
    owner_marks: frozenset[str]  # "Google*'s* CEO": the name owns the word after
    # "besides the timing", "oltre ad AWS": what a question sets aside, removed before it is read.
    exclusion_cues: tuple[re.Pattern[str], ...]
    having_verbs: frozenset[str]  # "ha bisogno di X": the noun after them is the verb's, not X's
    possessives: frozenset[str]  # "*its* exclusivity": the thing belongs to the sentence's first name
    attribute_words: frozenset[str]  # "which *model* of GPU": asks for a named value of the thing
    answer_types: tuple[AnswerType, ...]
    evidence: dict[str, tuple[re.Pattern[str], ...]]
    instructions: tuple[re.Pattern[str], ...]  # text aimed at the bot, not a question
    # "What is Google's cloud *revenue*?": where the thing a question centres on starts, the
    # words that end its noun phrase, and whether the head is the phrase's last word (English).
    head_cues: tuple[re.Pattern[str], ...] = ()
    head_stops: frozenset[str] = frozenset()
    head_last: bool = True
    # "Will OpenAI renew the contract?": a yes/no question about what will happen.
    future_cues: tuple[re.Pattern[str], ...] = ()
    # Filler words that speak of the article or of asking ("according", "articolo"), not of an event.
    asking_words: frozenset[str] = frozenset()
    # Chat shorthand and contractions typed without their apostrophe, as written in full ("whats": "what is").
    casual: dict[str, str] | None = None
    # Everyday phrases for the plainer word an article uses ("up and running": operational),
    # written in full like ``casual`` before the question is read.
    everyday: dict[str, str] | None = None
    # "Quante GPU esattamente?", "what day exactly": the question asks for a precise figure or day;
    # a vague quantity ("hundreds of thousands") or a year does not give it.
    exact_cues: tuple[re.Pattern[str], ...] = ()
    # A yes/no question ("does X still own a stake?", "si può rinnovare o no?"): what it asks about
    # must be said by the passage that answers it, not only the names around it.
    yes_no_cues: tuple[re.Pattern[str], ...] = ()
    # The interrogative words ("who", "quando"): a question with none of them, in any language,
    # asks yes or no ("OpenAI usa anche Google Cloud?"); the openers count only opening it ("che").
    interrogatives: frozenset[str] = frozenset()
    interrogative_openers: frozenset[str] = frozenset()
    # A choice between two options ending the question ("software or infrastructure?"): groups a, b.
    choice_cues: tuple[re.Pattern[str], ...] = ()
    # The words that offer an alternative ("cloud services *or* chips?", "fornitura *o* investimento?").
    or_words: frozenset[str] = frozenset()
    # "...or is it pure cheerleading?", "...o è greenwashing?": an "or" these open offers the
    # asker's own reading of what is asked, not a second thing to ask about.
    own_reading_openers: frozenset[str] = frozenset()
    # A vowel typed with an apostrophe for its accent ("e'", "perche'", "capacita'"): vowel -> accented.
    apostrophe_accents: dict[str, str] = field(default_factory=dict)
    # A one-letter unit glued to a figure ("38B", "500k"): letter -> word. Only after a digit.
    figure_suffixes: dict[str, str] = field(default_factory=dict)
    # A date a question about when states to check ("per quando..., 2025?"): group `date`.
    checked_date_cues: tuple[re.Pattern[str], ...] = ()
    # A month or year a question states as when something happens ("was it signed in October?",
    # "operativo entro il 2027?"): group `date`.
    stated_date_cues: tuple[re.Pattern[str], ...] = ()
    # "What is OpenAI valued at / quanto vale OpenAI": the words that state what something is worth.
    value_words: frozenset[str] = frozenset()
    # "In a nutshell, what's the article about?", "di cosa parla?": a request for the briefing.
    summary_cues: tuple[re.Pattern[str], ...] = ()
    # Whom a summary is for ("per il gruppo whatsapp della squadra", "for the team chat"): not
    # what it is about.
    summary_audience_cues: tuple[re.Pattern[str], ...] = ()
    # Claims beyond the facts a question may make ("the biggest deal *ever*?", "leaving Azure
    # *completely*?"), by kind: only a passage that holds the same kind of evidence answers.
    claim_cues: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    # A question about what someone can do ("could Google supply it?") or whether the articles
    # name them ("is Google mentioned?"), not about what they did.
    ability_cues: tuple[re.Pattern[str], ...] = ()
    # A sentence that speaks to the bot ("you", "dimmi") or adds a request ("also ...", "e già che
    # ci sei ..."): never an aside to set aside, even when it does not ask.
    request_cues: tuple[re.Pattern[str], ...] = ()
    first_person: frozenset[str] = frozenset()  # "our CISO will ask": the asker speaks of their own
    # The asker's acquaintances, named with a title ("la signora Pina", "aunt Rosa"), and the words
    # after a name by which the asker names themselves ("Jess here"): people of the asker's world.
    person_titles: frozenset[str] = frozenset()
    checking_words: frozenset[str] = frozenset()  # "can you confirm...": no topic of a figure to check
    self_naming: frozenset[str] = frozenset()
    # A clause in which the asker introduces themselves ("sono Marta dello studio Ferri", "Kevin,
    # audit side"), group `name`: the names in it are the asker's world, not a topic.
    introduction_cues: tuple[re.Pattern[str], ...] = ()
    # Who told the asker what the message checks ("line cook heard it's...", "...? il microfonista
    # giura che è Jassy"), group `who`: those words are not what is asked, when `who` is someone
    # of the asker's world (``MessageReader.without_hearsay``).
    hearsay_cues: tuple[re.Pattern[str], ...] = ()
    # The asker's own likening, closing a question ("...? like the pass on a friday night?", ",
    # tipo quando..."): set aside when it says nothing the articles say.
    analogy_cues: tuple[re.Pattern[str], ...] = ()
    # What says what the question means ("...? names of the execs, I mean"): never a remark.
    clarification_cues: tuple[re.Pattern[str], ...] = ()
    # A sentence opening with the asker's own view ("feels like...", "mi sa che..."): a remark.
    view_openers: tuple[re.Pattern[str], ...] = ()
    # A question asking the bot's own opinion ("secondo te...?", "do you think...?"), and the words
    # that ask instead what the articles say ("article", "dice"): without them, it is refused.
    opinion_cues: tuple[re.Pattern[str], ...] = ()
    source_words: frozenset[str] = frozenset()
    # "Why AWS and not someone else?", "perché proprio AWS?": asks what sets something apart.
    contrast_cues: tuple[re.Pattern[str], ...] = ()
    # Where a question asking why one thing rather than others names the others ("...over
    # Google", "invece di Microsoft", "preferito Amazon *a* Google": group `cut` when present).
    contrast_markers: tuple[re.Pattern[str], ...] = ()
    # The verbs of choosing ("pick", "preferito"): all such a question may say besides names.
    choice_words: frozenset[str] = frozenset()
    # "...? lo chiedo perché al ministero...", "asking because our board...": why the asker asks.
    motive_cues: tuple[re.Pattern[str], ...] = ()
    # What a sentence that does not ask states, not asks: "I think", "because...", "readers who...".
    statement_cues: tuple[re.Pattern[str], ...] = ()


@cache
def language_data(language: str) -> LanguageData:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML has it
    raw = yaml.load((DATA_DIR / f"{language}.yaml").read_text(encoding="utf-8"), Loader=loader)
    return LanguageData(
        language=language,
        question_words=frozenset(raw["question_words"].split()),
        filler=frozenset(raw["filler"].split()),
        which_words=frozenset(raw["which_words"].split()),
        kind_words=frozenset(raw["kind_words"].split()),
        which_span=int(raw["which_span"]),
        agent_endings=tuple(raw["agent_endings"].split()),
        owner_links=frozenset((raw.get("owner_links") or "").split()),
        owner_marks=frozenset((raw.get("owner_marks") or "").split()),
        exclusion_cues=_compiled(raw.get("exclusion_cues") or []),
        having_verbs=frozenset((raw.get("having_verbs") or "").split()),
        possessives=frozenset((raw.get("possessives") or "").split()),
        attribute_words=frozenset((raw.get("attribute_words") or "").split()),
        answer_types=tuple(
            AnswerType(
                t["type"], _compiled(t["cues"]), frozenset(t.get("absorb") or ()), frozenset(t.get("roles") or ())
            )
            for t in raw["answer_types"]
        ),
        evidence={kind: _compiled(patterns) for kind, patterns in raw["evidence"].items()},
        instructions=_compiled(raw.get("instructions") or []),
        head_cues=_compiled(raw.get("head_cues") or []),
        head_stops=frozenset((raw.get("head_stops") or "").split()),
        head_last=bool(raw.get("head_last", True)),
        future_cues=_compiled(raw.get("future_cues") or []),
        asking_words=frozenset((raw.get("asking_words") or "").split()),
        exact_cues=_compiled(raw.get("exact_cues") or []),
        yes_no_cues=_compiled(raw.get("yes_no_cues") or []),
        interrogatives=frozenset((raw.get("interrogatives") or "").split()),
        interrogative_openers=frozenset((raw.get("interrogative_openers") or "").split()),
        choice_cues=_compiled(raw.get("choice_cues") or []),
        or_words=frozenset((raw.get("or_words") or "").split()),
        own_reading_openers=frozenset((raw.get("own_reading_openers") or "").split()),
        apostrophe_accents=dict(raw.get("apostrophe_accents") or {}),
        figure_suffixes={str(k).lower(): str(v) for k, v in (raw.get("figure_suffixes") or {}).items()},
        checked_date_cues=_compiled(raw.get("checked_date_cues") or []),
        stated_date_cues=_compiled(raw.get("stated_date_cues") or []),
        value_words=frozenset((raw.get("value_words") or "").split()),
        summary_cues=_compiled(raw.get("summary_cues") or []),
        summary_audience_cues=_compiled(raw.get("summary_audience_cues") or []),
        ability_cues=_compiled(raw.get("ability_cues") or []),
        request_cues=_compiled(raw.get("request_cues") or []),
        first_person=frozenset((raw.get("first_person") or "").split()),
        person_titles=frozenset((raw.get("person_titles") or "").split()),
        checking_words=frozenset((raw.get("checking_words") or "").split()),
        self_naming=frozenset((raw.get("self_naming") or "").split()),
        introduction_cues=_compiled(raw.get("introduction_cues") or []),
        hearsay_cues=_compiled(raw.get("hearsay_cues") or []),
        analogy_cues=_compiled(raw.get("analogy_cues") or []),
        clarification_cues=_compiled(raw.get("clarification_cues") or []),
        view_openers=_compiled(raw.get("view_openers") or []),
        opinion_cues=_compiled(raw.get("opinion_cues") or []),
        source_words=frozenset((raw.get("source_words") or "").split()),
        contrast_cues=_compiled(raw.get("contrast_cues") or []),
        contrast_markers=_compiled(raw.get("contrast_markers") or []),
        choice_words=frozenset((raw.get("choice_words") or "").split()),
        motive_cues=_compiled(raw.get("motive_cues") or []),
        statement_cues=_compiled(raw.get("statement_cues") or []),
        claim_cues={kind: _compiled(patterns) for kind, patterns in (raw.get("claim_cues") or {}).items()},
        casual={str(k).lower(): str(v or "") for k, v in (raw.get("casual") or {}).items()},
        everyday={str(k).lower(): str(v or "") for k, v in (raw.get("everyday") or {}).items()},
    )


def all_languages() -> tuple[LanguageData, ...]:
    return tuple(language_data(lang) for lang in SUPPORTED_LANGUAGES)


def _compiled(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
