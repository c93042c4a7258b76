"""Where `export` and `review` write, driven as a user would: the export's format follows its
flags and its file's name (contradictions are refused), and a full disk is said in one line,
leaving no half-written file behind."""
from __future__ import annotations

import errno
import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable, Optional

import pytest
from conftest import REPO, SHARED

from extract.cli import main
from extract.output import OutputError, atomic_output

NO_SPACE = os.strerror(errno.ENOSPC)  # "No space left on device"
OLD = "an earlier export\n"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One store for the module: these tests only read it, and extracting takes a while.
    path = tmp_path_factory.mktemp("store") / "govreport.db"
    assert main(["extract", str(SHARED / "samples" / "reports"), "--db", str(path)]) == 0
    return path


def kind_of(text: str) -> str:
    """What an export wrote: jsonl, csv (one row per document, keys or zh labels), or long."""
    if not text.startswith("\ufeff"):
        json.loads(text.splitlines()[0])
        return "jsonl"
    head = text[1:].split("\n", 1)[0].split(",")
    if "state" in head:
        return "long"
    return "csv-zh" if "状态" in head else "csv"


def case_id(flags: list[str], name: Optional[str]) -> str:
    return " ".join(flags + (["-o", name] if name else [])) or "no-flags"


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


# ---------------------------------------------------------------------------------------------
# The format: --format, else the file's extension, else what the CSV-only flags need, else JSONL.

FORMATS = [
    ([], None, "jsonl"),
    (["--format", "csv"], None, "csv"),
    (["--long"], None, "long"),
    (["--labels", "zh"], None, "csv-zh"),
    ([], "data.csv", "csv"),
    ([], "DATA.CSV", "csv"),
    ([], "data.jsonl", "jsonl"),
    ([], "data.json", "jsonl"),
    ([], "data.ndjson", "jsonl"),
    ([], "data.txt", "jsonl"),
    (["--format", "csv"], "data.txt", "csv"),
    (["--format", "csv"], "data.csv", "csv"),
    (["--long"], "data.csv", "long"),
    (["--labels", "zh"], "data.csv", "csv-zh"),
    (["--long", "--format", "csv"], "data.txt", "long"),
]


@pytest.mark.parametrize("flags,name,expected", FORMATS, ids=[case_id(flags, name) for flags, name, _ in FORMATS])
def test_export_format_follows_the_flags_and_the_file_name(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
                                                           flags: list[str], name: Optional[str],
                                                           expected: str) -> None:
    output = ["-o", str(tmp_path / name)] if name else []
    assert main(["export", "--db", str(db), *flags, *output]) == 0
    written = (tmp_path / name).read_text(encoding="utf-8") if name else capsys.readouterr().out
    assert kind_of(written) == expected


REFUSED = [
    (["--long", "--format", "jsonl"], None, "--long is a CSV form, but --format jsonl asks for JSONL"),
    (["--labels", "zh", "--format", "jsonl"], None, "--labels zh is a CSV form, but --format jsonl asks for JSONL"),
    (["--format", "csv"], "data.jsonl", "--format csv contradicts -o"),
    (["--format", "csv"], "data.json", "--format csv contradicts -o"),
    (["--format", "jsonl"], "data.csv", "--format jsonl contradicts -o"),
    (["--long"], "data.jsonl", "--long is a CSV form, but -o"),
    (["--labels", "zh"], "data.ndjson", "--labels zh is a CSV form, but -o"),
    ([], "no/such/folder/data.csv", "No such file or directory"),
]


@pytest.mark.parametrize("flags,name,says", REFUSED, ids=[case_id(flags, name) for flags, name, _ in REFUSED])
def test_contradicting_flags_are_refused_in_one_line(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
                                                     flags: list[str], name: Optional[str], says: str) -> None:
    output = ["-o", str(tmp_path / name)] if name else []
    assert main(["export", "--db", str(db), *flags, *output]) == 2
    out, err = capsys.readouterr()
    line = one_line(err)
    assert line.startswith("govreport export: ") and says in line
    assert out == "" and list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# A full disk, simulated below the text layer, where a real one fails: the first bytes are
# taken, then every write fails with ENOSPC (so a buffered flush, and close, fail as well).

class FullDisk(io.FileIO):
    """A file on a disk with `room` bytes left."""

    room = 1000

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.room <= 0:
            raise OSError(errno.ENOSPC, NO_SPACE)
        taken = super().write(bytes(data[:self.room]))
        self.room -= taken
        return taken


def failing_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text files opened for writing are on a full disk. Path.open and os.fdopen both open
    through io.open, so this holds whichever the command uses."""
    real_open = io.open

    def open_on_full_disk(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True,
                          opener=None):
        if "w" not in mode or "b" in mode:
            return real_open(file, mode, buffering, encoding, errors, newline, closefd, opener)
        return io.TextIOWrapper(io.BufferedWriter(FullDisk(file, "w", closefd=closefd)), encoding=encoding,
                                errors=errors, newline=newline)

    monkeypatch.setattr(io, "open", open_on_full_disk)


def failing_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rename fails for want of room (a directory that must grow)."""
    def rename(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, NO_SPACE)

    monkeypatch.setattr(os, "replace", rename)


