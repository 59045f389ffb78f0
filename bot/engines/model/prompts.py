"""Prompt templates kept as files in ``prompts/``, with named ``$variables``.

A variable the template uses but the caller did not give is an error, never a blank
(the same contract as simonw/llm's templates).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

TEMPLATE_NAMES = ("system", "answer", "brief", "digest")


class MissingVariables(Exception):
    """A template was rendered without some of the variables it names."""


class PromptError(Exception):
    """The prompts folder lacks a template; one line, safe to print."""


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    source: str

    @property
    def variables(self) -> set[str]:
        found = set()
        for _, named, braced, _ in string.Template.pattern.findall(self.source):
            if named or braced:
                found.add(named or braced)
        return found

    def render(self, **values: str) -> str:
        missing = self.variables - values.keys()
        if missing:
            raise MissingVariables(f"prompt {self.name!r} needs: {', '.join(sorted(missing))}")
        return string.Template(self.source).substitute(values)


@dataclass(frozen=True)
class Prompts:
    templates: dict[str, PromptTemplate]

    def __getitem__(self, name: str) -> PromptTemplate:
        return self.templates[name]


def load_prompts(folder: Path) -> Prompts:
    templates = {}
    for name in TEMPLATE_NAMES:
        path = folder / f"{name}.txt"
        if not path.is_file():
            raise PromptError(f"prompt template missing: {path}")
        templates[name] = PromptTemplate(name, path.read_text(encoding="utf-8"))
    return Prompts(templates)
