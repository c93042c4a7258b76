"""A person's corrections: kept append-only, winning over every automatic reading, surviving
re-runs and `extract --force`, re-verified, said when stale, and refused whole when a line is bad.
Reports are constructed with values of our own (tests/render.py)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from render import random_values, render

import extract.process
from extract import corrections
from extract.cli import main
from extract.reading import Cell
from extract.store import Store

FMT = "2021"
ROW = "requests.granted"            # 三(一) 予以公开: one unreadable cell makes its row unreadable
KEY = f"{ROW}.natural_person"


def _values(seed: int = 7) -> dict:
    return random_values(FMT, seed, busy=0.6)


def _extract(db: Path, *paths: Path, force: bool = False) -> None:
    assert main(["extract", *map(str, paths), "--db", str(db), "--no-llm", "--workers", "1",
                 *(["--force"] if force else [])]) == 0


def _extracted(tmp_path: Path, printed: dict) -> tuple[Path, Path]:
    """A report printing these values (a value may be any text), extracted into a new store."""
    report = tmp_path / "report.txt"
    report.write_text(render(FMT, printed, "tabs"), encoding="utf-8")
    db = tmp_path / "s.db"
    _extract(db, report)
    return report, db


def _record(db: Path) -> dict:
    with Store(db) as store:
        (record,) = list(corrections.records(store))
    return record


def _jsonl(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def unreadable_row(tmp_path) -> tuple[Path, Path, dict]:
    """A report whose row 三(一) lost a cell to a stray mark: the row is missing, the record needs review."""
    values = _values()
    report, db = _extracted(tmp_path, dict(values, **{KEY: "？"}))
    record = _record(db)
    assert record["status"] == "needs_review"
    row = [k for k in values if k.startswith(ROW + ".")]
    assert all(record["values"][k] is None for k in row)
    return report, db, values


def _fill_row(values: dict, sha: str, keys: list[str]) -> list[dict]:
    return [{"sha256": sha, "key": k, "value": values[k], "was": None, "note": "read from the PDF"} for k in keys]


def test_corrections_fill_the_row_and_the_record_is_human_verified(unreadable_row, tmp_path, capsys):
    report, db, values = unreadable_row
    sha = _record(db)["sha256"]
    row = [k for k in values if k.startswith(ROW + ".")]
    assert main(["correct", str(_jsonl(tmp_path / "c.jsonl", _fill_row(values, sha, row))), "--db", str(db),
                 "--by", "reviewer-1"]) == 0
    assert "human_verified 1" in capsys.readouterr().err
    record = _record(db)
    assert record["status"] == "human_verified", record["reason"]
    assert {k: record["values"][k] for k in row} == {k: values[k] for k in row}
    assert {record["confidence"][k] for k in row} == {"human"}
    assert "reviewer-1" in record["provenance"][KEY]["note"]
    # Every other cell is still the machine's reading.
    assert all(record["values"][k] == v for k, v in values.items() if k not in row)

    # The export carries them; a re-run and `extract --force` keep them.
    for force in (False, True):
        _extract(db, report, force=force)
        assert _record(db)["status"] == "human_verified"
    out = tmp_path / "out.jsonl"
    assert main(["export", "--db", str(db), "-o", str(out)]) == 0
    (exported,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert exported["status"] == "human_verified"
    assert exported["values"][KEY] == values[KEY] and exported["confidence"][KEY] == "human"
    # Nothing left to review.
    assert main(["review", "--db", str(db)]) == 0
    assert "0 documents to check" in capsys.readouterr().err


def test_a_partial_correction_leaves_the_record_in_review_saying_what_is_still_missing(unreadable_row, tmp_path):
    _, db, values = unreadable_row
    sha = _record(db)["sha256"]
    row = [k for k in values if k.startswith(ROW + ".")]
    assert main(["correct", str(_jsonl(tmp_path / "c.jsonl", _fill_row(values, sha, row[:-1]))), "--db", str(db)]) == 0
    record = _record(db)
    assert record["status"] == "needs_review"
    assert any(row[-1] in issue["keys"] for issue in record["issues"] if issue["code"] == "missing")


def test_a_correction_that_breaks_a_sum_of_printed_cells_blames_the_source(tmp_path):
    """Every cell of the failing relation is printed plainly or a person's: the source's own."""
    values = _values(3)
    report, db = _extracted(tmp_path, values)
    record = _record(db)
    assert record["status"] == "verified"
    line = {"sha256": record["sha256"], "key": KEY, "value": values[KEY] + 1, "was": values[KEY], "note": "as printed"}
    assert main(["correct", str(_jsonl(tmp_path / "c.jsonl", [line])), "--db", str(db)]) == 0
    record = _record(db)
    assert record["status"] == "source_inconsistent", record["reason"]
    assert record["values"][KEY] == values[KEY] + 1  # the person's value, never "fixed" to fit


def test_accepting_every_flagged_value_verifies_nothing_that_still_fails(unreadable_row, tmp_path):
    """Accepting (value == was) a null cell keeps it null: the record stays in review."""
    _, db, values = unreadable_row
    sha = _record(db)["sha256"]
    line = {"sha256": sha, "key": KEY, "value": None, "was": None, "note": ""}
    assert main(["correct", str(_jsonl(tmp_path / "c.jsonl", [line])), "--db", str(db)]) == 0
    assert _record(db)["status"] == "needs_review"


def test_a_correction_made_against_a_reading_that_changed_is_stale_and_back_in_review(tmp_path, monkeypatch, capsys):
    values = _values(5)
    report, db = _extracted(tmp_path, values)
    sha = _record(db)["sha256"]
    line = {"sha256": sha, "key": KEY, "value": values[KEY], "was": values[KEY], "note": "checked"}
    assert main(["correct", str(_jsonl(tmp_path / "c.jsonl", [line])), "--db", str(db)]) == 0
    assert _record(db)["status"] == "human_verified"

    # A later reader reads the cell otherwise (here: one that misreads it).
    original = extract.process.read_tables

    def misreading(document):
        reading = original(document)
        cell = reading.cells[KEY]
        reading.cells[KEY] = Cell(cell.value + 10, cell.method, cell.start, cell.end, cell.line)
        return reading

    monkeypatch.setattr(extract.process, "read_tables", misreading)
    _extract(db, report, force=True)
    record = _record(db)
    assert record["status"] == "needs_review"
    assert record["values"][KEY] == values[KEY] + 10       # the correction is not applied silently
    stale = [i for i in record["issues"] if i["code"] == "correction_stale"]
    assert stale and stale[0]["keys"] == [KEY]
    capsys.readouterr()
    assert main(["review", "--db", str(db), "--code", "correction_stale"]) == 0
    assert str(report) in capsys.readouterr().out


def test_a_bad_file_is_refused_line_by_line_and_nothing_of_it_is_applied(unreadable_row, tmp_path, capsys):
    _, db, values = unreadable_row
    sha = _record(db)["sha256"]
    good = {"sha256": sha, "key": KEY, "value": values[KEY], "was": None}
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([
        json.dumps(good),
        json.dumps(dict(good, key="requests.granted.no_such_column")),
        json.dumps(dict(good, value="twelve")),
        json.dumps(dict(good, sha256="0" * 64)),
        "{not json",
    ]) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["correct", str(path), "--db", str(db)]) == 2
    err = capsys.readouterr().err.splitlines()
    for line in (2, 3, 4, 5):
        assert sum(f"{path}:{line}:" in e for e in err) == 1, err
    assert not any(f"{path}:1:" in e for e in err)
    assert "nothing of" in err[-1]
    with Store(db) as store:
        assert not store.has_corrections()
    assert _record(db)["status"] == "needs_review"


def test_the_cells_csv_round_trip(unreadable_row, tmp_path, capsys):
    """review --cells lists the flagged cells; filled in, `correct` applies it like the JSONL."""
    _, db, values = unreadable_row
    cells = tmp_path / "cells.csv"
    assert main(["review", "--db", str(db), "--cells", str(cells)]) == 0
    rows = list(csv.DictReader(cells.open(encoding="utf-8")))
    row_keys = [k for k in values if k.startswith(ROW + ".")]
    assert {r["key"] for r in rows} >= set(row_keys)
    assert all(r["label"] and r["issue"] and r["corrected"] == "" for r in rows)
    by_key = {r["key"]: r for r in rows}
    assert "予以公开" in by_key[KEY]["label"] and "自然人" in by_key[KEY]["label"]
    for key in row_keys:
        by_key[key]["corrected"] = str(values[key])
    with cells.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main(["correct", str(cells), "--db", str(db)]) == 0
    assert _record(db)["status"] == "human_verified"


def test_the_log_is_append_only_and_the_latest_decision_counts(unreadable_row, tmp_path):
    _, db, values = unreadable_row
    sha = _record(db)["sha256"]
    row = [k for k in values if k.startswith(ROW + ".")]
    first = _fill_row(values, sha, row)
    first[0]["value"] = values[row[0]] + 5      # a slip, corrected again below
    assert main(["correct", str(_jsonl(tmp_path / "a.jsonl", first)), "--db", str(db), "--by", "a"]) == 0
    again = [dict(first[0], value=values[row[0]])]
    assert main(["correct", str(_jsonl(tmp_path / "b.jsonl", again)), "--db", str(db), "--by", "b"]) == 0
    with Store(db) as store:
        log = corrections.by_document(store)[sha]
    assert len(log) == len(row) + 1 and [c.by for c in log][-2:] == ["a", "b"]
    assert _record(db)["values"][row[0]] == values[row[0]]
    assert _record(db)["status"] == "human_verified"
