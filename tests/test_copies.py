"""Copies of one report corroborate (`govreport check`): a copy's open cells (a digit run with
several readings) are filled from a copy that prints them plainly, only with one of the open copy's
own readings; copies that differ on a cell are flagged on both and fill nothing. On reports
rendered from the template with values of our own, and on the corpus's two 平潭 pages with their
text copies."""
from __future__ import annotations

import json

from conftest import CORPUS, corpus_files, gold_path
from render import random_values, render

from extract.cli import main
from extract.store import Store
from extract import corrections


def extract(paths, db) -> None:
    assert main(["extract", *map(str, paths), "--db", str(db), "--no-llm", "--workers", "1"]) == 0


def exported(db) -> dict:
    with Store(db) as store:
        return {r["path"].rsplit("/", 1)[-1]: r for r in corrections.records(store)}


def test_a_text_copys_open_cells_are_filled_from_its_page_copy(tmp_path):
    """The 2020 平潭 report as a scraped text (cells run together: 16 left open) and as its page."""
    text, page = CORPUS / "raw" / "d04_pingtan_2020.txt", CORPUS / "raw" / "d01_pingtan_2020_page.html"
    db = tmp_path / "s.db"
    extract([text, page], db)
    records = exported(db)
    mine, theirs = records[text.name], records[page.name]
    gold_text = json.loads(gold_path(text).read_text(encoding="utf-8"))["values"]
    gold_page = json.loads(gold_path(page).read_text(encoding="utf-8"))["values"]
    filled = {k for k, c in mine["confidence"].items() if c == "copy"}
    assert filled == {k for k, v in gold_text.items() if v is None and gold_page.get(k) is not None}
    assert len(filled) == 16
    for key in filled:   # the page copy's value, printed plainly there, one of this text's readings
        assert mine["values"][key] == gold_page[key] == theirs["values"][key]
        assert mine["provenance"][key]["method"] == "copy" and mine["provenance"][key]["copy_sha256"] == theirs["sha256"]
        assert key not in mine["options"]
    assert all(mine["values"][k] == v for k, v in gold_text.items() if k not in filled)   # nothing else moved
    with Store(db) as store:
        machine = {r["path"].rsplit("/", 1)[-1]: r for r in store.iter_results()}
    assert all(machine[text.name]["values"][k] is None for k in filled)   # the store keeps the text's own reading


def constructed(tmp_path, table_values=None):
    """One report as a table (tabs) and as a scraped one-line page (cells run together: several
    left open, each with its readings); `table_values` changes what the table copy prints."""
    values = random_values("2021", 22, busy=0.6)
    (tmp_path / "table.txt").write_text(render("2021", table_values or values, "tabs", year=2023, agency="青山县交通运输局"),
                                        encoding="utf-8")
    (tmp_path / "page.txt").write_text(render("2021", values, "page", year=2023, agency="青山县交通运输局"),
                                       encoding="utf-8")
    return values


def machine(db) -> dict:
    with Store(db) as store:
        return {r["path"].rsplit("/", 1)[-1]: r for r in store.iter_results()}


def test_a_constructed_copy_fills_only_with_a_reading_of_the_open_text(tmp_path, capsys):
    values = constructed(tmp_path)
    extract([tmp_path / "table.txt", tmp_path / "page.txt"], tmp_path / "s.db")
    records, own = exported(tmp_path / "s.db"), machine(tmp_path / "s.db")
    page = own["page.txt"]
    open_cells = {k for k, v in page["values"].items() if v is None and k in page["options"]}
    assert len(open_cells) >= 3
    for key in open_cells:   # each open cell: the table copy's value, one of the page's readings
        assert values[key] in page["options"][key]
        assert records["page.txt"]["values"][key] == values[key] and records["page.txt"]["confidence"][key] == "copy"
    assert records["table.txt"]["values"] == own["table.txt"]["values"]   # the copy printing it is unchanged
    capsys.readouterr()
    assert main(["check", "--db", str(tmp_path / "s.db")]) == 0
    assert f"1 pair of copies of one report ({len(open_cells)} cells filled from a copy, 0 differences)" in \
        capsys.readouterr().err


