"""What a hostile first day found: odd file names and spellings, changed files, unreadable
folders, credentials, broken LLM answers, killed runs, odd settings. Each case fails without its fix."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import REPO, REPORTS
from oracle import answering

from extract.cli import main
from extract.inputs import path_text
from extract.redact import redact_argv, redact_text
from extract.store import Store

GBK_NAME = "年度报告".encode("gbk") + b".txt"  # as a Windows zip leaves it: not UTF-8


def _records(db: Path) -> list[dict]:
    with Store(db, readonly=True) as store:
        return list(store.iter_results()) + [dict(r, status="failed") for r in store.iter_file_errors()]


def _copy(source: Path, target: Path, tail: str = "") -> None:
    target.write_bytes(source.read_bytes() + tail.encode())


# --- inputs -----------------------------------------------------------------------------------
def test_a_file_name_that_is_not_utf8_is_kept_with_escapes_and_the_run_goes_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, report in enumerate(REPORTS):
        _copy(report, folder / f"r{i}.txt")
    _copy(REPORTS[0], Path(os.fsdecode(os.path.join(os.fsencode(folder), GBK_NAME))), "\n改\n")
    assert main(["extract", str(folder), "--db", str(tmp_path / "s.db")]) == 0
    paths = {r["path"] for r in _records(tmp_path / "s.db")}
    assert len(paths) == len(REPORTS) + 1
    odd = str(folder / "\\xc4\\xea\\xb6\\xc8\\xb1\\xa8\\xb8\\xe6.txt")
    assert odd in paths and os.fsencode(os.path.join(folder, "")) + GBK_NAME == _bytes_of(odd)
    assert main(["export", "--db", str(tmp_path / "s.db"), "--format", "csv"]) == 0
    assert odd in capsys.readouterr().out


def _bytes_of(text: str) -> bytes:
    """A stored path's bytes again (the inverse of path_text)."""
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1")


def test_path_text_gives_back_every_name():
    for raw in (b"plain.txt", "正常.txt".encode(), GBK_NAME, b"back\\slash\xff.txt", b"\\x41\xfe"):
        text = path_text(os.fsdecode(raw))
        assert text.isprintable() and (text == raw.decode() if raw.isascii() or _is_utf8(raw) else _bytes_of(text) == raw)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_the_same_path_with_new_content_is_one_record_with_its_own_issues(tmp_path, capsys):
    path, db = tmp_path / "r.txt", tmp_path / "s.db"
    _copy(REPORTS[0], path)   # a record with issues of its own (cells forced by arithmetic)
    assert main(["extract", str(path), "--db", str(db)]) == 0
    _copy(REPORTS[3], path)   # the source's own R4 error, nothing else
    assert main(["extract", str(path), "--db", str(db)]) == 0
    (record,) = _records(db)
    assert record["status"] == "source_inconsistent" and [i["code"] for i in record["issues"]] == ["R4"]
    assert "source_inconsistent 1, needs_review 0" in capsys.readouterr().err  # the store counts current records


