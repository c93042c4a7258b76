"""`govreport codebook`: the export's columns described, one row per key of either template."""
from __future__ import annotations

import csv
import json

from conftest import SHARED

from extract import template
from extract.cli import main


def test_the_codebook_describes_every_column_of_the_export(tmp_path):
    assert main(["codebook", "-o", str(tmp_path / "codebook.csv")]) == 0
    rows = list(csv.DictReader((tmp_path / "codebook.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["key"] for r in rows] == list(template.template_order())
    by_key = {r["key"]: r for r in rows}
    spec = json.loads((SHARED / "spec" / "fields.json").read_text(encoding="utf-8"))
    for version, tables in spec["formats"].items():
        for field in (f for cells in tables.values() if isinstance(cells, list) for f in cells if "key" in f):
            if field["key"] in by_key:
                assert version in by_key[field["key"]]["template_versions"].split()
    assert by_key["active.rules.issued"]["template_versions"] == "2021"
    assert by_key["requests.new.total"]["template_versions"] == "2019 2021"
    assert "本年新收" in by_key["requests.new.natural_person"]["label"] and "自然人" in by_key["requests.new.natural_person"]["label"]
    assert {r["unit"] for r in rows} == {"", "万元"}
    assert by_key["requests.new.total"]["row"] == "requests.new" and by_key["requests.new.total"]["column"] == "total"