def test_copies_that_differ_are_flagged_on_both_and_fill_nothing(tmp_path, capsys):
    values = constructed(tmp_path)
    extract([tmp_path / "page.txt"], tmp_path / "alone.db")
    page = machine(tmp_path / "alone.db")["page.txt"]
    key = next(k for k, v in page["values"].items() if k.startswith("requests.new.") and v)   # the page reads it
    plain = page["provenance"][key]["method"] == "table"       # cut from a digit run, on this one-line page
    changed = dict(values)
    changed[key] += 1                                           # the table copy prints another value there
    constructed(tmp_path, changed)
    extract([tmp_path / "table.txt", tmp_path / "page.txt"], tmp_path / "s.db")
    records = exported(tmp_path / "s.db")
    for name in ("table.txt", "page.txt"):
        flagged = [i for i in records[name]["issues"] if i["code"] == "copies_disagree"]
        assert [i["keys"] for i in flagged] == [[key]]
        assert {i["origin"] for i in flagged} == {"source" if plain else "extraction"}   # a reading may be at fault
        assert records[name]["status"] != "verified"
        assert "copy" not in records[name]["confidence"].values()
    capsys.readouterr()
    assert main(["check", "--db", str(tmp_path / "s.db")]) == 1
    assert f"copies differ: {key} " in capsys.readouterr().out


def test_the_corpus_copies(tmp_path):
    """All the corpus together: the two 平潭 reports each as text and page; only the text copies'
    open cells are filled, each with its page copy's gold value."""
    db = tmp_path / "s.db"
    extract(corpus_files("*"), db)
    records = exported(db)
    for name, record in records.items():
        gold = json.loads(gold_path(CORPUS / "raw" / name).read_text(encoding="utf-8"))["values"]
        for key, confidence in record["confidence"].items():
            if confidence == "copy":
                assert gold[key] is None and name.endswith(".txt")
            else:
                assert record["values"][key] == gold[key] or gold[key] is None


def test_export_dedupe_gives_one_row_per_report(tmp_path):
    """The corpus: the two 平潭 reports each as a text and a page, and one text again under a
    second name: one row per report, the best copy's, the others named."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in corpus_files("*"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "again.txt").write_bytes((CORPUS / "raw" / "d05_pingtan_2022.txt").read_bytes())
    db = tmp_path / "s.db"
    extract([folder], db)
    assert main(["export", "--db", str(db), "--dedupe", "-o", str(tmp_path / "one.jsonl")]) == 0
    rows = [json.loads(line) for line in (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(corpus_files("*")) - 2            # 10 paths, 7 reports
    named = {row["path"].rsplit("/", 1)[-1]: sorted(p.rsplit("/", 1)[-1] for p in row["copies"]) for row in rows}
    assert named["d01_pingtan_2020_page.html"] == ["d04_pingtan_2020.txt"]   # the page: fewer open cells, R2 kept
    assert named["d02_pingtan_2022_page.html"] == ["again.txt", "d05_pingtan_2022.txt"]   # verified beats needs_review
    assert all(not copies for name, copies in named.items() if "pingtan" not in name)
    assert main(["export", "--db", str(db), "-o", str(tmp_path / "all.jsonl")]) == 0
    assert "copies" not in json.loads((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()[0])


# --- traps found by an audit, each with values of our own ----------------------------------------

def glued(tmp_path, copies: dict[str, dict], layout: str = "tabs") -> None:
    """Copies of one report; the first prints 行政规范性文件's three cells run together."""
    first = True
    for name, values in copies.items():
        text = render("2021", values, layout if not first else "tabs", year=2023, agency="淮安市交通运输局")
        if first:
            cells = [values[f"active.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")]
            row = "行政规范性文件\t" + "\t".join(map(str, cells))
            assert row in text
            text = text.replace(row, "行政规范性文件" + "".join(map(str, cells)))
            first = False
        (tmp_path / name).write_text(text, encoding="utf-8")


