"""The platform seam: what a chat platform implements, and the paths every platform shares.

A platform lives in one folder, ``bot/platforms/<name>/``, and is listed once in
``bot.platforms.registry.PLATFORMS``. The command line, ``briefbot serve`` and the digest loop
only ever talk to it through ``Platform``. Inside its folder a platform keeps its own client,
listeners, rendering and posting, and uses the shared paths below:

- ``answer_or_busy``: one core call per question, rendered, or the one busy text if the core fails;
- ``conversation_id``: where a conversation lives, prefixed with the platform's name;
- ``bot.digest.chat_command.digest_commands``: the ``/digest`` command's logic (the platform wires
  its own slash command to it and decides who may manage a channel);
- its ``DigestPoster``, built on the same "post a reply with its continuation" the answers use.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Protocol, TypeVar

from bot.language.phrases import BUSY_TEXT

if TYPE_CHECKING:  # kept out of the import so that ``briefbot --help`` stays light
    from bot.answers.reply import Reply
    from bot.config import Settings
    from bot.digest.posters import ChannelPacer, DigestPoster

Part = TypeVar("Part")

log = logging.getLogger(__name__)


class Platform(Protocol):
    name: str  # "slack": its digest subscriptions' key, its conversation ids' prefix, its command
    title: str  # "Slack", in log lines
    run_hint: str  # the settings that let it run, e.g. "DISCORD_TOKEN", for "nothing to serve" errors
    post_hint: str  # the settings that let it post digests

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """The options of ``briefbot <name>``, which runs this platform alone."""

    def not_runnable(self, settings: Settings) -> str | None:
        """None when the settings are enough to run the bot here; else one line saying what is missing."""

    def can_post(self, settings: Settings) -> bool:
        """Whether the settings are enough to post digests (through the platform's API, no bot running)."""

    async def run(self, settings: Settings, briefer, options: argparse.Namespace) -> None:
        """Answer on the platform until cancelled; start-up problems raise ``ConfigError`` (one line).
        ``options`` holds ``add_arguments``' options; ``briefbot serve`` passes their defaults plus
        ``host`` and ``port``."""

    def digest_poster(self, settings: Settings, pacer: ChannelPacer) -> AbstractAsyncContextManager[DigestPoster]:
        """A poster for the digest loop, open for the life of the block."""


def conversation_id(platform: str, *where: str | int) -> str:
    """The store's key of a conversation: ``slack:T1:C1:1700000000.1``, ``discord:dm:42``."""
    return ":".join((platform, *(str(part) for part in where)))


async def answer_or_busy(
    call: Callable[[], Awaitable[Reply]],
    render_reply: Callable[[Reply], list[Part]],
    render_text: Callable[[str], list[Part]],
) -> tuple[Reply | None, list[Part]]:
    """Run one core call and render its reply as the platform's message parts. A failing core
    (a bug, the database down) gives no reply and the busy text instead, never a traceback."""
    try:
        reply = await call()
    except Exception:
        log.exception("the core failed to answer; sending the busy text")
        return None, render_text(BUSY_TEXT)
    return reply, render_reply(reply) or render_text(BUSY_TEXT)
