"""Bad input: every file gets a stored record with a clear one-line reason, and the run goes on."""
from __future__ import annotations

import pytest
from conftest import REPORTS

from extract.cli import main
from extract.errors import InputError
from extract.store import Store
from extract.text import decode_bytes, normalize

SAMPLE_2021 = next(p for p in REPORTS if p.stem.startswith("004")).read_text(encoding="utf-8")


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"  \n\t\n", "whitespace"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    (b"x" * (3 * 1024 * 1024), "too large"),
], ids=["empty", "whitespace", "binary", "too-large"])
def test_unreadable_bytes_raise_a_one_line_reason(data, reason):
    with pytest.raises(InputError) as err:
        decode_bytes(data)
    assert reason in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16"])
def test_other_encodings_decode_to_the_same_text(encoding):
    assert decode_bytes(SAMPLE_2021.encode(encoding)).text == SAMPLE_2021


def test_normalize_keeps_every_offset():
    text = "２０２１年（一）\u3000１２．３万元\r\n增１６\u00a0件"
    assert len(normalize(text)) == len(text)
    assert normalize(text) == "2021年(一) 12.3万元 \n增16 件"


def test_normalize_maps_each_character_of_its_table_alone_and_in_runs():
    # The common ones (，（）…) and the rest take different paths; each must map as the table says.
    from extract.text import _TABLE
    for cp, to in _TABLE.items():
        mapped = chr(to) if isinstance(to, int) else to
        assert normalize(f"年{chr(cp)}报{chr(cp) * 3}") == f"年{mapped}报{mapped * 3}", hex(cp)
    assert normalize("（一）\u3000\u3000１，２；：\u2003－") == "(一)  1,2;: -"


@pytest.mark.parametrize("text, has", [
    ("政府信息公开工作年度报告 2021", False), ("\u00bf¡£ ©", False), ("报告\u00c0", True), ("ÿ", True),
    ("锟斤拷", True), ("烫", True), ("屯", True), ("😀 emoji", False), ("", False),
])
def test_the_characters_mojibake_starts_with_are_found(text, has):
    from extract.text import _has_mojibake_char
    assert _has_mojibake_char(text) is has


