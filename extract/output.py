"""Writing a command's output so that a failure is said in one line and leaves nothing half-done.

This module owns where output goes and what a failed write means:
- `atomic_output(path)`: a file appears whole or not at all. The text goes to a temporary file
  in the same folder, renamed over `path` only once everything was written; on any failure
  (a full disk, an exception, Ctrl-C) the temporary file is removed and an existing `path`
  stays as it was.
- `guarded_stdout()`: stdout, where nothing can be undone; a failed write is said in one line.
- `OutputError`: what both raise when the bytes cannot be written (exit 3); a path that cannot be
  written at all (no such folder, no permission) is a UsageError (exit 2).
A reader that goes away (BrokenPipeError) is left to the caller: the command line exits 0.
"""
from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, TextIO, TypeVar, cast

from extract.errors import OutputError, UsageError

T = TypeVar("T")

# Failures to open that say the path is wrong, not the disk: bad usage.
_BAD_PATH = (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError)


def _attempt(name: str, action: Callable[[], T]) -> T:
    """`action()`, its OSError turned into an OutputError naming `name`."""
    try:
        return action()
    except BrokenPipeError:
        raise  # the reader went away: not an error of ours (the command line exits 0)
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from exc


class _Guarded:
    """A text stream whose write and flush errors become OutputError; everything else is the
    stream's own. Only the stream's own errors are translated: an OSError met while reading
    (the store, say) keeps its meaning."""

    def __init__(self, stream: TextIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        return _attempt(self._name, lambda: self._stream.write(text))

    def flush(self) -> None:
        _attempt(self._name, self._stream.flush)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._stream, attribute)


def _open(path: Path, opening: Callable[[], T]) -> T:
    """`opening()`, a path that cannot be written at all refused as bad usage."""
    try:
        return opening()
    except _BAD_PATH as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _close_quietly(stream: TextIO) -> None:
    # Closing flushes what is buffered, which fails again on a full disk; the first error is
    # the one to report, and close() releases the descriptor even when its flush fails.
    with suppress(OSError):
        stream.close()


@contextmanager
def atomic_output(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file (newlines written as given) that becomes `path` only once everything
    was written: until then `path` is untouched, and on any failure it stays so."""
    if path.is_dir():
        raise UsageError(f"cannot write {path}: {os.strerror(errno.EISDIR)}")
    if path.exists() and not path.is_file():
        # A device or a pipe (-o /dev/null, -o /dev/stdout, a FIFO) can only be written to:
        # renaming a file over /dev/null (possible as root) would break the system.
        device = _open(path, lambda: open(path, "w", encoding="utf-8", newline=""))  # noqa: SIM115 (closed below)
        try:
            yield cast(TextIO, _Guarded(device, str(path)))
            _attempt(str(path), device.flush)
        finally:
            _close_quietly(device)
        return
    # Through a symlink to the file it names, as open() would write, instead of over the link.
    target = Path(os.path.realpath(path))
    # Hidden and named after its file, so a leftover (after a power cut) says what it was;
    # O_EXCL never takes over another run's file; 0o666 lets the umask decide, as open() does.
    temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    fd = _open(path, lambda: os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    stream: Optional[TextIO] = None
    try:
        stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
        if target.exists():
            # Replacing a file keeps its permissions, as overwriting it did.
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        yield cast(TextIO, _Guarded(stream, str(path)))
        _attempt(str(path), stream.flush)
        # On disk before it takes the name: a crash just after the rename must not leave an
        # empty file where the old one was.
        _attempt(str(path), lambda: os.fsync(fd))
        _attempt(str(path), stream.close)
        _attempt(str(path), lambda: os.replace(temporary, target))
    except BaseException:  # KeyboardInterrupt too: no half-written file stays behind
        if stream is None:
            os.close(fd)
        else:
            _close_quietly(stream)
        temporary.unlink(missing_ok=True)
        raise


def _silence(stream: TextIO) -> None:
    """Point the stream's descriptor at os.devnull. What the stream still buffers would
    otherwise be flushed again at exit, fail again, and print a traceback (with exit status 120)."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return  # no descriptor (a test's capture): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


@contextmanager
def guarded_stdout() -> Iterator[TextIO]:
    """sys.stdout, flushed at the end so that a failure shows here and not at exit; a write or
    flush that fails (a full disk) raises OutputError. What was written stays written."""
    stream = sys.stdout
    guarded = cast(TextIO, _Guarded(stream, "stdout"))
    try:
        yield guarded
        guarded.flush()
    except OutputError:
        _silence(stream)
        raise