@pytest.mark.parametrize("fails", [failing_writes, failing_rename], ids=["write", "rename"])
@pytest.mark.parametrize("before", [None, OLD], ids=["new-file", "existing-file"])
@pytest.mark.parametrize("name,flags", [("data.jsonl", []), ("data.csv", ["--long"])], ids=["jsonl", "long-csv"])
def test_export_to_a_full_disk_says_so_and_leaves_no_partial_file(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch,
        fails: Callable[[pytest.MonkeyPatch], None], before: Optional[str], name: str, flags: list[str]) -> None:
    target = tmp_path / name
    if before is not None:
        target.write_text(before, encoding="utf-8")
    fails(monkeypatch)
    assert main(["export", "--db", str(db), *flags, "-o", str(target)]) == 3
    monkeypatch.undo()
    # No temporary file left beside it, and an earlier export exactly as it was.
    assert [p.name for p in tmp_path.iterdir()] == ([] if before is None else [name])
    assert before is None or target.read_text(encoding="utf-8") == before
    assert one_line(capsys.readouterr().err) == f"govreport export: cannot write {target}: {NO_SPACE}"


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), RuntimeError("a bug"), OutputError("cannot write")],
                         ids=["ctrl-c", "exception", "output-error"])
@pytest.mark.parametrize("before", [None, OLD], ids=["new-file", "existing-file"])
def test_atomic_output_leaves_nothing_behind_on_any_failure(tmp_path: Path, failure: BaseException,
                                                            before: Optional[str]) -> None:
    target = tmp_path / "data.csv"
    if before is not None:
        target.write_text(before, encoding="utf-8")
    with pytest.raises(type(failure)), atomic_output(target) as out:
        out.write("half of it\n" * 1000)
        out.flush()  # the temporary file really holds something when the failure comes
        raise failure
    assert [p.name for p in tmp_path.iterdir()] == ([] if before is None else ["data.csv"])
    assert before is None or target.read_text(encoding="utf-8") == before


def test_atomic_output_replaces_a_file_whole_keeping_its_permissions_and_its_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text(OLD, encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with atomic_output(link) as out:
        out.write("a,b\r\n")
        assert real.read_text(encoding="utf-8") == OLD  # untouched until the end
    assert link.is_symlink() and real.read_bytes() == b"a,b\r\n"  # newlines as written
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_export_to_a_pipe_or_device_writes_to_it_and_never_replaces_it(db: Path, tmp_path: Path) -> None:
    # `-o /dev/null` or `-o /dev/stdout` must write to the device: renaming a temporary file
    # over /dev/null is possible as root. A named pipe stands for them here, at no such risk.
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    assert main(["export", "--db", str(db), "-o", str(fifo)]) == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and [p.name for p in tmp_path.iterdir()] == ["pipe.jsonl"]
    assert read and kind_of(read[0]) == "jsonl" and len(read[0].splitlines()) == 5


# ---------------------------------------------------------------------------------------------
# stdout: nothing can be undone, but the failure is said in one line.

class FailingStdout(io.StringIO):
    """stdout on a full disk (or a closed pipe): `at` is the call that fails."""

    def __init__(self, at: str, error: OSError) -> None:
        super().__init__()
        self.at, self.error = at, error

    def write(self, text: str) -> int:
        if self.at == "write":
            raise self.error
        return super().write(text)

    def flush(self) -> None:
        # Buffered output fails only when it reaches the disk: at the flush, maybe at exit.
        if self.at == "flush":
            raise self.error


@pytest.mark.parametrize("at", ["write", "flush"])
@pytest.mark.parametrize("command", [["export"], ["export", "--format", "csv"], ["review", "--all-issues"]],
                         ids=["export", "export-csv", "review"])
def test_a_full_disk_on_stdout_is_said_in_one_line(db: Path, capsys: pytest.CaptureFixture,
                                                   monkeypatch: pytest.MonkeyPatch, command: list[str],
                                                   at: str) -> None:
    monkeypatch.setattr(sys, "stdout", FailingStdout(at, OSError(errno.ENOSPC, NO_SPACE)))
    assert main([*command, "--db", str(db)]) == 3
    assert one_line(capsys.readouterr().err) == f"govreport {command[0]}: cannot write stdout: {NO_SPACE}"


@pytest.mark.parametrize("command", ["export", "review"])
def test_a_closed_pipe_on_stdout_is_still_no_error(db: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    # `govreport export | head`: the reader went away, which is not ours to report.
    monkeypatch.setattr(sys, "stdout", FailingStdout("write", BrokenPipeError(errno.EPIPE, "Broken pipe")))
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # main closes stderr then
    assert main([command, "--db", str(db)]) == 0


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here (a Linux device that is always full)")
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", ["export", "review"])
def test_stdout_on_a_real_full_device(db: Path, command: str, buffered: bool) -> None:
    # A real process. Buffered (as users run it), review's few lines fail only at the last
    # flush, and what is left in the buffer would fail again at exit, with a traceback.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "extract.cli", command, "--db", str(db)], cwd=REPO, env=env,
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert done.returncode == 3, done.stderr
    assert one_line(done.stderr) == f"govreport {command}: cannot write stdout: {NO_SPACE}"
