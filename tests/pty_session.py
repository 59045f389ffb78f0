"""Drive a program in a pseudo-terminal, as a person at a keyboard would (a small ``pexpect``)."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]|\r")


class PtySession:
    def __init__(self, argv: list[str], *, env: dict[str, str], cwd: str) -> None:
        self._master, slave = pty.openpty()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env={**env, "TERM": "xterm"}, cwd=cwd,
            start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.raw = b""  # everything the program wrote, escape codes included
        self._seen = 0  # how much of ``text`` earlier expectations consumed

    @property
    def text(self) -> str:
        """What the terminal shows, escape sequences and carriage returns removed."""
        return _ANSI.sub("", self.raw.decode("utf-8", "replace"))

    def send(self, keys: str) -> None:
        os.write(self._master, keys.encode())

    def expect(self, pattern: str, *, timeout: float = 30.0) -> str:
        """Wait until ``pattern`` (a regex) appears after what earlier calls matched; returns
        the text from there up to the match's end."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.text[self._seen :])
            if found:
                start, self._seen = self._seen, self._seen + found.end()
                return self.text[start : self._seen]
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"{pattern!r} never appeared; the terminal shows:\n{self.text[self._seen:]}")

    def wait(self, timeout: float = 30.0) -> int:
        """Wait for the program to end, reading what it still writes."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        while self._read(0.05):
            pass
        return self.process.wait(timeout=max(0.1, deadline - time.monotonic()))

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self._master)

    def _read(self, timeout: float) -> bool:
        if timeout <= 0:
            return False
        ready, _, _ = select.select([self._master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # the program closed the terminal
            return False
        self.raw += chunk
        return bool(chunk)
