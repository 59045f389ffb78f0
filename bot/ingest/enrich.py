"""What a model adds to an ingested article, each piece checked before it is written:

- a translation of every passage into the other supported language. Checked against the
  original: the same numbers both ways (by value: "sette anni" = "seven years"), names kept,
  and a name the original does not hold accepted only in place of one of the original's
  own that the translation renders in its language ("IA" -> "AI"). A failing translation is
  asked for once more, then left out and reported;
- 3 to 6 key points, each checked as a claim by the grounding verifier against the passages it
  cites (in each of its languages).

Without a model, or for what fails, the key points are the article's lead sentences.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.engines.model.chat_model import ChatModel, ModelError
from bot.engines.model.prompts import PromptTemplate
from bot.grounding import Claim, check_claim
from bot.grounding.checks import names_in
from bot.grounding.quantities import Quantity, read
from bot.knowledge.articles import SUPPORTED_LANGUAGES, KnowledgeBase, parse_article_data
from bot.language.languages import LANGUAGE_NAMES
from bot.language.text import words

MIN_POINTS, MAX_POINTS = 3, 6
TRANSLATION_ATTEMPTS = 2  # the first try and one retry
PARALLEL_REQUESTS = 4

log = logging.getLogger(__name__)


@dataclass
class Enrichment:
    report: list[str] = field(default_factory=list)


def other_languages(language: str) -> list[str]:
    return [lang for lang in SUPPORTED_LANGUAGES if lang != language]


def translation_problems(original: str, translation: str, source: str, target: str) -> list[str]:
    original_numbers, translated_numbers = read(original, source).quantities, read(translation, target).quantities
    problems = [f"adds the number {n}" for n in _missing(translation, translated_numbers, original_numbers)]
    problems += [f"drops the number {n}" for n in _missing(original, original_numbers, translated_numbers)]
    original_words, translated_words = set(words(original)), set(words(translation))
    added = [n for n in names_in(translation, target) if n.lower() not in original_words]
    rendered = [n for n in names_in(original, source) if n.lower() not in translated_words]
    if len(added) > len(rendered):
        problems.append(f"names what the original does not: {', '.join(added)}")
    return problems


def _missing(text: str, stated: tuple[Quantity, ...], other: tuple[Quantity, ...]) -> list[str]:
    """The quantities of ``text`` (as written there) that ``other`` lacks, by value and unit."""
    return [text[q.start : q.end] for q in stated if not any(q.matches(o) for o in other)]


class Enricher:
    def __init__(self, model: ChatModel, prompts_dir: Path) -> None:
        self.model = model
        self.templates = {
            name: PromptTemplate(name, (prompts_dir / f"ingest_{name}.txt").read_text(encoding="utf-8"))
            for name in ("translate", "key_points")
        }
        self._slots = asyncio.Semaphore(PARALLEL_REQUESTS)

    async def translate_passages(self, passages: list[dict], language: str, report: list[str]) -> None:
        """Fill each passage's missing translations in place; failures are reported."""
        jobs = [(p, target) for p in passages for target in other_languages(language) if not p.get(target)]
        results = await asyncio.gather(*(self.translate(p[language], language, t) for p, t in jobs))
        for (passage, target), (text, problem) in zip(jobs, results, strict=True):
            if text:
                passage[target] = text
            else:
                report.append(f"translation of {passage['id']} into {target} left out: {problem}")

    async def translate(self, text: str, source: str, target: str) -> tuple[str, str]:
        system = self.templates["translate"].render(
            source_name=LANGUAGE_NAMES[source], target_name=LANGUAGE_NAMES[target]
        )
        problem = ""
        for _ in range(TRANSLATION_ATTEMPTS):
            try:
                async with self._slots:
                    answer = await self.model.complete(
                        [{"role": "system", "content": system}, {"role": "user", "content": text}],
                        max_tokens=max(200, len(text)),
                    )
            except ModelError as error:
                problem = str(error)
                continue
            answer = " ".join(answer.split())
            problems = translation_problems(text, answer, source, target) if answer else ["empty answer"]
            if not problems:
                return answer, ""
            problem = "; ".join(problems)
        return "", problem

    async def key_points(self, data: dict, report: list[str]) -> list[dict]:
        """3-6 verified key points from the model; [] when it gives fewer than 3 good ones."""
        languages = [data["language"], *other_languages(data["language"])]
        example = ", ".join(f'"{lang}": "..."' for lang in languages) + ', "cite": ["p3"]'
        lines = []
        for passage in data["passages"]:
            lines.append(f"[{passage['id']}] {passage[data['language']]}")
            lines += [f"    ({lang}) {passage[lang]}" for lang in languages[1:] if passage.get(lang)]
        prompt = self.templates["key_points"].render(
            language_names=" and ".join(f"{LANGUAGE_NAMES[lang]} ({lang})" for lang in languages),
            example=example, title=data["title"], passages="\n".join(lines),
        )  # fmt: skip
        try:
            async with self._slots:
                answer = await self.model.complete([{"role": "user", "content": prompt}], max_tokens=1200)
        except ModelError as error:
            report.append(f"key points: the model failed ({error}); the lead sentences are used instead")
            return []
        points = _checked_points(answer, data, languages, report)
        if len(points) < MIN_POINTS:
            report.append(f"key points: only {len(points)} of the model's points passed the checks; "
                          "the lead sentences are used instead")  # fmt: skip
            return []
        return points[:MAX_POINTS]


def _checked_points(answer: str, data: dict, languages: list[str], report: list[str]) -> list[dict]:
    try:
        items = json.loads(re.sub(r"^```(?:json)?\s*|\s*```$", "", answer.strip()))
    except ValueError:
        report.append("key points: the model's answer is not JSON")
        return []
    if not isinstance(items, list):
        report.append("key points: the model's answer is not a list")
        return []
    knowledge = KnowledgeBase((parse_article_data(data, version="draft"),))
    known = {p["id"] for p in data["passages"]}
    points = []
    for number, item in enumerate(items, start=1):
        cite = item.get("cite") if isinstance(item, dict) else None
        if not isinstance(cite, list) or not cite or not all(str(c) in known for c in cite):
            report.append(f"key point {number} left out: it cites no passage of the article")
            continue
        texts = {lang: " ".join(str(item[lang]).split()) for lang in languages if isinstance(item.get(lang), str)}
        ids = tuple(f"{data['id']}/{c}" for c in cite)
        checked = [check_claim(Claim(text, citations=ids), lang, knowledge) for lang, text in texts.items()]
        problems = [p for result in checked for p in result.problems]
        if data["language"] not in texts or problems:  # one line per reason
            report += [f"key point {number} left out: {p}" for p in problems or ["no text in the article language"]]
            continue
        points.append({"cite": [str(c) for c in cite], **texts})
    return points


def lead_points(data: dict, lead_ids: set[str]) -> list[dict]:
    """The opening sentence of each body paragraph (then the next sentences), up to six."""
    body = [p for p in data["passages"] if p.get("role", "body") == "body"]
    chosen = [p for p in body if p["id"] in lead_ids][:MAX_POINTS]
    if len(chosen) < MIN_POINTS:
        chosen += [p for p in body if p not in chosen][: MIN_POINTS - len(chosen)]
    chosen.sort(key=body.index)
    languages = [data["language"], *other_languages(data["language"])]
    return [{"cite": [p["id"]], **{lang: p[lang] for lang in languages if p.get(lang)}} for p in chosen]
