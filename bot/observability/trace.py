"""The timings and token counts of the question being answered now, gathered from the layers
that see them (model guard, model client, verifier) without passing them up every call.

A ``ContextVar``: each answer runs in its own task, so concurrent answers never mix.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class AnswerTrace:
    model_seconds: float = 0.0
    verification_seconds: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0


_current: ContextVar[AnswerTrace | None] = ContextVar("briefbot_answer_trace", default=None)


def start_trace() -> AnswerTrace:
    """A fresh trace for the answer starting in this task (what the core calls first)."""
    trace = AnswerTrace()
    _current.set(trace)
    return trace


def current_trace() -> AnswerTrace | None:
    return _current.get()


def add_tokens(tokens_in: int, tokens_out: int) -> None:
    trace = _current.get()
    if trace is not None:
        trace.tokens_in += tokens_in
        trace.tokens_out += tokens_out


@contextmanager
def timed(histogram, attribute: str) -> Iterator[None]:
    """Observe the block's duration in ``histogram`` and add it to the current trace's ``attribute``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        observe(histogram, attribute, time.perf_counter() - started)


def observe(histogram, attribute: str, seconds: float) -> None:
    histogram.observe(seconds)
    trace = _current.get()
    if trace is not None:
        setattr(trace, attribute, getattr(trace, attribute) + seconds)
