"""Logging set-up for every command, in one place.

``BRIEFBOT_LOG_LEVEL`` (DEBUG, INFO, WARNING, ERROR) overrides the command's default level
(ERROR for one-shot commands such as ``ask``, INFO for long-running ones).
``BRIEFBOT_LOG_FORMAT``: ``text`` (default, one readable line per record, extra fields as
``key=value`` after the message) or ``json`` (one JSON object per line: time, level, logger,
message, the extra fields, and the traceback as ``exc_info`` when there is one). The standard
library does this in a few lines: no dependency for it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Every attribute a LogRecord has of its own: what is left are the fields passed with ``extra=``.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def extra_fields(record: logging.LogRecord) -> dict:
    return {k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS and not k.startswith("_")}


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = extra_fields(record)
        if not extra:
            return line
        head, newline, tail = line.partition("\n")  # a traceback stays below the fields
        pairs = " ".join(f"{k}={json.dumps(v, ensure_ascii=False, default=str)}" for k, v in extra.items())
        return f"{head} {pairs}{newline}{tail}"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in extra_fields(record).items():
            entry.setdefault(key, value)  # an extra field never hides one of the four above
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure_logging(settings, default_level: int = logging.ERROR) -> None:
    level = getattr(logging, settings.log_level) if settings.log_level else default_level
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(getattr(settings, "log_format", "text")))
    logging.basicConfig(level=level, handlers=[handler], force=True)
