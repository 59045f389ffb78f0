"""Every sentence the bot itself says (not the article), in each supported language."""

from __future__ import annotations

from bot.language.languages import SUPPORTED_LANGUAGES

_MESSAGES = {
    "not_covered": {
        "it": "L'articolo non lo dice: non posso rispondere senza inventare.",
        "en": "The article doesn't say, so I can't answer without guessing.",
    },
    "scope": {
        "it": "Posso parlare solo di: {titles}.",
        "en": "I can only speak about: {titles}.",
    },
    "article_says": {"it": "L'articolo dice{note}:", "en": "The article says{note}:"},
    "also": {"it": "E inoltre{note}:", "en": "It also says{note}:"},
    "translated_from": {"it": " (tradotto dall'{original})", "en": " (translated from {original})"},
    "untranslated": {
        "it": " (in {original}: non ne ho ancora una traduzione)",
        "en": " (in {original}: no translation yet)",
    },
    "name_it": {"it": "italiano", "en": "Italian"},
    "name_en": {"it": "inglese", "en": "English"},
    "and_more": {"it": "e altri {count} articoli", "en": "and {count} more articles"},
    "empty_question": {
        "it": "Fammi una domanda sull'articolo, per esempio: «Quanto vale l'accordo?»",
        "en": "Ask me a question about the article, for example: \"How much is the deal worth?\"",
    },
    "too_long": {
        "it": "La domanda è troppo lunga ({length} caratteri, massimo {limit}): accorciala, per favore.",
        "en": "That question is too long ({length} characters, at most {limit}): please shorten it.",
    },
    "model_unavailable": {
        "it": "Il modello non è raggiungibile: rispondo con le parole dell'articolo.",
        "en": "The model is unavailable: answering with the article's own words.",
    },
    "not_verified": {
        "it": "Non sono riuscito a verificare la risposta del modello, quindi ecco cosa dice l'articolo:",
        "en": "I couldn't verify the model's answer, so here is what the article says:",
    },
    "not_verified_refusal": {
        "it": "Non sono riuscito a verificare la risposta del modello.",
        "en": "I couldn't verify the model's answer.",
    },
    "trimmed": {
        "it": "Ho tolto una parte della risposta che l'articolo non conferma.",
        "en": "I left out part of the answer that the article doesn't support.",
    },
    "model_stopped": {
        "it": "Il modello si è interrotto a metà risposta: quanto sopra è verificato.",
        "en": "The model stopped mid-answer: what is above is verified.",
    },
    "claims_dropped": {
        "it": "Ho omesso {count} affermazioni del modello che l'articolo non conferma.",
        "en": "I left out {count} of the model's statements that the article does not confirm.",
    },
    "internal_error": {
        "it": "Qualcosa non ha funzionato dalla mia parte: rispondo con le parole dell'articolo.",
        "en": "Something went wrong on my side: answering with the article's own words.",
    },
    "rate_limited": {
        "it": "Hai fatto più di {limit} domande in un minuto: riprova tra {seconds} s.",
        "en": "You've asked more than {limit} questions in a minute: please try again in {seconds} s.",
    },
    "briefing_title": {"it": "Il punto", "en": "Briefing"},
    "digest_title": {"it": "Il digest di oggi", "en": "Today's digest"},
    "no_news": {"it": "Nessuna novità da segnalare.", "en": "No new developments."},
    "follow_ups_terminal": {"it": "Puoi chiedere (scrivi il numero):", "en": "You could ask (type its number):"},
    "busy": {
        "it": "Sono sovraccarico in questo momento: riprova tra poco.",
        "en": "I'm overloaded right now: please try again in a moment.",
    },
}


def message(key: str, language: str, **values: object) -> str:
    texts = _MESSAGES[key]
    return texts.get(language, texts["en"]).format(**values)


def in_every_language(key: str) -> str:
    """One of the bot's sentences in every supported language, for when the reader's is unknown."""
    return " / ".join(message(key, language) for language in SUPPORTED_LANGUAGES)


# Shown when the core itself fails (a bug, the database down): the model failing never gets here,
# the core falls back to the offline engine.
BUSY_TEXT = in_every_language("busy")