def test_a_copy_fills_a_run_only_with_a_split_of_its_digits(tmp_path):
    values = random_values("2021", 22, busy=0.6)
    values.update({"active.normative_docs.issued": 31, "active.normative_docs.repealed": 92,
                   "active.normative_docs.in_force": 497})
    other = dict(values, **{"active.normative_docs.repealed": 9282})   # each a reading of 3192497, not jointly
    glued(tmp_path, {"a.txt": values, "b.txt": other})
    extract([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "s.db")
    a = exported(tmp_path / "s.db")["a.txt"]
    assert "copy" not in a["confidence"].values() and a["status"] == "needs_review"


def test_three_copies_fill_once_and_fillers_that_differ_fill_nothing(tmp_path):
    values = random_values("2021", 22, busy=0.6)
    glued(tmp_path, {"a.txt": values, "b.txt": values, "c.txt": values}, layout="pipes")
    extract([tmp_path], tmp_path / "s.db")
    a = exported(tmp_path / "s.db")["a.txt"]
    assert [k for k, c in a["confidence"].items() if c == "copy"] == [
        "active.normative_docs.issued", "active.normative_docs.repealed", "active.normative_docs.in_force"]
    # The copies that print it plainly forgotten: the fills go with them.
    assert main(["forget", str(tmp_path / "b.txt"), str(tmp_path / "c.txt"), "--db", str(tmp_path / "s.db")]) == 0
    assert "copy" not in exported(tmp_path / "s.db")["a.txt"]["confidence"].values()


def test_copies_of_different_province_agencies_are_not_copies(tmp_path):
    values = random_values("2021", 22, busy=0.6)
    for name, agency in (("js.txt", "江苏省交通运输厅"), ("zj.txt", "浙江省交通运输厅")):
        (tmp_path / name).write_text(render("2021", values, "tabs", year=2023, agency=agency), encoding="utf-8")
    extract([tmp_path], tmp_path / "s.db")
    assert all(not r["copies"] for r in [json.loads(x) for x in export_lines(tmp_path / "s.db", "--dedupe")])


def export_lines(db, *more) -> list[str]:
    out = db.parent / "out.jsonl"
    assert main(["export", "--db", str(db), "-o", str(out), *more]) == 0
    return out.read_text(encoding="utf-8").splitlines()


def test_a_file_read_again_with_new_content_leaves_check_working(tmp_path, capsys):
    (tmp_path / "r.txt").write_text(render("2021", random_values("2021", 3), "tabs", year=2023), encoding="utf-8")
    extract([tmp_path], tmp_path / "s.db")
    (tmp_path / "r.txt").write_text(render("2021", random_values("2021", 4), "tabs", year=2023), encoding="utf-8")
    extract([tmp_path], tmp_path / "s.db")                    # the older content stays as history
    (tmp_path / "q.txt").write_text(render("2021", random_values("2021", 5), "tabs", year=2024), encoding="utf-8")
    extract([tmp_path], tmp_path / "s.db")
    assert main(["check", "--db", str(tmp_path / "s.db")]) in (0, 1)


def test_a_correction_settles_a_difference_between_copies(tmp_path):
    values = random_values("2021", 22, busy=0.6)
    changed = dict(values)
    changed["requests.granted.natural_person"] += 1
    changed["requests.granted.total"] += 1
    changed["requests.total.natural_person"] += 1
    changed["requests.total.total"] += 1
    changed["requests.carried_forward.natural_person"] -= 1 if changed["requests.carried_forward.natural_person"] else 0
    (tmp_path / "a.txt").write_text(render("2021", values, "tabs", year=2023), encoding="utf-8")
    (tmp_path / "b.txt").write_text(render("2021", changed, "tabs", year=2023), encoding="utf-8")
    extract([tmp_path], tmp_path / "s.db")
    b = exported(tmp_path / "s.db")["b.txt"]
    assert any(i["code"] == "copies_disagree" for i in b["issues"])
    fixes = tmp_path / "fix.jsonl"
    fixes.write_text("".join(json.dumps({"sha256": b["sha256"], "key": i["keys"][0], "value": i["expected"],
                                         "was": i["found"], "note": ""}) + "\n"
                             for i in b["issues"] if i["code"] == "copies_disagree"), encoding="utf-8")
    assert main(["correct", str(fixes), "--db", str(tmp_path / "s.db")]) == 0
    assert main(["check", "--db", str(tmp_path / "s.db")]) == 0
    assert not any(i["code"] == "copies_disagree" for i in exported(tmp_path / "s.db")["b.txt"]["issues"])


def test_a_copy_fills_a_run_only_with_all_of_its_digits(tmp_path):
    """131313 (13 13 13): 1 3 13 are each a reading and '1313' is inside the run, but not all of it;
    nor may the digits be found in another number the text prints (an amount 317.5 for 3 1 7)."""
    values = random_values("2021", 22, busy=0.6)
    values.update({"active.normative_docs.issued": 13, "active.normative_docs.repealed": 13,
                   "active.normative_docs.in_force": 13})
    glued(tmp_path, {"a.txt": values, "b.txt": dict(values, **{"active.normative_docs.issued": 1,
                                                                "active.normative_docs.repealed": 3})})
    extract([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "s.db")
    assert "copy" not in exported(tmp_path / "s.db")["a.txt"]["confidence"].values()


def test_a_record_whose_city_nothing_says_is_no_copy_of_another_citys(tmp_path):
    values = random_values("2021", 22, busy=0.6)
    glued(tmp_path, {"fz.txt": values, "nj.txt": values})
    for name, agency in (("fz.txt", "鼓楼区人民政府"), ("nj.txt", "南京市鼓楼区人民政府")):
        text = (tmp_path / name).read_text(encoding="utf-8").replace("淮安市交通运输局", agency)
        (tmp_path / name).write_text(text, encoding="utf-8")
    extract([tmp_path], tmp_path / "s.db")
    records = exported(tmp_path / "s.db")
    assert "copy" not in records["fz.txt"]["confidence"].values()
    keys = {json.loads(line)["path"].rsplit("/", 1)[-1]: json.loads(line)["meta"]["agency_key"]
            for line in export_lines(tmp_path / "s.db")}
    assert keys == {"fz.txt": "鼓楼区政府", "nj.txt": "南京市鼓楼区政府"}
    # An alias file joins them; kept in the store, every later check and export follows it.
    aliases = tmp_path / "agencies.csv"
    aliases.write_text("鼓楼区人民政府,南京市鼓楼区人民政府\n", encoding="utf-8")
    assert main(["check", "--db", str(tmp_path / "s.db"), "--agencies", str(aliases)]) in (0, 1)
    assert "copy" in exported(tmp_path / "s.db")["fz.txt"]["confidence"].values()
    assert len(export_lines(tmp_path / "s.db", "--dedupe")) == 1


def test_a_correction_of_the_copy_refills_at_once(tmp_path):
    values = random_values("2021", 22, busy=0.6)
    values.update({"active.normative_docs.issued": 319, "active.normative_docs.repealed": 2,
                   "active.normative_docs.in_force": 497})
    glued(tmp_path, {"a.txt": values, "b.txt": values})
    extract([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "s.db")
    b = exported(tmp_path / "s.db")["b.txt"]
    fixes = tmp_path / "fix.jsonl"
    fixes.write_text("".join(json.dumps({"sha256": b["sha256"], "key": f"active.normative_docs.{c}", "value": v,
                                         "was": b["values"][f"active.normative_docs.{c}"], "note": ""}) + "\n"
                             for c, v in (("issued", 31), ("repealed", 92))), encoding="utf-8")
    assert main(["correct", str(fixes), "--db", str(tmp_path / "s.db")]) == 0
    a = exported(tmp_path / "s.db")["a.txt"]   # 3192497 read as the person decided for its copy
    assert (a["values"]["active.normative_docs.issued"], a["values"]["active.normative_docs.repealed"]) == (31, 92)
