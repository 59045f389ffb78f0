"""What the core hands back to every platform: text, citations and how it was made."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.language.languages import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Citation:
    """One cited passage: its stable id, the quoted source text and where it comes from."""

    id: str
    quote: str
    article_title: str = ""
    published: str = ""  # ISO date of the article, e.g. "2025-11-04"
    source: str = ""


@dataclass(frozen=True)
class Reply:
    """A briefing or an answer, ready to be formatted by an adapter.

    ``text`` is light Markdown (``**bold**``, ``- `` bullets, ``[1]`` markers that
    point into ``citations`` by position, starting at 1).
    """

    text: str
    citations: tuple[Citation, ...] = ()
    language: str = DEFAULT_LANGUAGE
    engine: str = "offline"
    refused: bool = False
    grounded: bool = True
    notice: str = ""  # e.g. "the model was unavailable: answered from the article"
    follow_ups: tuple[str, ...] = ()  # questions to offer next, all ones the knowledge answers
    extras: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        """The `--json` object of `briefbot ask` and `brief` (README.md, "Commands")."""
        return {
            "answer": self.text,
            "citations": [{"id": c.id, "quote": c.quote} for c in self.citations],
            "refused": self.refused,
            "language": self.language,
            "engine": self.engine,
            "grounded": self.grounded,
            "verification": self.extras.get("verification", {"checked": False}),
        }