def test_one_file_under_several_spellings_is_one_record(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, report in enumerate(REPORTS[:3]):
        _copy(report, folder / f"r{i}.txt")
    (tmp_path / "link").symlink_to(folder)
    monkeypatch.chdir(tmp_path)
    assert main(["extract", "in", str(folder), "link", "link/r0.txt", "--db", str(tmp_path / "s.db")]) == 0
    assert "3 files in" in capsys.readouterr().err
    assert sorted(r["path"] for r in _records(tmp_path / "s.db")) == [str(folder / f"r{i}.txt") for i in range(3)]


def test_an_unreadable_folder_is_a_failed_record(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    _copy(REPORTS[0], folder / "r.txt")
    _copy(REPORTS[1], folder / "locked" / "hidden.txt")
    real_scandir = os.scandir

    def scandir(path=".", *args):  # what a normal user meets in a `chmod 000` folder
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "access", lambda path, mode: not str(path).endswith("locked"))
    assert main(["extract", str(folder), "--db", str(tmp_path / "s.db")]) == 0
    failed = {r["path"]: r for r in _records(tmp_path / "s.db") if r["status"] == "failed"}
    assert list(failed) == [str(folder / "locked")] and "cannot read folder" in failed[str(folder / "locked")]["error"]


def test_an_empty_folder_is_said_and_a_large_file_is_not_read(tmp_path, capsys, monkeypatch):
    (tmp_path / "empty").mkdir()
    assert main(["extract", str(tmp_path / "empty"), "--db", str(tmp_path / "s.db")]) == 2
    assert "nothing to read in folder" in capsys.readouterr().err
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(25 * 2 ** 20)  # sparse: 25 MB that take no disk
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read"))
    assert main(["extract", str(big), "--db", str(tmp_path / "s.db")]) == 0
    (record,) = _records(tmp_path / "s.db")
    assert record["error"] == "file too large: 25.0 MB (limit 20 MB; see --max-mb); not a single report"


@pytest.mark.parametrize("kind", ["tar", "gzip"])
def test_an_archive_is_said_to_be_one(kind, tmp_path):
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if kind == "gzip" else "w") as tar:
        tar.add(REPORTS[0], arcname="r.txt")
    (tmp_path / f"reports.{kind}").write_bytes(buffer.getvalue())
    assert main(["extract", str(tmp_path / f"reports.{kind}"), "--db", str(tmp_path / "s.db")]) == 0
    (record,) = _records(tmp_path / "s.db")
    assert "archive" in record["reason"] and "unpack it" in record["reason"]


def test_more_workers_than_cores_are_not_started(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        _copy(REPORTS[i % len(REPORTS)], folder / f"r{i}.txt", f"\n{i}\n")
    assert main(["extract", str(folder), "--db", str(tmp_path / "s.db"), "--workers", "64"]) == 0
    assert f"--workers 64 is more than this machine's {os.cpu_count()} cores" in capsys.readouterr().err


# --- credentials ------------------------------------------------------------------------------
KEY = "sk-test-0123456789abcdefXYZ"


def _refusing() -> tuple[ThreadingHTTPServer, str]:
    """A server that refuses the key and echoes it, as OpenAI's 401 does; its URL carries a password."""
    httpd = answering(401, json.dumps({"error": {"message": f"Incorrect API key provided: {KEY}.",
                                                 "type": "invalid_request_error", "code": "invalid_api_key"}}).encode())
    return httpd, f"http://user:hunter2pass@127.0.0.1:{httpd.server_address[1]}/v1"


def test_no_credential_is_written_to_the_store_or_said(tmp_path, capsys):
    httpd, url = _refusing()
    db = tmp_path / "s.db"
    try:
        assert main(["extract", *map(str, REPORTS[:2]), "--db", str(db), "--base-url", url, "--model", "m",
                     "--api-key", KEY, "--llm-mode", "json"]) == 0
    finally:
        httpd.shutdown()
    said = capsys.readouterr().err
    assert main(["review", "--db", str(db), "--all-issues"]) == 0 and main(["export", "--db", str(db)]) == 0
    written = said + capsys.readouterr().out + db.read_bytes().decode("utf-8", "replace")
    for wal in tmp_path.glob("s.db-*"):
        written += wal.read_bytes().decode("utf-8", "replace")
    assert "401 unauthorized" in said
    for secret in (KEY, KEY[-8:], "hunter2pass"):
        assert secret not in written


def test_redaction():
    assert redact_argv(["govreport", "extract", "--api-key", "sk-abc", "--api-key=sk-def",
                        "--base-url", "http://u:p@host:8/v1"]) == \
        ["govreport", "extract", "--api-key", "***", "--api-key=***", "--base-url", "http://***@host:8/v1"]
    assert redact_text("Incorrect API key provided: sk-proj-ab****cdef. Bearer abcdef123456", ["x"]) == \
        "Incorrect API key provided: ***. ***"


# --- broken answers ---------------------------------------------------------------------------
def _completion(content: str) -> bytes:
    return json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                       "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
                                                                                   "content": content}}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()


