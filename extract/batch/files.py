"""Batch files: JSONL, one request a line ({"custom_id", "method", "url", "body"}), split at a
number of lines or bytes; written under a temporary name and renamed when complete."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Optional

URL = "/v1/chat/completions"
MAX_LINES = 50_000               # OpenAI's limits per input file
MAX_BYTES = 200 * 1024 * 1024


def request_line(custom_id: str, body: bytes) -> bytes:
    """The body is embedded as sent (compact JSON on one line), not decoded and encoded again."""
    head = json.dumps({"custom_id": custom_id, "method": "POST", "url": URL})
    return head[:-1].encode() + b', "body": ' + body + b"}\n"


class BatchWriter:
    """Request lines into out/batch-NNNN.jsonl files, a new one at max_lines or max_bytes; each
    file's requests (custom_id, sha256, kind, version) are told to `finished` once it is complete.
    The numbers go on from the files the folder holds: an earlier prepare's are never overwritten."""

    def __init__(self, out: Path, finished: Callable[[Path, list[tuple[str, str, str, str]]], None],
                 max_lines: int = MAX_LINES, max_bytes: int = MAX_BYTES) -> None:
        self.out, self.finished, self.max_lines, self.max_bytes = out, finished, max_lines, max_bytes
        out.mkdir(parents=True, exist_ok=True)
        taken = [int(p.stem.split("-")[1]) for p in out.glob("batch-*.jsonl") if p.stem.split("-")[1].isdigit()]
        self.number = max(taken, default=0)
        self.files: list[Path] = []
        self._open: Optional[tuple[Path, BinaryIO]] = None
        self._lines: list[tuple[str, str, str, str]] = []
        self._bytes = 0

    def add(self, custom_id: str, body: bytes, sha256: str, kind: str, version: str) -> None:
        line = request_line(custom_id, body)
        if self._open is not None and self._bytes + len(line) > self.max_bytes:
            self._finish()
        if self._open is None:
            self._open = self._next_file()
        self._open[1].write(line)
        self._lines.append((custom_id, sha256, kind, version))
        self._bytes += len(line)
        if len(self._lines) >= self.max_lines:   # full: complete (and recorded) at once
            self._finish()

    def _next_file(self) -> tuple[Path, BinaryIO]:
        """The next free number, reserved by creating its part file exclusively: two prepares
        writing into one folder never take the same name."""
        while True:
            self.number += 1
            path = self.out / f"batch-{self.number:04d}.jsonl"
            if path.exists():
                continue
            try:
                return path, open(path.with_suffix(".jsonl.part"), "xb")
            except FileExistsError:
                continue

    def _finish(self) -> None:
        assert self._open is not None
        path, handle = self._open
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(path.with_suffix(".jsonl.part"), path)
        self.files.append(path)
        self.finished(path, self._lines)
        self._open, self._lines, self._bytes = None, [], 0

    def close(self) -> None:
        if self._open is not None:
            self._finish()

    def discard(self) -> None:
        """Interrupted: the file being written is removed (its requests were not recorded)."""
        if self._open is not None:
            path, handle = self._open
            handle.close()
            path.with_suffix(".jsonl.part").unlink(missing_ok=True)
            self._open = None


def read_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) of a JSONL file; a line that is no JSON object raises ValueError naming it."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc})") from None
            if not isinstance(item, dict):
                raise ValueError(f"{path}:{number}: not a JSON object")
            yield number, item
