"""The command line, driven as a user would: extract → review → export → verify."""
from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import GOLD, REPORTS, SHARED

from extract import template
from extract.agency import agency_key
from extract.cli import COMMANDS, build_parser, main


@pytest.fixture
def db(tmp_path, capsys):
    path = tmp_path / "govreport.db"
    assert main(["extract", str(SHARED / "samples" / "reports"), "--db", str(path)]) == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize("command", [c.NAME for c in COMMANDS])
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
        assert list(record["values"]) == list(template.numeric_keys(record["meta"]["format"]))
        gold = json.loads((GOLD / (record["path"].rsplit("/", 1)[-1][:-4] + ".json")).read_text("utf-8"))
        assert record["values"] == gold["values"]
        assert record["meta"] == {**gold["meta"], "template_version": gold["meta"]["format"],
                                  "agency_key": agency_key(gold["meta"]["agency"])}
        for issue in record["issues"]:
            assert {"code", "keys", "message"} <= set(issue)


def test_export_csv_has_a_column_per_canonical_key(db, capsys):
    assert main(["export", "--db", str(db), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")  # Excel opens it as UTF-8
    rows = list(csv.DictReader(io.StringIO(out[1:])))
    assert len(rows) == 5
    assert set(template.template_order()) <= set(rows[0])  # every key of both versions
    by_file = {r["path"].rsplit("/", 1)[-1][:3]: r for r in rows}
    assert by_file["003"]["litigation.direct.total"] == "44"
    assert by_file["003"]["status"] == "source_inconsistent"
    assert by_file["000"]["active.rules.new_made"] == ""  # a 2019 key on a 2021 report


def test_export_status_filter(db, capsys):
    assert main(["export", "--db", str(db), "--status", "verified"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["status"] for r in records} == {"verified"} and len(records) == 3


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


def test_verify_says_a_value_that_is_not_a_number_beside_a_text(tmp_path, capsys):
    gold = json.loads(next(GOLD.glob("002_*.json")).read_text(encoding="utf-8"))
    key = next(k for k, v in gold["values"].items() if v is not None)
    gold["values"][key] = "twelve"
    record = tmp_path / "r.json"
    record.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    text = next(p for p in REPORTS if p.stem.startswith("002"))
    assert main(["verify", str(record), "--text", str(text)]) == 1
    assert "not_a_number" in capsys.readouterr().out


def test_verify_rejects_a_file_that_is_not_a_record(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    assert main(["verify", str(bad)]) == 2
    bad.write_text("not json", encoding="utf-8")
    assert main(["verify", str(bad)]) == 2


def test_parser_lists_every_command():
    actions = [a for a in build_parser()._actions if a.dest == "command"]
    assert set(actions[0].choices) >= {"extract", "export", "review", "verify"}


def test_csv_columns_follow_the_template(db, capsys):
    assert main(["export", "--db", str(db), "--format", "csv"]) == 0
    head = next(csv.reader(io.StringIO(capsys.readouterr().out[1:])))
    cells = head[head.index("issue_codes") + 1:]
    assert cells[0].startswith("active.") and cells[-1] == "litigation.after_review.total"
    rows = [c.rsplit(".", 1)[0] for c in cells if c.startswith("requests.")]
    assert list(dict.fromkeys(rows)).index("requests.other") + 1 == list(dict.fromkeys(rows)).index(
        "requests.other.overdue_correction")  # the 2021 sub-rows follow the 2019 row they replace
    assert rows[0] == "requests.new" and rows[-1] == "requests.carried_forward"


def test_csv_with_chinese_labels(db, capsys):
    assert main(["export", "--db", str(db), "--format", "csv", "--labels", "zh"]) == 0
    head = next(csv.reader(io.StringIO(capsys.readouterr().out[1:])))
    assert "状态" in head and "行政事业性收费 本年收费金额（万元）" in head
    assert any(h.startswith("一、本年新收政府信息公开申请数量 自然人") for h in head)


def test_long_export_tells_not_printed_from_not_in_template(db, capsys):
    assert main(["export", "--db", str(db), "--long"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out[1:])))
    of = {(r["path"].rsplit("/", 1)[-1][:3], r["key"]): r for r in rows}
    assert of[("000", "active.rules.new_made")]["state"] == "not_in_template"   # a 2019 cell, a 2021 report
    assert of[("000", "requests.new.total")]["state"] == "printed"
    assert of[("003", "litigation.direct.total")]["value"] == "44"
    assert len({r["path"] for r in rows}) == 5


@pytest.mark.parametrize("command", ["review", "export", "eval", "audit", "forget", "correct"])
def test_commands_on_a_store_refuse_a_missing_one_and_create_nothing(command, tmp_path, capsys):
    """Reading commands, and those that change records (forget, correct): a mistyped --db is said."""
    typo = tmp_path / "typo.db"
    given = {"eval": [str(GOLD)], "forget": [str(REPORTS[0])], "correct": [str(tmp_path / "c.jsonl")]}
    args = [command, "--db", str(typo), *given.get(command, [])]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "no store at" in err and len(err.strip().splitlines()) == 1
    assert not typo.exists()


def test_reading_commands_work_on_a_read_only_store(db, capsys, tmp_path):
    import os
    import shutil
    import stat

    copy = tmp_path / "ro" / "store.db"
    copy.parent.mkdir()
    shutil.copy(db, copy)
    os.chmod(copy, stat.S_IRUSR)
    os.chmod(copy.parent, stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert main(["export", "--db", str(copy)]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 5
        assert main(["review", "--db", str(copy)]) == 0
    finally:
        os.chmod(copy.parent, stat.S_IRWXU)


def test_export_to_a_missing_folder_is_a_clear_error(db, capsys, tmp_path):
    assert main(["export", "--db", str(db), "-o", str(tmp_path / "no" / "such" / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govreport export: cannot write") and "Traceback" not in err


def test_review_shows_where_each_doubtful_cell_is_printed(db, capsys):
    assert main(["review", "--db", str(db), "--all-issues", "--status", "source_inconsistent"]) == 0
    out = capsys.readouterr().out
    assert "line " in out and "in '44'" in out     # the line number and the printed text (003's R4)
    assert "needs_review\t" not in out             # --status filters


def test_a_store_that_is_not_a_database_ends_the_run_with_exit_3_and_one_line(tmp_path, capsys):
    bad = tmp_path / "store.db"
    bad.write_bytes(b"this is not an SQLite database, it only has the name of one" * 20)
    assert main(["extract", str(REPORTS[0]), "--db", str(bad)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("govreport extract: cannot open store") and "Traceback" not in "\n".join(err)


def test_an_internal_error_is_one_line_and_exit_3(tmp_path, capsys, monkeypatch):
    from extract import run

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(run, "expand_inputs", broken)
    monkeypatch.delenv("GOVREPORT_DEBUG", raising=False)
    assert main(["extract", str(REPORTS[0]), "--db", str(tmp_path / "s.db")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("govreport extract: internal error (ZeroDivisionError: division by zero)")


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and "govreport" in capsys.readouterr().out


def test_counts_are_worded_for_one(db, capsys, tmp_path):
    assert main(["review", "--db", str(db), "--status", "source_inconsistent"]) == 0
    assert "1 document to check" in capsys.readouterr().err


@pytest.mark.parametrize("content,what", [("[1, 2]", "JSON array"), ('{"meta": {}}\n[3]\n', "not a record"),
                                          ("{not json", "neither JSON nor JSON lines")])
def test_verify_refuses_what_is_not_a_record(content, what, tmp_path, capsys):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    assert main(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert what in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_verify_reads_an_export_saved_as_json_and_agrees_with_extract(db, capsys, tmp_path):
    assert main(["export", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    saved = tmp_path / "export.json"          # JSON lines, under a .json name
    saved.write_text("\n".join(lines), encoding="utf-8")
    assert main(["verify", str(saved)]) in (0, 1)
    assert len([l for l in capsys.readouterr().out.splitlines() if not l.startswith("\t")]) == 5
    for line in lines:
        record = json.loads(line)
        one = tmp_path / "one.json"
        one.write_text(line, encoding="utf-8")
        main(["verify", str(one), "--text", record["path"]])
        first = capsys.readouterr().out.splitlines()[0]
        assert first.split(": ")[1] == record["status"], first


def test_verify_blames_a_hand_edited_total_on_the_record_not_the_source(db, capsys, tmp_path):
    assert main(["export", "--db", str(db)]) == 0
    record = next(json.loads(l) for l in capsys.readouterr().out.splitlines() if "004_" in l)
    record["values"]["requests.new.total"] += 5
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(path), "--text", record["path"]]) == 1
    out = capsys.readouterr().out
    assert "needs_review" in out.splitlines()[0]
    assert "\textraction\tnot_as_printed\t" in out
    assert "\tsource\tR" not in out


def test_verify_with_a_missing_text_file(db, capsys, tmp_path):
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"meta": {"format": "2021"}, "values": {}}), encoding="utf-8")
    assert main(["verify", str(record), "--text", str(tmp_path / "nope.txt")]) == 2
    assert "cannot read --text" in capsys.readouterr().err


def test_workers_give_the_same_records_as_one_process(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    sources = REPORTS + sorted((SHARED / "corpus" / "raw").glob("*.txt"))
    for i in range(24):
        source = sources[i % len(sources)]
        (folder / f"r{i:02d}.txt").write_text(source.read_text(encoding="utf-8") + f"\n{i}\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"")
    exports = []
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.db"
        assert main(["extract", str(folder), "--db", str(db), "--workers", workers]) == 0
        capsys.readouterr()
        assert main(["export", "--db", str(db)]) == 0
        exports.append([{k: v for k, v in json.loads(l).items()} for l in capsys.readouterr().out.splitlines()])
    assert len(exports[0]) == 25
    assert exports[0] == exports[1]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_store_keeps_each_input_s_text_whatever_its_encoding(tmp_path, capsys, workers):
    # A UTF-8 file's text is stored from its bytes (they do not travel back from the worker); the
    # others from the text read. Either way the store holds what the reader read: its offsets point into it.
    from extract.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    text = REPORTS[0].read_text(encoding="utf-8").replace("\n", "\r\n")
    encodings = {"utf8.txt": "utf-8", "gbk.txt": "gb18030", "bom.txt": "utf-8-sig", "utf16.txt": "utf-16"}
    for i, (name, encoding) in enumerate(encodings.items()):
        (folder / name).write_bytes((text + f"\r\n{i}").encode(encoding))
    db = tmp_path / "s.db"
    assert main(["extract", str(folder), "--db", str(db), "--workers", workers]) == 0
    with Store(db) as store:
        for i, name in enumerate(encodings):
            [(sha,)] = store._conn.execute("SELECT sha256 FROM files WHERE path LIKE ?", (f"%{name}",)).fetchall()
            assert store.get_text(sha) == text + f"\r\n{i}"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_interrupted_run_loses_at_most_one_batch_and_its_rerun_completes(tmp_path, capsys, monkeypatch, workers):
    import sqlite3

    from extract import intake, schedule

    monkeypatch.setattr(schedule, "BATCH_DOCS", 4)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(10):
        (folder / f"r{i:02d}.txt").write_text(REPORTS[i % len(REPORTS)].read_text(encoding="utf-8") + f"\n{i}\n",
                                               encoding="utf-8")
    db = tmp_path / "s.db"
    written = []
    real = intake.write_records

    def crash_in_the_second_batch(records, *args, **kwargs):
        real(records, *args, **kwargs)
        written.append(len(records))
        if len(written) == 2:
            raise KeyboardInterrupt  # the second batch's records written, not yet committed

    monkeypatch.setattr(intake, "write_records", crash_in_the_second_batch)
    assert main(["extract", str(folder), "--db", str(db), "--workers", workers]) == 130  # Ctrl-C
    with sqlite3.connect(db) as conn:
        kept = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    assert kept == 4  # the first batch, committed; the second rolled back as a whole
    assert claims == 0  # …and its claims released, so no run waits for this one

    assert written == [4, 4]
    monkeypatch.setattr(intake, "write_records", real)
    capsys.readouterr()
    assert main(["extract", str(folder), "--db", str(db), "--workers", workers]) == 0
    assert "skipped 4" in capsys.readouterr().err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 10
        assert conn.execute("SELECT COUNT(*) FROM attempts WHERE method = 'parsers'").fetchone()[0] == 10


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_reader_bug_on_one_file_is_noted_and_the_run_goes_on(tmp_path, capsys, monkeypatch, workers):
    from extract import process

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"r{i}.txt").write_text(REPORTS[i % len(REPORTS)].read_text(encoding="utf-8") + f"\n{i}\n",
                                          encoding="utf-8")
    (folder / "r2.txt").write_text("触发缺陷\n" + REPORTS[0].read_text(encoding="utf-8"), encoding="utf-8")
    real = process.build_document

    def buggy(text):
        if "触发缺陷" in text:
            raise IndexError("list index out of range")
        return real(text)

    monkeypatch.setattr(process, "build_document", buggy)
    db = tmp_path / "s.db"
    assert main(["extract", str(folder), "--db", str(db), "--workers", workers]) == 0
    assert main(["review", "--db", str(db)]) == 0
    review = capsys.readouterr().out
    assert "r2.txt\tinternal error reading this file (IndexError: list index out of range)" in review
    monkeypatch.setattr(process, "build_document", real)  # the bug fixed: the next run reads it
    assert main(["extract", str(folder), "--db", str(db), "--workers", workers]) == 0
    summary = next(line for line in capsys.readouterr().err.splitlines() if line.startswith("6 files in"))
    assert "skipped 5" in summary and "failed" not in summary
    assert main(["export", "--db", str(db)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 6 and all(r["status"] != "failed" for r in records)


def test_a_worker_process_that_dies_ends_the_run_with_one_line_and_keeps_what_was_stored(tmp_path, capsys,
                                                                                          monkeypatch):
    import os
    import sqlite3

    from extract import process, schedule

    monkeypatch.setattr(schedule, "BATCH_DOCS", 4)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        marker = "进程终止\n" if i == 9 else ""
        (folder / f"r{i:02d}.txt").write_text(marker + REPORTS[i % len(REPORTS)].read_text(encoding="utf-8")
                                              + f"\n{i}\n", encoding="utf-8")
    real = process.build_document

    def dies(text):
        if "进程终止" in text:
            os._exit(9)  # as the kernel's OOM killer would end it
        return real(text)

    monkeypatch.setattr(process, "build_document", dies)
    db = tmp_path / "s.db"
    assert main(["extract", str(folder), "--db", str(db), "--workers", "2"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("govreport extract: a worker process died")
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    assert stored >= 4 and claims == 0  # the batches before it are kept; nothing stays claimed
