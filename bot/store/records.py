"""What the store keeps and returns, and its errors: plain records, importable without SQLAlchemy
(a long-running process imports them before it connects, and opens the store only after)."""

from __future__ import annotations

from dataclasses import dataclass


class StoreError(Exception):
    """The database cannot be used; one line, safe to print (no password)."""


class StoreUnavailable(StoreError):
    """A query failed (database down, connection lost...): the caller degrades and goes on."""


@dataclass(frozen=True)
class Retention:
    """How long each kind of record is kept, in seconds (see ``Store.prune``)."""

    conversations: float = 30 * 86400
    events: float = 2 * 86400
    digests: float = 365 * 86400


@dataclass(frozen=True)
class Turn:
    role: str
    content: str
    language: str
    citations: tuple[str, ...] = ()
    engine: str = ""
    grounded: bool = True


@dataclass(frozen=True)
class RatedAnswer:
    id: str
    kind: str
    platform: str
    question: str
    answer: str
    citations: tuple[str, ...]
    language: str
    engine: str
    grounded: bool
    refused: bool
    channel: str = ""
    conversation_id: str = ""
    follow_ups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rating:
    """One person's feedback on one answer, with the answer it is about."""

    answer: RatedAnswer
    platform: str
    user_id: str
    rating: str
    reason: str
    created_at: float


@dataclass(frozen=True)
class Subscription:
    platform: str
    channel: str
    workspace: str
    time_of_day: str
    timezone: str
    language: str
    always: bool = False
    paused_reason: str = ""
    created_by: str = ""

    @property
    def paused(self) -> bool:
        return bool(self.paused_reason)


@dataclass(frozen=True)
class PublishedArticle:
    article_id: str
    version: str
    content: str
    removed: bool


@dataclass(frozen=True)
class DigestPost:
    platform: str
    channel: str
    local_date: str
    status: str
    message_id: str = ""
    detail: str = ""
    claimed_at: float = 0.0


@dataclass(frozen=True)
class AcceptedQuestion:
    """A question a process took on: enough to answer it and post the answer where it was asked."""

    key: str
    platform: str
    channel: str
    question: str
    conversation_id: str
    workspace: str = ""
    thread: str = ""
    placeholder: str = ""
    target: str = ""
    user_id: str = ""
    accepted_at: float = 0.0
    attempts: int = 1
    # A slash command's response_url: where the answer goes when the bot may not post in the
    # channel. It lets anyone post there for 30 minutes, so the store forgets it once the question ends.
    reply_url: str = ""
