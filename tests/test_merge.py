"""`govreport merge`: stores of separate runs combined; the two halves of a run merged equal the
whole run, and a merge changes nothing the second time, or into itself."""
from __future__ import annotations

import json
import shutil
import sqlite3

from conftest import REPORTS, corpus_files

from extract.cli import main
from extract.store import Store

EVERY = corpus_files("*") + REPORTS


def extract(paths, db, *more) -> None:
    assert main(["extract", *map(str, paths), "--db", str(db), "--no-llm", "--workers", "1", *more]) == 0


def tables(db) -> dict:
    """What a store holds, without what differs between runs (ids, times, run numbers)."""
    conn = sqlite3.connect(db)
    try:
        return {
            "files": sorted(conn.execute("SELECT path, sha256, size, error FROM files")),
            "documents": sorted(conn.execute("SELECT sha256, size, encoding, text FROM documents")),
            "results": sorted(conn.execute("""SELECT sha256, status, reason, format, year, agency, chosen, cell_values,
                                             provenance, confidence, alternatives, audit FROM results""")),
            "issues": sorted(conn.execute("SELECT sha256, code, keys, message, severity, origin, expected, found "
                                          "FROM issues"), key=repr),
            "attempts": sorted(conn.execute("SELECT sha256, method, model, cache_key, result FROM attempts"), key=repr),
            "corrections": sorted(conn.execute("SELECT sha256, key, value, was, note, by FROM corrections")),
            "runs": conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0],
        }
    finally:
        conn.close()


def test_two_halves_merged_equal_the_whole_run(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in EVERY:
        shutil.copy(path, inputs / path.name)
    files = sorted(inputs.iterdir())
    extract(files, tmp_path / "whole.db")
    extract(files[::2], tmp_path / "a.db")
    extract(files[1::2], tmp_path / "b.db")
    capsys.readouterr()
    assert main(["merge", str(tmp_path / "a.db"), str(tmp_path / "b.db"), "--into", str(tmp_path / "c.db")]) == 0
    assert f"documents {len(files)}" in capsys.readouterr().err
    merged, whole = tables(tmp_path / "c.db"), tables(tmp_path / "whole.db")
    assert merged["runs"] == 2 and whole["runs"] == 1
    assert {k: v for k, v in merged.items() if k != "runs"} == {k: v for k, v in whole.items() if k != "runs"}


def test_a_merge_again_or_into_itself_changes_nothing(tmp_path, capsys):
    extract(REPORTS[:3], tmp_path / "a.db")
    extract(REPORTS[2:], tmp_path / "b.db")                 # one document in both
    correction = tmp_path / "fix.jsonl"
    with Store(tmp_path / "a.db") as store:
        sha = next(store.iter_results())["sha256"]
    correction.write_text(json.dumps({"sha256": sha, "key": "active.rules.issued", "value": 0, "was": 0, "note": ""})
                          + "\n", encoding="utf-8")
    assert main(["correct", str(correction), "--db", str(tmp_path / "a.db"), "--by", "reviewer"]) == 0
    into = tmp_path / "c.db"
    assert main(["merge", str(tmp_path / "a.db"), str(tmp_path / "b.db"), "--into", str(into)]) == 0
    once = tables(into)
    assert len(once["documents"]) == len(REPORTS) and len(once["corrections"]) == 1
    capsys.readouterr()
    assert main(["merge", str(tmp_path / "b.db"), str(tmp_path / "a.db"), str(into), "--into", str(into)]) == 0
    assert "nothing new" in capsys.readouterr().err
    assert tables(into) == once
    assert tables(tmp_path / "a.db")["runs"] == 1           # a source is only read
