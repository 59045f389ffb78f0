"""Deterministic synthetic articles for the knowledge-scale benchmark and tests.

Article ``n`` is the same on every machine and run: a made-up company, person, product and
city (names built from syllables, unique per article), ten facts from templates written in
Italian and English, and a date. Two articles in three are Italian, one in three English;
each passage carries its translation, like ingested articles do with a model.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from bot.ingest.knowledge_file import render_knowledge_file

_SYLLABLES = "ka lo mi ra ven tor zu bel dax ny qui sor pel mar tin gro vek lum hal fer".split()  # noqa: SIM905
_FACTS = [
    ("{company} ha annunciato un investimento di {money} milioni di euro a {city}.",
     "{company} announced an investment of {money} million euros in {city}."),
    ("Il CEO di {company}, {person}, ha detto che {product} arriverà nel {year}.",
     "{company}'s CEO, {person}, said that {product} will arrive in {year}."),
    ("Il nuovo impianto di {city} darà lavoro a {staff} persone.",
     "The new plant in {city} will employ {staff} people."),
    ("{product} consuma il {saving} per cento di energia in meno rispetto al modello precedente.",
     "{product} uses {saving} percent less energy than the previous model."),
    ("Secondo {person}, la domanda di {product} è cresciuta in tutta Europa.",
     "According to {person}, demand for {product} has grown across Europe."),
    ("I primi clienti di {product} sono ospedali e università di {city}.",
     "The first customers of {product} are hospitals and universities in {city}."),
    ("{company} prevede ricavi per {revenue} miliardi di euro entro il {year}.",
     "{company} expects revenue of {revenue} billion euros by {year}."),
    ("L'autorità garante esaminerà l'accordo tra {company} e {partner} entro {months} mesi.",
     "The regulator will review the deal between {company} and {partner} within {months} months."),
    ("{partner} fornirà i chip per {product} a partire dal {year}.",
     "{partner} will supply the chips for {product} starting in {year}."),
    ("Gli analisti giudicano prudente il piano di {company} per {city}.",
     "Analysts consider {company}'s plan for {city} prudent."),
]  # fmt: skip
_TITLE = (
    "{company} investe {money} milioni a {city} per {product}",
    "{company} invests {money} million in {city} for {product}",
)


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def article_data(n: int) -> dict:
    rng = random.Random(n)
    slots = {
        "company": f"{_name(rng, 2)}{n}", "partner": f"{_name(rng, 2)}tek{n}",
        "person": f"{_name(rng, 2)} {_name(rng, 3)}",
        "product": f"{_name(rng, 2).upper()}-{n}", "city": _name(rng, 3), "money": rng.randint(10, 900),
        "staff": rng.randint(50, 5000), "saving": rng.randint(5, 60), "revenue": rng.randint(1, 40),
        "months": rng.randint(2, 18), "year": rng.randint(2026, 2030),
    }  # fmt: skip
    language = "en" if n % 3 == 2 else "it"
    other = "it" if language == "en" else "en"
    index = 0 if language == "it" else 1
    title = _TITLE[index].format(**slots)
    passages = [{"id": "p1", "role": "title", language: title, other: _TITLE[1 - index].format(**slots)}]
    for number, fact in enumerate(_FACTS, start=2):
        passages.append(
            {"id": f"p{number}", language: fact[index].format(**slots), other: fact[1 - index].format(**slots)}
        )
    return {
        "id": f"synthetic-{n:05d}",
        "title": title,
        f"title_{other}": passages[0][other],
        "language": language,
        "published": dt.date(2025, 1, 1) + dt.timedelta(days=n),
        "tags": ["synthetic"],
        "source": f"synthetic article {n}",
        "key_points": [{"cite": [p["id"]], language: p[language], other: p[other]} for p in passages[1:4]],
        "passages": passages,
    }


def article_text(n: int) -> str:
    """Article ``n`` as a plain-text source in the seed's shape, for timing ingest."""
    data = article_data(n)
    language = data["language"]
    body = [p[language] for p in data["passages"][1:]]
    paragraphs = [" ".join(body[i : i + 2]) for i in range(0, len(body), 2)]
    date = data["published"].isoformat()
    return "\n\n".join([data["title"], "TAGS: SYNTHETIC", date, *paragraphs]) + "\n"


def write_articles(folder: Path, count: int, *, start: int = 0) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for n in range(start, start + count):
        data = article_data(n)
        content = render_knowledge_file(data, origin="bench/synthetic.py", today=dt.date(2026, 1, 1))
        (folder / f"{data['id']}.yaml").write_text(content, encoding="utf-8")
        ids.append(data["id"])
    return ids
