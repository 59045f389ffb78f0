"""An answer split into claims, each with the passages *it* cites.

A claim is a sentence or a bullet. It is checked against the citation bracket that closes
it (the bracket after it in its sentence or bullet), or, for a bullet, its bullet's bracket:
never against the union of every citation in the answer. Short ids resolve inside a group
("[openai-aws/p9, p10]") and alone ("[p3]") when only one article has that passage.

The answer is also split into *units*: a bullet, or a stretch of a paragraph up to and
including its bracket. Claims that fail are dropped unit by unit, so what remains reads
as written.

``ClaimSplitter`` cuts a streamed answer into claims while it arrives (issue 13).
A claim is the shortest run of whole sentences that cites a passage, or a line (a bullet, a
paragraph's end). Sentences without a citation are carried into the next one, so "Mr." or a
sentence whose source is cited at the end of the next is never checked on its own. A sentence
counts as finished only when the text after it has started (and any citation right after its
full stop has arrived): a full stop at the end of the text so far may still be a decimal point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.knowledge.articles import KnowledgeBase

_GROUP = re.compile(r"\[([^\[\]]{1,200})\](?!\()")  # "[text](url)" is a link, not a citation
_ID_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:/[A-Za-z0-9_-]+)?")
_ADJACENT = re.compile(r"[\s,;]*")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")
_LABEL = re.compile(r"\s*(?:\*\*|__)([^*_\n]{1,60}?)[:：]?\s*(?:\*\*|__)\s*:?\s*")
_CITATION_LINE = re.compile(r"[\s.,;:()*_]*(?:[^\W\d_]+(?:\s+[^\W\d_]+)?\s*:)?[\s.,;:()*_]*")  # "Fonti:"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“«(]?[A-ZÀ-Ý0-9*])")


@dataclass(frozen=True)
class CitationGroup:
    start: int
    end: int
    cited: tuple[str, ...]  # as the model wrote them
    resolved: tuple[str, ...]  # existing passage ids
    unknown: tuple[str, ...]  # ids that name no passage


@dataclass
class Claim:
    text: str  # without citations, list marker and bold label
    label: str = ""  # a bullet's bold label ("Why"), framing rather than fact
    citations: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    intro: bool = False  # "Two things stand out:": introduces what follows
    unit: int = 0  # index of the removable unit it belongs to
    items_following: int = 0  # for an intro: bullets that follow it


@dataclass
class Unit:
    start: int
    end: int
    bullet: bool


@dataclass
class SplitAnswer:
    text: str
    claims: list[Claim] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    groups: list[CitationGroup] = field(default_factory=list)

    @property
    def cited(self) -> list[str]:
        """Every id the model cited, resolved where possible, in order of first appearance."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for cited, resolved in _pairs(group):
                seen.setdefault(resolved or cited, None)
        return list(seen)


def _pairs(group: CitationGroup):
    resolved = iter(group.resolved)
    unknown = set(group.unknown)
    for cited in group.cited:
        yield cited, (None if cited in unknown else next(resolved, None))


def citation_groups(text: str, knowledge: KnowledgeBase) -> list[CitationGroup]:
    """Citation brackets, adjacent ones ("[a][b]", "[a], [b]") merged into one group."""
    by_local = _local_ids(knowledge)
    raw = []
    for match in _GROUP.finditer(text):
        parts = [p.strip() for p in re.split(r"[,;]", match.group(1))]
        if not parts or not all(_ID_PART.fullmatch(p) for p in parts):
            continue
        if raw and _ADJACENT.fullmatch(text[raw[-1][1] : match.start()]):
            raw[-1] = (raw[-1][0], match.end(), raw[-1][2] + parts)
        else:
            raw.append((match.start(), match.end(), parts))
    groups = []
    for start, end, parts in raw:
        resolved, unknown, article = [], [], None
        for part in parts:
            passage_id = part if "/" in part else _resolve_short(part, article, by_local, knowledge)
            if passage_id and knowledge.passage(passage_id) is not None:
                resolved.append(passage_id)
                article = passage_id.split("/")[0]
            else:
                unknown.append(part)
        groups.append(CitationGroup(start, end, tuple(parts), tuple(dict.fromkeys(resolved)), tuple(unknown)))
    return groups


_LOCAL_IDS: dict[int, tuple[KnowledgeBase, dict[str, list[str]]]] = {}


def _local_ids(knowledge: KnowledgeBase) -> dict[str, list[str]]:
    """``{"p3": ["openai-aws/p3"], ...}``, built once per knowledge base."""
    cached = _LOCAL_IDS.get(id(knowledge))
    if cached is None or cached[0] is not knowledge:
        by_local: dict[str, list[str]] = {}
        for passage in knowledge.passages:
            by_local.setdefault(passage.local_id, []).append(passage.id)
        cached = _LOCAL_IDS[id(knowledge)] = (knowledge, by_local)
    return cached[1]


def _resolve_short(local: str, article: str | None, by_local: dict, knowledge: KnowledgeBase) -> str | None:
    if article and knowledge.passage(f"{article}/{local}") is not None:
        return f"{article}/{local}"
    found = by_local.get(local, [])
    return found[0] if len(found) == 1 else None


