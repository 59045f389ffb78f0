"""Logging set-up for every command, in one place.

``BRIEFBOT_LOG_LEVEL`` (DEBUG, INFO, WARNING, ERROR) overrides the command's default level
(ERROR for one-shot commands such as ``ask``, INFO for long-running ones).
"""

from __future__ import annotations

import logging

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings, default_level: int = logging.ERROR) -> None:
    level = getattr(logging, settings.log_level) if settings.log_level else default_level
    logging.basicConfig(level=level, format=FORMAT, force=True)
