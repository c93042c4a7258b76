"""The SQLite store: migrations, the newer-schema and garbage-file refusals, and each table's
write/read contract. Raw-table assertions go through a second sqlite3 connection, so they
check what is really on disk (committed), not what the Store's own connection sees."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from extract.errors import StoreError
from extract.packing import pack_record
from extract.policy import MACHINE_STATUSES
from extract.store import MIGRATIONS, Store

ISSUE = {"code": "sum_mismatch", "keys": ["新收申请.合计", "新收申请.自然人"], "message": "合计 ≠ 分项之和",
         "severity": "error", "origin": "source", "expected": 12.0, "found": 11.0}


def raw_rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def add_doc(store: Store, sha: str, path: str = "", text: str | None = "正文") -> None:
    store.add_document(sha, path or f"{sha}.txt", 100, text, "utf-8")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "govreport.db"


@pytest.fixture
def store(db: Path):
    with Store(db) as s:
        yield s


# --- opening and migrating ------------------------------------------------------------------

def test_fresh_store_applies_every_migration_once_and_sets_pragmas(store: Store, db: Path) -> None:
    names = [name for (name,) in raw_rows(db, "SELECT name FROM _migrations ORDER BY rowid")]
    assert names == [m.__name__ for m in MIGRATIONS]
    tables = {name for (name,) in raw_rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"_migrations", "files", "documents", "runs", "attempts", "results", "issues"} <= tables
    assert raw_rows(db, "PRAGMA journal_mode") == [("wal",)]
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_reopening_is_idempotent_and_keeps_data(db: Path) -> None:
    with Store(db) as s:
        add_doc(s, "a")
        s.save_result("a", status="verified", values={"x": 1})
    before = raw_rows(db, "SELECT name, applied_at FROM _migrations ORDER BY name")
    for _ in range(2):
        with Store(db) as s:
            assert s.is_done("a")
    assert raw_rows(db, "SELECT name, applied_at FROM _migrations ORDER BY name") == before
    assert raw_rows(db, "SELECT COUNT(*) FROM documents") == [(1,)]


def test_unknown_migration_means_newer_schema_and_is_refused(db: Path) -> None:
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES ('m999_from_the_future', 0)")
    with pytest.raises(StoreError, match="m999_from_the_future"):
        Store(db)


@pytest.mark.parametrize("content", [b"this is not a database, just text\n" * 200, b"\x00\xff" * 4096],
                         ids=["text", "binary"])
def test_garbage_file_is_refused_and_left_untouched(db: Path, content: bytes) -> None:
    db.write_bytes(content)
    with pytest.raises(StoreError) as info:
        Store(db)
    assert isinstance(info.value.__cause__, sqlite3.DatabaseError)
    assert db.read_bytes() == content


def test_locked_database_raises_store_error(db: Path) -> None:
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked"):
            Store(db, timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_unopenable_path_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Store(tmp_path / "no" / "such" / "dir" / "x.db")


# --- files and documents --------------------------------------------------------------------

def test_record_file_keeps_unreadable_paths_and_updates_on_reseeing(store: Store, db: Path) -> None:
    store.record_file("reports/坏.txt", None, None, "permission denied")
    assert raw_rows(db, "SELECT path, sha256, size, error FROM files") == [
        ("reports/坏.txt", None, None, "permission denied")]
    store.record_file("reports/坏.txt", "abc", 7)
    assert raw_rows(db, "SELECT path, sha256, size, error FROM files") == [("reports/坏.txt", "abc", 7, None)]


def test_add_document_first_path_wins_and_text_may_be_null(store: Store, db: Path) -> None:
    store.add_document("h1", "first.txt", 10, "甲", "gb18030")
    store.add_document("h1", "copy.txt", 10, "甲", "gb18030")
    store.add_document("h2", "binary.bin", 5, None, None)
    assert raw_rows(db, "SELECT sha256, path, encoding FROM documents ORDER BY sha256") == [
        ("h1", "first.txt", "gb18030"), ("h2", "binary.bin", None)]
    assert store.get_text("h1") == "甲"
    assert store.get_text("h2") is None
    assert store.get_text("missing") is None


def test_chinese_round_trips_and_json_is_not_escaped(store: Store, db: Path) -> None:
    text = "北京市人民政府2023年政府信息公开工作年度报告\n一、总体情况……（全角）\u3000"
    add_doc(store, "zh", path="报告/北京.txt", text=text)
    store.save_result("zh", status="needs_review", agency="北京市人民政府", reason="合计不符",
                      values={"新收申请.合计": 12}, issues=[ISSUE])
    assert store.get_text("zh") == text
    [record] = store.iter_results()
    assert (record["path"], record["agency"], record["reason"]) == ("报告/北京.txt", "北京市人民政府", "合计不符")
    assert record["values"] == {"新收申请.合计": 12}
    assert record["issues"] == [ISSUE]
    [(raw_values, raw_keys)] = raw_rows(db, "SELECT r.cell_values, i.keys FROM results r JOIN issues i USING (sha256)")
    assert "新收申请" in raw_values and "\\u" not in raw_values
    assert "新收申请" in raw_keys


# --- runs and attempts ----------------------------------------------------------------------

def test_runs_record_argv_settings_and_totals(store: Store, db: Path) -> None:
    run_id = store.begin_run(["govreport", "extract", "样本/"], {"model": "m", "workers": 1})
    assert raw_rows(db, "SELECT argv, settings, finished_at, totals FROM runs WHERE id = ?", (run_id,)) == [
        ('["govreport","extract","样本/"]', '{"model":"m","workers":1}', None, None)]
    store.finish_run(run_id, {"verified": 3})
    [(finished_at, totals)] = raw_rows(db, "SELECT finished_at, totals FROM runs WHERE id = ?", (run_id,))
    assert finished_at is not None and totals == '{"verified":3}'
    assert store.begin_run([], {}) == run_id + 1


# Each case: attempts in insertion order as (cache_key, error, marker) → expected marker.
CACHE_CASES = {
    "none": ([], None),
    "single success": ([("k", None, 1)], 1),
    "newest success wins": ([("k", None, 1), ("k", None, 2)], 2),
    "newer failure skipped": ([("k", None, 1), ("k", "timeout", 2)], 1),
    "only failures": ([("k", "timeout", 1), ("k", "bad json", 2)], None),
    "other key ignored": ([("k", None, 1), ("other", None, 2)], 1),
    "only other key": ([("other", None, 1)], None),
}


@pytest.mark.parametrize("attempts, expected", CACHE_CASES.values(), ids=CACHE_CASES.keys())
def test_cached_attempt_returns_newest_successful(store: Store, attempts: list, expected: int | None) -> None:
    add_doc(store, "d")
    run_id = store.begin_run([], {})
    for key, error, marker in attempts:
        store.add_attempt("d", run_id, "llm", model="qwen", cache_key=key, error=error,
                          request={"messages": [{"role": "user", "content": "表格"}]},
                          response={"marker": marker}, usage={"prompt_tokens": 10}, latency_s=0.5,
                          result={"values": {"甲": marker}})
    cached = store.cached_attempt("k")
    if expected is None:
        assert cached is None
        return
    assert cached["response"] == {"marker": expected}
    assert cached["result"] == {"values": {"甲": expected}}
    assert cached["request"]["messages"][0]["content"] == "表格"
    assert (cached["usage"], cached["model"], cached["error"], cached["run_id"]) == ({"prompt_tokens": 10}, "qwen", None, run_id)


def test_add_attempt_returns_increasing_ids_and_keeps_every_attempt(store: Store, db: Path) -> None:
    add_doc(store, "d")
    ids = [store.add_attempt("d", None, method) for method in ("parsers", "llm", "llm_reask")]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert raw_rows(db, "SELECT method FROM attempts ORDER BY id") == [("parsers",), ("llm",), ("llm_reask",)]


def test_attempt_for_unknown_document_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        store.add_attempt("never-added", None, "parsers")


# --- results and issues ---------------------------------------------------------------------

def test_is_done_once_any_result_is_saved(store: Store) -> None:
    add_doc(store, "d")
    assert not store.is_done("d")
    store.save_result("d", status="failed", reason="no tables found")
    assert store.is_done("d")
    assert not store.is_done("other")


def test_save_result_replaces_result_and_issues(store: Store, db: Path) -> None:
    add_doc(store, "d")
    store.save_result("d", status="needs_review", values={"a": 1}, confidence={"a": 0.5},
                      issues=[ISSUE, {**ISSUE, "code": "second"}, {**ISSUE, "code": "third"}])
    store.save_result("d", status="verified", values={"a": 2}, chosen="llm", year=2023, format="2021",
                      issues=[{**ISSUE, "code": "only", "expected": None, "found": None}])
    [record] = store.iter_results()
    assert (record["status"], record["values"], record["chosen"], record["year"], record["format"]) == (
        "verified", {"a": 2}, "llm", 2023, "2021")
    assert record["confidence"] is None  # replaced, not merged
    assert [i["code"] for i in record["issues"]] == ["only"]
    assert raw_rows(db, "SELECT code FROM issues") == [("only",)]
    assert raw_rows(db, "SELECT COUNT(*) FROM results") == [(1,)]


def test_save_result_rejects_unknown_status_and_leaves_store_unchanged(store: Store) -> None:
    add_doc(store, "d")
    with pytest.raises(ValueError, match="done"):
        store.save_result("d", status="done")
    assert not store.is_done("d")


def test_save_result_is_atomic_when_an_issue_is_malformed(store: Store, db: Path) -> None:
    add_doc(store, "d")
    store.save_result("d", status="needs_review", issues=[ISSUE])
    bad = {**ISSUE, "code": None}  # violates issues.code NOT NULL after results was updated
    with pytest.raises(StoreError):
        store.save_result("d", status="verified", issues=[bad])
    [record] = store.iter_results()
    assert record["status"] == "needs_review"
    assert record["issues"] == [ISSUE]


SEED = [  # (sha, path, status, issue codes)
    ("s3", "c/三.txt", "verified", []),
    ("s1", "a/一.txt", "needs_review", ["x", "y"]),
    ("s4", "b/四.txt", "failed", ["z"]),
    ("s2", "a/二.txt", "source_inconsistent", ["w"]),
    ("s5", "d/五.txt", None, []),  # a document without a result
]
FILTERS = {
    "all": (None, ["a/一.txt", "a/二.txt", "b/四.txt", "c/三.txt"]),
    "one status": ({"verified"}, ["c/三.txt"]),
    "two statuses": ({"needs_review", "failed"}, ["a/一.txt", "b/四.txt"]),
    "empty set": (set(), []),
    "unused status": ({"nonexistent"}, []),
}


@pytest.mark.parametrize("statuses, paths", FILTERS.values(), ids=FILTERS.keys())
def test_iter_results_filters_and_orders_by_path(store: Store, statuses: set[str] | None, paths: list[str]) -> None:
    for sha, path, status, codes in SEED:
        add_doc(store, sha, path=path)
        if status:
            store.save_result(sha, status=status, issues=[{**ISSUE, "code": c} for c in codes])
    records = list(store.iter_results(statuses))
    assert [r["path"] for r in records] == paths
    expected_codes = {path: codes for _, path, _, codes in SEED}
    for record in records:
        assert [i["code"] for i in record["issues"]] == expected_codes[record["path"]]


def test_count_by_status_reports_every_status(store: Store) -> None:
    assert store.count_by_status() == dict.fromkeys(MACHINE_STATUSES, 0)
    for sha, status in [("a", "verified"), ("b", "verified"), ("c", "failed")]:
        add_doc(store, sha)
        store.save_result(sha, status=status)
    assert store.count_by_status() == {"verified": 2, "source_inconsistent": 0, "needs_review": 0, "failed": 1}


# --- transactions and resuming --------------------------------------------------------------

def test_interrupted_document_is_rolled_back_and_earlier_ones_survive(db: Path) -> None:
    with Store(db) as s:
        with s.transaction():
            add_doc(s, "done")
            s.add_attempt("done", None, "parsers")
            s.save_result("done", status="verified")
        with pytest.raises(KeyboardInterrupt):
            with s.transaction():
                add_doc(s, "in-flight")
                s.add_attempt("in-flight", None, "parsers")
                raise KeyboardInterrupt
    with Store(db) as s:
        assert s.is_done("done") and not s.is_done("in-flight")
        assert s.get_text("in-flight") is None
    assert raw_rows(db, "SELECT sha256 FROM attempts") == [("done",)]


def test_nested_transaction_failure_rolls_back_only_the_inner_part(store: Store, db: Path) -> None:
    with store.transaction():
        add_doc(store, "kept")
        with pytest.raises(RuntimeError):
            with store.transaction():
                add_doc(store, "dropped")
                raise RuntimeError
    assert raw_rows(db, "SELECT sha256 FROM documents") == [("kept",)]


def test_writes_inside_a_transaction_are_invisible_to_others_until_commit(store: Store, db: Path) -> None:
    with store.transaction():
        add_doc(store, "d")
        assert raw_rows(db, "SELECT COUNT(*) FROM documents") == [(0,)]
    assert raw_rows(db, "SELECT COUNT(*) FROM documents") == [(1,)]


def test_two_runs_on_one_store_share_the_work(tmp_path):
    """Two `extract` processes at once: each document is extracted by one of them, once."""
    import sqlite3
    import subprocess
    import sys

    from conftest import REPORTS

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(60):
        source = REPORTS[i % len(REPORTS)]
        (folder / f"r{i:03d}.txt").write_text(source.read_text(encoding="utf-8") + f"\n副本 {i}\n", encoding="utf-8")
    db = tmp_path / "shared.db"
    # The store must exist before both start, as it would for runs resumed on one store.
    assert subprocess.run([sys.executable, "-m", "extract.cli", "extract", str(folder / "r000.txt"), "--db", str(db)],
                          capture_output=True).returncode == 0
    runs = [subprocess.Popen([sys.executable, "-m", "extract.cli", "extract", str(folder), "--db", str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read().decode()
    with sqlite3.connect(db) as conn:
        results = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        extractions = conn.execute("SELECT COUNT(*) FROM attempts WHERE method = 'parsers'").fetchone()[0]
        claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    assert results == 60
    assert extractions == 60  # no document extracted twice
    assert claims == 0        # every claim released with its record


def test_a_claim_of_a_run_that_ended_does_not_block(tmp_path):
    import socket

    with Store(tmp_path / "s.db") as store:
        gone = f"{socket.gethostname()}:999999999:1"   # no such process
        assert store.claim("abc", gone)
        assert store.claim("abc", f"{socket.gethostname()}:1:2")  # pid 1 is alive: now it holds it
        assert not store.claim("abc", "elsewhere:5:3")             # a live claim holds
        assert store.claim("abc", "elsewhere:5:3", now=10 ** 12)     # …until it is stale


def test_claims_of_a_batch_are_decided_each_as_one_claim_would_be(tmp_path):
    import socket

    live, other = f"{socket.gethostname()}:1:1", "elsewhere:5:3"   # pid 1 is alive
    with Store(tmp_path / "s.db") as store:
        assert store.claim("held", other) and store.claim("mine", live) and store.claim("old", other, now=1.0)
        assert store.claim("gone", f"{socket.gethostname()}:999999999:1")
        taken = store.claim_each(["free", "held", "mine", "old", "gone", "free"], live)
        assert taken == {"free", "mine", "old", "gone"}
        owners = dict(store._conn.execute("SELECT sha256, owner FROM claims").fetchall())
    assert owners == {"free": live, "held": other, "mine": live, "old": live, "gone": live}


def test_done_among_answers_for_more_documents_than_one_statement_may_name(store: Store) -> None:
    shas = [f"d{i:04d}" for i in range(1203)]   # SQLite limits a statement's parameters (999 in older builds)
    store.add_documents([(sha, f"{sha}.txt", 1, "正文", "utf-8") for sha in shas])
    store.save_results([dict(sha256=sha, status="verified", packed=pack_record(None, None, None, None))
                        for sha in shas[::2]])
    store.save_result("d0002", status="needs_review", issues=[{**ISSUE, "code": "llm_unavailable"}])
    assert store.done_among(shas + ["unknown"]) == set(shas[::2]) - {"d0002"}


def test_a_batch_naming_one_document_twice_keeps_its_last_record_and_issues_once(store: Store, db: Path) -> None:
    add_doc(store, "d")
    first = pack_record(None, {"a": 1}, None, None, [ISSUE, {**ISSUE, "code": "second"}])
    last = pack_record(None, {"a": 2}, None, None, [{**ISSUE, "code": "last"}])
    store.save_results([dict(sha256="d", status="needs_review", packed=first),
                        dict(sha256="d", status="verified", packed=last)])
    [record] = store.iter_results()
    assert (record["status"], record["values"]) == ("verified", {"a": 2})
    assert [i["code"] for i in record["issues"]] == ["last"]
    assert raw_rows(db, "SELECT COUNT(*) FROM issues") == [(1,)]


def test_a_batch_with_a_bad_record_leaves_the_store_as_it_was(store: Store, db: Path) -> None:
    add_doc(store, "a")
    add_doc(store, "b")
    good = dict(sha256="a", status="verified", packed=pack_record(None, {"x": 1}, None, None, [ISSUE]))
    with pytest.raises(ValueError, match="done"):
        store.save_results([good, dict(sha256="b", status="done", packed=pack_record(None, None, None, None))])
    assert raw_rows(db, "SELECT COUNT(*) FROM results") == [(0,)]
    with pytest.raises(StoreError):
        store.save_results([good, dict(sha256="b", status="verified",
                                       packed=pack_record(None, None, None, None, [{**ISSUE, "code": None}]))])
    assert raw_rows(db, "SELECT COUNT(*) FROM results") == raw_rows(db, "SELECT COUNT(*) FROM issues") == [(0,)]


def test_attempts_of_a_batch_keep_their_order(store: Store, db: Path) -> None:
    add_doc(store, "d")
    store.add_attempts([dict(sha256="d", run_id=None, method=method, result={"n": i})
                        for i, method in enumerate(["parsers", "llm_first", "llm_reask"])])
    assert raw_rows(db, "SELECT method, result FROM attempts ORDER BY id") == [
        ("parsers", '{"n":0}'), ("llm_first", '{"n":1}'), ("llm_reask", '{"n":2}')]


def test_records_are_packed_and_read_back_the_same(tmp_path):
    from extract import template
    from extract.packing import (
        pack_confidence,
        pack_keys,
        pack_provenance,
        pack_values,
        unpack_confidence,
        unpack_keys,
        unpack_provenance,
        unpack_values,
    )

    keys = template.numeric_keys("2021")
    values = {k: (i % 7 if i % 5 else None) for i, k in enumerate(keys)}
    provenance = {k: ({"method": "split", "start": i, "end": i + 2, "line": 3, "note": "split from a run of digits"}
                      if i % 3 else {"method": "inferred"}) for i, k in enumerate(keys) if values[k] is not None}
    provenance["meta.year"] = {"method": "table", "start": 0, "end": 4}
    confidence = {k: ("agree" if i % 2 else "parsers_only") for i, k in enumerate(keys) if values[k] is not None}
    assert unpack_values("2021", pack_values("2021", values)) == values
    assert unpack_provenance("2021", pack_provenance("2021", provenance)) == provenance
    assert unpack_confidence("2021", pack_confidence("2021", confidence)) == confidence
    long_list = [k for k in template.template_order() if k in keys][:150]
    assert unpack_keys(pack_keys(long_list)) == long_list and len(str(pack_keys(long_list))) < 200
    assert unpack_keys(pack_keys(["requests.new.*", "review.total"])) == ["requests.new.*", "review.total"]
    # Ranges only for keys strictly in template order: a list out of order, or with a key twice, stays a list.
    for odd in (long_list[:10][::-1], long_list[:10] + long_list[9:10], long_list[:10] + ["requests.new.*"]):
        assert pack_keys(odd) == odd
    assert len(pack_values("2021", values)) < len(json.dumps(values)) / 5


def test_a_store_of_dict_records_is_migrated_to_packed_ones(tmp_path):
    """A store written before packing (m001 and m002 only) opens, migrates, and reads the same."""
    import sqlite3

    from extract import template
    from extract.store.migrations import m001_initial, m002_claims

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    for m in (m001_initial, m002_claims):
        m(conn)
        conn.execute("INSERT INTO _migrations VALUES (?, 0)", (m.__name__,))
    values = {k: 1 for k in template.numeric_keys("2019")}
    provenance = {k: {"method": "table", "start": 5, "end": 6, "line": 2} for k in values}
    conn.execute("INSERT INTO documents VALUES ('h', 'a.txt', 10, 'utf-8', '正文', 0)")
    conn.execute("INSERT INTO files VALUES ('a.txt', 'h', 10, NULL, 0)")
    conn.execute("INSERT INTO results (sha256, status, format, cell_values, provenance, confidence, updated_at) "
                 "VALUES ('h', 'verified', '2019', ?, ?, ?, 0)",
                 (json.dumps(values), json.dumps(provenance), json.dumps({k: "agree" for k in values})))
    keys = list(values)[:40]
    conn.execute("INSERT INTO issues (sha256, code, keys, message, severity) VALUES ('h', 'x', ?, 'm', 'info')",
                 (json.dumps(keys),))
    conn.close()
    with Store(db) as store:
        record = next(store.iter_results())
    assert record["values"] == values and record["provenance"] == provenance
    assert record["issues"][0]["keys"] == keys
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT cell_values FROM results").fetchone()[0].startswith("[1,")


def test_provenance_packed_from_the_cells_is_the_dict_form_packed():
    from conftest import SHARED

    from extract.packing import pack_cell_provenance, pack_provenance, unpack_provenance
    from extract.packing.record import meta_provenance, provenance_of
    from extract.process import assess_text
    from extract.reading import Cell

    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "samples" / "reports").glob("*"))
             + sorted((SHARED / "corpus" / "raw").glob("*.txt"))]
    assert len(texts) >= 5
    for text in texts:
        chosen = assess_text(text).reading
        direct = pack_cell_provenance(chosen.version, chosen.cells, meta_provenance(chosen))
        assert direct == pack_provenance(chosen.version, provenance_of(chosen))
        assert unpack_provenance(chosen.version, direct) == provenance_of(chosen)
    # Odd spans (none, a span without a line, offsets that are not ints, a '%' anywhere) and notes.
    from extract import template
    from extract.reading import Reading
    keys = template.numeric_keys("2021")
    odd = Reading("llm", "2021", cells={keys[0]: Cell(3, "table", 10, 11, 2), keys[1]: Cell(0, "inferred", note="50% off"),
                                           keys[2]: Cell(5, "llm", 7, 9), keys[3]: Cell(6, "llm", "1%", "2%s", None, "%d"),
                                           keys[4]: Cell(None, "missing"), keys[5]: Cell(2.5, "split", 30, 34, 4, "50% off")})
    direct = pack_cell_provenance("2021", odd.cells, meta_provenance(odd))
    assert direct == pack_provenance("2021", provenance_of(odd))
    assert unpack_provenance("2021", direct) == provenance_of(odd)
    # Cells the packed form cannot hold are left to the dict form.
    assert pack_cell_provenance("2021", {"no.such.key": Cell(1)}, {}) is None
    assert pack_cell_provenance(None, {}, {}) is None