def split_answer(text: str, knowledge: KnowledgeBase) -> SplitAnswer:
    answer = SplitAnswer(text, groups=citation_groups(text, knowledge))
    groups = answer.groups
    position = 0
    lines = []
    for line in text.split("\n"):
        lines.append((position, position + len(line), line))
        position += len(line) + 1
    pending: list[Claim] = []  # claims of the previous line still waiting for a bracket
    for number, (start, end, line) in enumerate(lines):
        if not line.strip():
            continue
        line_groups = [g for g in groups if start <= g.start and g.end <= end]
        rest = _without(line, start, line_groups)
        if line_groups and _CITATION_LINE.fullmatch(rest):  # "[p3, p12]" or "Sources: [p3]" on its own line
            if pending and line_groups:
                for claim in pending:
                    claim.citations, claim.unknown = _merge(line_groups)
                answer.units[pending[0].unit].end = end
            pending = []
            continue
        pending = _split_line(answer, number, start, end, line, line_groups, lines)
    return answer


def _split_line(answer, number, start, end, line, line_groups, lines) -> list[Claim]:
    bullet = _BULLET.match(line)
    body_start = start + (bullet.end() if bullet else 0)
    label = ""
    label_match = _LABEL.match(answer.text, body_start, end) if bullet or not line_groups else None
    if label_match and label_match.group(1).strip():
        label = label_match.group(1).strip()
        body_start = label_match.end()
    if bullet:
        answer.units.append(Unit(start, end, True))
        unit = len(answer.units) - 1
        citations, unknown = _merge(line_groups)
        text = _without(answer.text[body_start:end], body_start, line_groups)
        claims = [Claim(s, label, citations, unknown, unit=unit) for s in _sentences(text)]
        for claim in claims:
            claim.intro = claim.text.rstrip().endswith(":")
        if claims and claims[-1].intro:
            claims[-1].items_following = _bullets_after(lines, number)
        answer.claims.extend(claims)
        return [] if line_groups else claims
    pieces = []
    cursor = body_start
    for group in line_groups:
        pieces.append((cursor, group.start, group))
        cursor = group.end
    if answer.text[cursor:end].strip():
        pieces.append((cursor, end, None))
    waiting: list[Claim] = []
    previous_group = None
    for piece_start, piece_end, group in pieces:
        text = answer.text[piece_start:piece_end]
        if not re.search(r"[^\W_]", text):
            if answer.units and group is None:
                answer.units[-1].end = piece_end  # trailing punctuation belongs to the unit before
            continue
        answer.units.append(Unit(piece_start, group.end if group else piece_end, False))
        unit = len(answer.units) - 1
        use = group or previous_group  # a trailing remark is read against the bracket before it
        citations, unknown = _merge([use] if use else [])
        for sentence in _sentences(text):
            claim = Claim(sentence, label, citations, unknown, unit=unit)
            claim.intro = sentence.rstrip().endswith(":")
            if claim.intro and sentence is not None:
                claim.items_following = _bullets_after(lines, number)
            answer.claims.append(claim)
            if use is None and not claim.intro:
                waiting.append(claim)
        label = ""
        previous_group = group or previous_group
    return waiting


def _merge(groups) -> tuple[tuple[str, ...], tuple[str, ...]]:
    resolved = tuple(dict.fromkeys(i for g in groups for i in g.resolved))
    unknown = tuple(dict.fromkeys(i for g in groups for i in g.unknown))
    return resolved, unknown


def _without(text: str, offset: int, groups: list[CitationGroup]) -> str:
    """``text`` (which starts at ``offset`` in the answer) with the citation groups blanked."""
    chars = list(text)
    for group in groups:
        for i in range(max(group.start - offset, 0), min(group.end - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if re.search(r"[^\W_]", s)]


def _bullets_after(lines, number: int) -> int:
    count = 0
    for _, _, line in lines[number + 1 :]:
        if not line.strip():
            if count:
                break
            continue
        if not _BULLET.match(line):
            break
        count += 1
    return count


_STREAM_END = re.compile(r"[.!?…](?=\s)|\n")
_CITATION = re.compile(r"\[[^\[\]\n]{1,200}\]")
_TRAILING = re.compile(r"(?:[ \t]*\[[^\[\]\n]{1,200}\])+[.!?…]?")


class ClaimSplitter:
    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, piece: str) -> list[str]:
        """Add the next piece of text; return the claims it completed, in order."""
        self._buffer += piece
        claims = []
        while (claim := self._next_claim()) is not None:
            claims.append(claim)
        return claims

    def flush(self) -> list[str]:
        """The rest, once the answer is complete."""
        rest, self._buffer = self._buffer, ""
        return [rest] if rest.strip() else []

    def _next_claim(self) -> str | None:
        start = 0
        while match := _STREAM_END.search(self._buffer, start):
            if match.group() == "\n":
                end = match.end()
            else:
                end = self._after_sentence(match.end())
                if end is None:
                    return None  # what follows the full stop has not arrived yet
            while end < len(self._buffer) and self._buffer[end] in " \t\n":
                end += 1  # the separator stays with the claim, so claims joined give back the text
            candidate = self._buffer[:end]
            if match.group() == "\n" or _CITATION.search(candidate):
                if end == len(self._buffer) and match.group() != "\n":
                    return None  # the next sentence has not started: a citation may still follow
                self._buffer = self._buffer[end:]
                return candidate
            start = end  # no citation yet: the next sentence joins this claim
        return None

    def _after_sentence(self, position: int) -> int | None:
        """Where the sentence ending at ``position`` really ends: after citations that follow
        its full stop ("... billion. [a/p3]"); None while that cannot be told yet."""
        rest = self._buffer[position:]
        stripped = rest.lstrip(" \t")
        if not stripped:
            return None
        if not stripped.startswith("["):
            return position
        trailing = _TRAILING.match(rest)
        if trailing is None:
            return None if "]" not in rest and "\n" not in rest else position
        end = position + trailing.end()
        return end if end < len(self._buffer) else None
