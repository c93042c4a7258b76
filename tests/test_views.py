"""The store's SQL views (extract/store/views.py): what `datasette govreport.db` shows. Checked
with sqlite3 against the export, and through Datasette's own test client where it is installed."""
from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest
from conftest import REPORTS, corpus_files

from extract import template
from extract.cli import main
from extract.store import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / "govreport.db"
    assert main(["extract", *map(str, corpus_files("*") + REPORTS), "--db", str(path), "--no-llm", "--workers", "1"]) == 0
    return path


def test_record_values_are_the_records_values(db):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = {r["path"]: dict(r) for r in conn.execute("SELECT * FROM record_values")}
    with Store(db) as store:
        records = list(store.iter_results())
    assert len(rows) == len(records)
    for record in records:
        row = rows[record["path"]]
        assert (row["status"], row["year"], row["agency"], row["template_version"]) == (
            record["status"], record["year"], record["agency"], record["format"])
        assert {k: row[k] for k in record["values"]} == record["values"]
        own = template.numeric_key_set(record["format"])
        assert all(row[k] is None for k in template.template_order() if k not in own)
        assert (row["issue_codes"] or "") == ";".join(sorted({i["code"] for i in record["issues"]}))
    issues = conn.execute("SELECT COUNT(*) FROM record_issues").fetchone()[0]
    assert issues == sum(len(r["issues"]) for r in records)


def test_the_views_follow_the_template_when_it_changes(db, monkeypatch):
    conn = sqlite3.connect(db)
    conn.execute("DROP VIEW record_values")
    conn.execute("CREATE VIEW record_values AS SELECT 1 AS old")
    conn.commit()
    conn.close()
    with Store(db):
        pass                                          # held definitions still counted as current
    conn = sqlite3.connect(db)
    conn.execute("UPDATE _views SET definition = 'older'")
    conn.commit()
    conn.close()
    with Store(db):
        pass                                          # other definitions: replaced
    columns = [r[1] for r in sqlite3.connect(db).execute("PRAGMA table_info(record_values)")]
    assert columns[:3] == ["path", "sha256", "status"] and "requests.new.total" in columns


def test_datasette_shows_the_views(db):
    datasette = pytest.importorskip("datasette.app", reason="the Datasette check needs datasette: pip install datasette")

    async def fetch(path: str):
        app = datasette.Datasette([str(db)])
        return await app.client.get(path)

    response = asyncio.run(fetch(f"/{db.stem}/record_values.json?_shape=array&_size=max"))
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == len(corpus_files("*") + REPORTS) and "requests.new.total" in rows[0]
    response = asyncio.run(fetch(f"/{db.stem}/record_issues.json?_shape=array&code=R2"))
    assert response.status_code == 200 and all(r["code"] == "R2" for r in response.json())
    json.dumps(rows)   # plain JSON values throughout
