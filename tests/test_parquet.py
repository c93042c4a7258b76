"""`export --format parquet` (the parquet extra): wide and long, read back with pyarrow, hold what
the JSONL export holds. Skipped, naming the package, where pyarrow is missing."""
from __future__ import annotations

import json

import pytest
from conftest import REPORTS, corpus_files

from extract import template
from extract.cli import main

pq = pytest.importorskip("pyarrow.parquet", reason="Parquet tests need pyarrow: pip install 'govreport[parquet]'")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("parquet") / "s.db"
    assert main(["extract", *map(str, corpus_files("*") + REPORTS), "--db", str(db), "--no-llm", "--workers", "1"]) == 0
    return db


def jsonl(store, tmp_path) -> list[dict]:
    assert main(["export", "--db", str(store), "-o", str(tmp_path / "all.jsonl")]) == 0
    return [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]


def test_the_wide_form_reads_back_with_the_stated_columns(store, tmp_path):
    assert main(["export", "--db", str(store), "-o", str(tmp_path / "wide.parquet")]) == 0
    table = pq.read_table(tmp_path / "wide.parquet")
    assert table.column_names == ["path", "sha256", "status", "reason", "year", "agency", "agency_key",
                                  "template_version", "issue_codes", *template.template_order()]
    rows = {r["path"]: r for r in table.to_pylist()}
    for record in jsonl(store, tmp_path):
        row = rows[record["path"]]
        assert (row["status"], row["year"], row["agency"]) == (record["status"], record["meta"]["year"],
                                                               record["meta"]["agency"])
        assert {k: row[k] for k in record["values"]} == {k: None if v is None else float(v)
                                                         for k, v in record["values"].items()}
    assert {r["agency_key"] for r in rows.values() if "hongze" in r["path"]} == {"淮安市洪泽区政府"}


def test_the_long_form_has_a_row_per_record_and_cell(store, tmp_path):
    assert main(["export", "--db", str(store), "--long", "-o", str(tmp_path / "long.parquet")]) == 0
    table = pq.read_table(tmp_path / "long.parquet")
    assert table.column_names == ["agency_key", "agency", "year", "template_version", "table", "row", "column", "key",
                                  "value", "state", "confidence", "status", "sha256", "path"]
    records = jsonl(store, tmp_path)
    assert table.num_rows == len(records) * len(template.template_order())
    rows = table.to_pylist()
    cell = next(r for r in rows if r["key"] == "requests.new.total" and r["state"] == "printed")
    record = next(r for r in records if r["path"] == cell["path"])
    assert cell["value"] == record["values"]["requests.new.total"] and cell["table"] == "requests"
    assert (cell["row"], cell["column"]) == ("requests.new", "total")


def test_parquet_goes_to_a_file_and_has_no_chinese_labels(store, capsys):
    assert main(["export", "--db", str(store), "--format", "parquet"]) == 2
    assert "pass -o FILE.parquet" in capsys.readouterr().err