@pytest.mark.parametrize("body, said", [
    (b"\x89PNG\x00\xff not json at all", "can't decode byte"),
    (json.dumps({"status": "ok", "data": [1, 2, 3]}).encode(), "No choices"),
    (_completion(json.dumps({"year": "2021", "agency": None, "tables": {"active": "12"}})), "validation error"),
], ids=["garbage", "not-a-completion", "strings"])
def test_a_broken_answer_is_said_noted_and_asked_again(body, said, tmp_path, capsys):
    httpd = answering(200, body)
    db = tmp_path / "s.db"
    args = ["extract", *map(str, REPORTS[:4]), "--db", str(db), "--base-url",
            f"http://127.0.0.1:{httpd.server_address[1]}/v1", "--model", "m", "--llm-mode", "json"]
    try:
        assert main(args) == 0
        first = capsys.readouterr().err
        assert main(args) == 0
        again = capsys.readouterr().err
    finally:
        httpd.shutdown()
    assert first.count("answered, but with nothing usable") == 1 and said in first
    assert "3 calls (" in first and "3 failed)" in first  # the breaker stopped the fourth document's call
    assert all(any(i["code"] == "llm_unavailable" for i in r["issues"]) for r in _records(db))
    assert "skipped" not in again.split("files in")[1].splitlines()[0] and "3 failed)" in again


# --- kills ------------------------------------------------------------------------------------
def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] not in "ZX"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc to find the workers")
@pytest.mark.parametrize("signum, code", [(signal.SIGKILL, -9), (signal.SIGTERM, 143)], ids=["KILL", "TERM"])
def test_killing_a_run_ends_its_workers(signum, code, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3000):
        _copy(REPORTS[i % len(REPORTS)], folder / f"r{i:04d}.txt", f"\n{i}\n")
    run = subprocess.Popen([sys.executable, "-m", "extract.cli", "extract", str(folder), "--db", str(tmp_path / "s.db"),
                            "--workers", "2"], cwd=REPO, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(workers := _children(run.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2, "the run's workers never started"
    os.kill(run.pid, signum)
    _, err = run.communicate(timeout=60)
    assert run.returncode == code
    if signum == signal.SIGTERM:
        assert "re-run the same command to resume" in err
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, workers))
    with sqlite3.connect(tmp_path / "s.db") as conn:  # what was stored before stays, and is whole
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- installing -------------------------------------------------------------------------------
def test_the_llm_stack_resolves_without_backtracking():
    # instructor 1.17 caps jiter below 0.15; openai 3.4 and later need jiter 0.16 or later: an
    # openai range reaching them makes pip try every release before it finds one that fits.
    text = (REPO / "pyproject.toml").read_text("utf-8")
    assert '"instructor==1.17.0"' in text and '"openai>=2,<3.4"' in text and '"jiter>=0.10,<0.15"' in text


# --- forgetting -------------------------------------------------------------------------------
def test_a_mistyped_path_can_be_forgotten(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "s.db"
    _copy(REPORTS[0], tmp_path / "a.txt")
    _copy(REPORTS[0], tmp_path / "same-as-a.txt")
    assert main(["extract", "a.txt", "same-as-a.txt", "mistyped.txt", "--db", str(db)]) == 2
    assert main(["forget", "mistyped.txt", "a.txt", "--db", str(db)]) == 0
    assert "forgot 2 paths and 0 documents" in capsys.readouterr().err   # a.txt's content is still same-as-a.txt's
    assert [r["path"] for r in _records(db)] == [str(tmp_path / "same-as-a.txt")]
    assert main(["forget", "same-as-a.txt", "never-there.txt", "--db", str(db)]) == 2
    assert "forgot 1 path and 1 document" in capsys.readouterr().err and _records(db) == []
    with sqlite3.connect(db) as conn:
        assert [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("documents", "attempts", "issues")] \
            == [0, 0, 0]
