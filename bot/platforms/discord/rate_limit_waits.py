"""Discord's 429 waits, for ``briefbot_rate_limit_waits``.

discord.py waits out a 429 inside its HTTP client and offers no hook for it; the one sign is
the warning it logs ("... responded with 429. Retrying in N seconds."). A filter on that
logger counts those records. Its wording is discord.py's: ``tests/test_process_metrics.py``
drives a real 429 through discord.py, so an upgrade that changes it fails there, not silently.
"""

from __future__ import annotations

import logging

from bot.observability.metrics import rate_limit_waited

DISCORD_HTTP_LOGGER = "discord.http"
RETRY_FORMAT = "We are being rate limited. %s %s responded with 429. Retrying in %.2f seconds."


class RateLimitWaits(logging.Filter):
    """Counts the 429 waits; lets through only what the configured level would have let through
    (the logger is lowered to WARNING so that the warning is made at all)."""

    def __init__(self, floor: int) -> None:
        super().__init__()
        self.floor = floor

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == RETRY_FORMAT and len(record.args or ()) == 3:
            rate_limit_waited("discord", float(record.args[2]))
        return record.levelno >= self.floor


def count_rate_limit_waits() -> None:
    """Count discord.py's 429 waits from now on (once per process; call after logging is set up)."""
    logger = logging.getLogger(DISCORD_HTTP_LOGGER)
    if any(isinstance(f, RateLimitWaits) for f in logger.filters):
        return
    floor = logger.getEffectiveLevel()
    logger.addFilter(RateLimitWaits(floor))
    logger.setLevel(min(floor, logging.WARNING))
