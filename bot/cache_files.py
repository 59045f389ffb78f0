"""Derived data files kept in the user's cache folder (``$XDG_CACHE_HOME/briefbot`` or
``~/.cache/briefbot``): built once from a package's own data, then only read."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefbot"


def cached_file(path: Path, build: Callable[[Path], None]) -> Path | None:
    """``path``, built with ``build(temporary_path)`` when missing; None when it cannot be
    written (the caller then builds what it needs in memory)."""
    if path.exists():
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Built aside and renamed: processes starting together never read a half-written file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(handle)
    except OSError as error:
        logger.warning("cannot write the cache file %s (%s)", path, error.strerror)
        return None
    try:
        build(Path(temporary))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path
