"""A progress line on stderr for long runs: a redrawn bar on a terminal, sparse lines in logs."""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


class Progress:
    def __init__(self, total: int, stream: Optional[TextIO] = None, every_s: float = 10.0) -> None:
        self.total, self.stream, self.every_s = total, stream or sys.stderr, every_s
        self.done = 0
        self.started = self._last = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, label: str = "") -> None:
        self.done += 1
        now = time.monotonic()
        finished = self.done == self.total
        if not self.tty and not finished and now - self._last < self.every_s:
            return
        self._last = now
        rate = self.done / max(now - self.started, 1e-9)
        eta = (self.total - self.done) / rate if rate else 0.0
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 24)
        line = f"[{bar:<24}] {self.done}/{self.total} {rate:6.1f} docs/s ETA {eta:5.0f}s {label[-40:]}"
        if self.tty:
            self.stream.write("\r" + line.ljust(110)[:110] + ("\n" if finished else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def say(self, message: str) -> None:
        """A message of its own line, above the redrawn bar on a terminal."""
        self.stream.write(("\r" + " " * 110 + "\r" if self.tty else "") + message + "\n")
        self.stream.flush()


def plural(count: int, noun: str) -> str:
    """'1 document', '2 documents'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
