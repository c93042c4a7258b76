"""The command line, driven as a user would: extract → review → export → verify."""
from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import GOLD, REPORTS, SHARED

from extract import fields
from extract.cli import build_parser, main


@pytest.fixture
def db(tmp_path, capsys):
    path = tmp_path / "govreport.db"
    assert main(["extract", str(SHARED / "samples" / "reports"), "--db", str(path)]) == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize("command", ["extract", "export", "review", "verify", "eval", "serve-local"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert len(capsys.readouterr().out) > 200


def test_extract_says_the_llm_is_off_and_summarises(tmp_path, capsys):
    assert main(["extract", str(REPORTS[0]), "--db", str(tmp_path / "x.db")]) == 0
    err = capsys.readouterr().err
    assert "LLM: off" in err and "1 files" in err


def test_rerun_skips_done_documents_and_force_redoes_them(db, capsys):
    assert main(["extract", str(SHARED / "samples" / "reports"), "--db", str(db)]) == 0
    assert "skipped 5" in capsys.readouterr().err
    assert main(["extract", str(REPORTS[0]), "--db", str(db), "--force"]) == 0
    assert "skipped" not in capsys.readouterr().err


def test_export_jsonl_follows_the_interface(db, capsys):
    assert main(["export", "--db", str(db)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 5
    for record in records:
        assert {"path", "sha256", "status", "meta", "values", "issues"} <= set(record)
        assert set(record["meta"]) >= {"year", "agency", "format"}
        assert list(record["values"]) == list(fields.numeric_keys(record["meta"]["format"]))
        gold = json.loads((GOLD / (record["path"].rsplit("/", 1)[-1][:-4] + ".json")).read_text("utf-8"))
        assert record["values"] == gold["values"] and record["meta"] == gold["meta"]
        for issue in record["issues"]:
            assert {"code", "keys", "message"} <= set(issue)


def test_export_csv_has_a_column_per_canonical_key(db, capsys):
    assert main(["export", "--db", str(db), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5
    assert set(fields.all_numeric_keys()) <= set(rows[0])
    by_file = {r["path"].rsplit("/", 1)[-1][:3]: r for r in rows}
    assert by_file["003"]["litigation.direct.total"] == "44"
    assert by_file["003"]["status"] == "source_inconsistent"
    assert by_file["000"]["active.rules.new_made"] == ""  # a 2019 key on a 2021 report


def test_export_status_filter(db, capsys):
    assert main(["export", "--db", str(db), "--status", "verified"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["status"] for r in records} == {"verified"} and len(records) == 2


def test_review_lists_flagged_documents_with_reasons(db, capsys):
    assert main(["review", "--db", str(db), "--all-issues"]) == 0
    out = capsys.readouterr().out
    assert "source_inconsistent" in out and "003_" in out and "R4" in out
    assert "002_" not in out and "004_" not in out


@pytest.mark.parametrize("stem,code", [("002", 0), ("003", 1)])
def test_verify_a_gold_record(stem, code, capsys):
    gold = next(GOLD.glob(f"{stem}_*.json"))
    text = next(p for p in REPORTS if p.stem.startswith(stem))
    assert main(["verify", str(gold), "--text", str(text)]) == code
    out = capsys.readouterr().out
    assert ("R4" in out) == (stem == "003")


def test_verify_rejects_a_file_that_is_not_a_record(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    assert main(["verify", str(bad)]) == 2
    bad.write_text("not json", encoding="utf-8")
    assert main(["verify", str(bad)]) == 2


def test_parser_lists_every_command():
    actions = [a for a in build_parser()._actions if a.dest == "command"]
    assert set(actions[0].choices) >= {"extract", "export", "review", "verify"}