@pytest.fixture
def broken_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    cut = SAMPLE_2021.index("三、收到和处理政府信息公开申请情况")
    files = {
        "empty.txt": b"",
        "binary.bin": b"\x00\x01\x02\x03" * 100,
        "gbk.txt": SAMPLE_2021.encode("gbk"),
        "bom.txt": SAMPLE_2021.encode("utf-8-sig"),
        "truncated.txt": SAMPLE_2021[:cut].encode("utf-8"),
        "news.txt": "县长调研春耕生产工作。强调要抓好农业生产。".encode("utf-8"),
        "big.txt": ("政府信息公开" * 300_000).encode("utf-8"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _records(db):
    with Store(db) as store:
        rows = {r["path"].rsplit("/", 1)[-1]: r for r in store.iter_results()}
        errors = {r["path"].rsplit("/", 1)[-1]: r for r in store.iter_file_errors()}
    return rows, errors


def test_a_folder_of_broken_inputs_gets_a_record_each(broken_folder, tmp_path, capsys):
    db = tmp_path / "t.db"
    missing = str(tmp_path / "does-not-exist.txt")
    assert main(["extract", str(broken_folder), missing, "--db", str(db)]) == 2  # the missing path is named
    assert "no such file or folder: " + missing in capsys.readouterr().err
    rows, errors = _records(db)
    assert set(rows) | set(errors) == {"empty.txt", "binary.bin", "gbk.txt", "bom.txt", "truncated.txt",
                                       "news.txt", "big.txt", "does-not-exist.txt"}
    assert rows["empty.txt"]["status"] == "failed" and "empty" in rows["empty.txt"]["reason"]
    assert rows["binary.bin"]["status"] == "failed" and "binary" in rows["binary.bin"]["reason"]
    assert "too large" in errors["big.txt"]["error"]  # a setting decided it: no result, retried next run
    assert rows["news.txt"]["status"] == "failed" and "not an annual report" in rows["news.txt"]["reason"]
    assert errors["does-not-exist.txt"]["error"] == "no such file or folder"
    # GBK and a BOM change nothing: the same (single, deduplicated) document, verified.
    assert rows["gbk.txt"]["sha256"] != rows["bom.txt"]["sha256"]
    assert rows["gbk.txt"]["status"] == rows["bom.txt"]["status"] == "verified"
    assert rows["gbk.txt"]["values"] == rows["bom.txt"]["values"]
    # Cut off after section 二: what was printed is kept, the rest is None and flagged.
    truncated = rows["truncated.txt"]
    assert truncated["status"] == "needs_review"
    assert truncated["values"]["active.normative_docs.in_force"] == 26
    assert truncated["values"]["requests.new.total"] is None
    assert any(i["code"] == "section_missing" for i in truncated["issues"])
    review = capsys.readouterr()
    assert main(["review", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    for name in ("empty.txt", "binary.bin", "big.txt", "news.txt", "truncated.txt", "does-not-exist.txt"):
        line = next(l for l in listed.splitlines() if name in l)
        assert len(line.split("\t")) == 3 and line.split("\t")[2], line
    assert "gbk.txt" not in listed and review is not None


def test_special_entries_are_accounted_for_and_nothing_hangs(tmp_path, capsys):
    """A FIFO, a socket, a broken link, a link loop, a duplicate file, a FIFO and a missing path
    named on the command line: every path gets a record, nothing is opened that would block."""
    import os
    import socket

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SAMPLE_2021, encoding="utf-8")
    (folder / "copy-of-a.txt").write_text(SAMPLE_2021, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    os.symlink(folder / "gone.txt", folder / "broken.txt")
    os.symlink(folder / "loop2.txt", folder / "loop1.txt")
    os.symlink(folder / "loop1.txt", folder / "loop2.txt")
    os.symlink(folder, folder / "back-up")  # a folder link back up the tree: walked once
    named_fifo = tmp_path / "named.fifo"
    os.mkfifo(named_fifo)
    missing = tmp_path / "missing.txt"
    db = tmp_path / "s.db"
    try:
        code = main(["extract", str(folder), str(named_fifo), str(missing), "--db", str(db)])
    finally:
        sock.close()
    assert code == 2
    capsys.readouterr()
    assert main(["export", "--db", str(db)]) == 0
    import json

    records = {json.loads(l)["path"].rsplit("/", 1)[-1]: json.loads(l) for l in capsys.readouterr().out.splitlines()}
    assert set(records) == {"a.txt", "copy-of-a.txt", "pipe.txt", "sock.txt", "broken.txt", "loop1.txt",
                            "loop2.txt", "named.fifo", "missing.txt"}
    assert records["a.txt"]["status"] == records["copy-of-a.txt"]["status"] == "verified"
    reasons = {name: r["reason"] for name, r in records.items() if r["status"] == "failed"}
    assert reasons["pipe.txt"] == reasons["named.fifo"] == "not a regular file: a FIFO (named pipe)"
    assert reasons["sock.txt"] == "not a regular file: a socket"
    assert reasons["broken.txt"].startswith("broken symbolic link")
    assert reasons["loop1.txt"] == "symbolic link loop"
    assert reasons["missing.txt"] == "no such file or folder"
    assert main(["review", "--db", str(db)]) == 0
    assert "7 documents to check" in capsys.readouterr().err


def test_a_failure_a_setting_decided_is_retried_when_the_setting_changes(tmp_path, capsys):
    report = tmp_path / "r.txt"
    report.write_text(SAMPLE_2021, encoding="utf-8")
    db = tmp_path / "s.db"
    assert main(["extract", str(report), "--db", str(db), "--max-mb", "0.001"]) == 0
    assert "failed 1" in capsys.readouterr().err
    assert main(["extract", str(report), "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert "verified 1" in err and "skipped" not in err.split("files in")[1].splitlines()[0]
    assert "store " + str(db) + ": verified 1, human_verified 0, source_inconsistent 0, needs_review 0, failed 0" in err


def test_the_run_summary_and_the_store_agree(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    assert main(["extract", str(folder), str(tmp_path / "nope.txt"), "--db", str(tmp_path / "s.db")]) == 2
    err = capsys.readouterr().err
    assert "failed 2" in err and "failed 2" in err.split("store ")[1]
