"""What the output means: every issue code explained (and the table kept complete), each cell's
confidence saying how it was read, the template version named as such, each cell's provenance
in the export, and integers that stay integers in pandas."""
from __future__ import annotations

import ast
import csv
import inspect
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, REPO, REPORTS

from extract import template
from extract.cli import main
from extract.codes import BY_CODE, CODES, EITHER, lookup, markdown_table
from extract.document import build_document
from extract.export import CSV_HEAD, CSV_HEAD_ZH, LONG_HEAD, export
from extract.formats import read_document
from extract.packing.columns import CONFIDENCE, pack_confidence, unpack_confidence
from extract.parsers import read_tables
from extract.policy import CONFIDENCES, HOW_READ, assess, parsers_confidence
from extract.reading import BLANK, BLANK_LINE, EDGE_BLANK, FORCED, INFERRED, POSITIONAL, READ, SPLIT, Cell, Reading
from extract.store import Store
from verify import checks
from verify.numbers import is_blank, numbers_in, same

README = (REPO / "README.md").read_text(encoding="utf-8")
EMITTERS = frozenset({"doubt", "Doubt", "Issue"})
# Calls whose code is not a literal, each with where its codes come from (collected below). A
# new one fails the test until its codes are collected too.
NOT_LITERAL = {
    ("verify/checks.py", "rel.code"): "the template's relations",
    ("verify/checks.py", "bound.code"): "the template's plausibility bounds",
    ("verify/checks.py", "code"): "verify.checks._HOW",
    ("verify/checks.py", "str(getattr(d, 'code', 'doubt'))"): "the doubts, each made by a literal doubt(...)",
    ("extract/parsers/cells.py", "code"): "doubt() itself: its callers pass literals",
    ("extract/corrections.py", "i['code']"): "the stored record's own issues, carried over when a correction re-verifies it",
}


def _code_of(call: ast.Call) -> ast.expr | None:
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
    return call.args[0] if name in EMITTERS and call.args else None


def emitted_codes() -> set[str]:
    """Every issue code the code base can emit, read from its source (no grep): the literal first
    argument of each doubt(...), Doubt(...) and Issue(...), plus the codes those calls take from data."""
    found: set[str] = set()
    for path in sorted([*(REPO / "extract").rglob("*.py"), *(REPO / "verify").rglob("*.py")]):
        where = path.relative_to(REPO).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            arg = _code_of(node) if isinstance(node, ast.Call) else None
            if arg is None:
                continue
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            else:
                assert (where, ast.unparse(arg)) in NOT_LITERAL, (
                    f"{where}: an issue code from {ast.unparse(arg)!r}: collect its codes in this test")
    for version in template.VERSIONS:
        found |= {r.code for r in template.relations(version)} | {b.code for b in template.bounds(version)}
    found |= {code for code, _ in checks._HOW.values()}
    return found


# --- 1. every issue code explained -----------------------------------------------------------
def test_every_emitted_code_is_explained_and_every_entry_is_emitted():
    emitted = emitted_codes()
    assert {"R1", "R4", "missing", "section_missing", "methods_disagree", "not_as_printed"} <= emitted  # the walk works
    assert sorted(emitted - set(BY_CODE)) == [], "codes without an entry in extract/codes.py"
    assert sorted(set(BY_CODE) - emitted) == [], "entries for codes nothing emits"
    assert len(BY_CODE) == len(CODES)


@pytest.mark.parametrize("entry", CODES, ids=[c.code for c in CODES])
def test_each_entry_says_what_it_means_and_what_to_do(entry):
    assert entry.meaning.strip() and entry.action.strip()
    assert set(entry.severity.split("|")) <= {"error", "warning", "info"}
    assert entry.origin in ("extraction", "source", EITHER)
    assert entry.withholds_verified == (entry.severity != "info")


def _documents() -> list[Path]:
    return [*REPORTS, *sorted((CORPUS / "raw").iterdir())]


def test_the_table_says_the_severity_and_origin_the_issues_have():
    """On every sample and corpus report: each issue's severity and origin are what its entry says."""
    seen = set()
    for path in _documents():
        document = build_document(read_document(path.read_bytes(), path.name, 50_000_000).text)
        found = assess(document, read_tables(document), llm_unavailable="connection refused")
        for issue in found.report.issues:
            entry = BY_CODE[issue.code]
            assert issue.severity in entry.severity.split("|"), (path.name, issue.code)
            assert issue.origin == entry.origin or entry.origin == EITHER, (path.name, issue.code)
            seen.add(issue.code)
    assert {"R4", "cell_split", "cell_positional", "cell_forced", "llm_unavailable"} <= seen


def test_codes_command_prints_all_or_the_codes_asked(capsys):
    assert main(["codes"]) == 0
    out = capsys.readouterr().out
    assert all(re.search(rf"^{re.escape(c.code)}\b", out, re.MULTILINE) for c in CODES)
    assert main(["codes", "r4", "cell_split"]) == 0  # any case
    out = capsys.readouterr().out
    assert out.startswith("R4 ") and "cell_split" in out and "missing" not in out
    assert "维持" in out and "What to do:" in out


def test_codes_command_refuses_an_unknown_code_in_one_line(capsys):
    assert main(["codes", "R4", "no_such_code"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and "no_such_code" in captured.err


def test_codes_command_has_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["codes", "--help"])
    assert done.value.code == 0 and "origin" in capsys.readouterr().out
    assert [e.code for e in lookup(())] == [e.code for e in CODES]


def _readme_section(title: str) -> str:
    start = README.index(f"\n{title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end >= 0 else len(README)]


def test_readme_lists_exactly_the_tables_codes():
    assert README.index("\n## Statuses\n") < README.index("\n## Issue codes\n") < README.index("\n## Commands\n")
    section = _readme_section("## Issue codes")
    listed = re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE)
    assert listed == [c.code for c in CODES]
    assert markdown_table() in section, "README out of date: paste `govreport codes --markdown` into '## Issue codes'"


# --- 2. per-cell confidence that says how the parsers read a cell ----------------------------
@pytest.mark.parametrize("method,confidence", [
    (READ, "read"), (BLANK, "read"), (SPLIT, "split"), (POSITIONAL, "positional"), (INFERRED, "inferred"),
    (FORCED, "forced"), (EDGE_BLANK, "blank_or_lost"), (BLANK_LINE, "blank_or_lost"),
])
def test_confidence_says_how_the_parsers_read_a_cell(method, confidence):
    cells = {"requests.new.total": Cell(3, method), "requests.other.total": Cell(None)}
    reading = Reading("parsers", "2021", cells=cells)
    assert parsers_confidence(reading) == {"requests.new.total": confidence}


def test_confidence_of_real_reports_follows_each_cells_method():
    seen = set()
    for path in _documents():
        document = build_document(read_document(path.read_bytes(), path.name, 50_000_000).text)
        parsed = read_tables(document)
        found = assess(document, parsed)
        assert found.confidence == {k: HOW_READ[c.method] for k, c in parsed.cells.items() if c.value is not None}
        seen |= set(found.confidence.values())
    assert {"read", "split", "positional", "inferred", "forced"} <= seen and "parsers_only" not in seen


def test_every_confidence_packs_to_its_own_character_and_old_codes_keep_their_meaning():
    assert set(CONFIDENCES) <= set(CONFIDENCE)
    assert len(set(CONFIDENCE.values())) == len(CONFIDENCE)
    keys = template.numeric_keys("2021")
    confidence = {k: CONFIDENCES[i % len(CONFIDENCES)] for i, k in enumerate(keys)}
    packed = pack_confidence("2021", confidence)
    assert packed.startswith("[1,") and unpack_confidence("2021", packed) == confidence
    old = json.dumps([1, "apgdl" + "-" * (len(keys) - 5)])  # a store written before these values
    assert unpack_confidence("2021", old) == dict(zip(keys, ["agree", "parsers_only", "llm_grounded", "disagree",
                                                             "llm_only"]))


def test_readme_documents_every_confidence():
    section = _readme_section("### Export interface")
    assert all(f"| `{value}` |" in section for value in CONFIDENCES)


# --- 3, 4, 5: the export ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("codes")
    inputs = folder / "in"
    inputs.mkdir()
    for path in REPORTS:
        shutil.copy(path, inputs / path.name)
    (inputs / "zz_notes.txt").write_text("会议纪要：今天天气很好。", encoding="utf-8")  # not a report: failed
    with pytest.MonkeyPatch.context() as mp:
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "GOVREPORT_MODEL", "GOVREPORT_LLM_MODE"):
            mp.delenv(name, raising=False)
        assert main(["extract", str(inputs), "--db", str(folder / "s.db"), "--workers", "1"]) == 0
    return folder / "s.db"


def _export(db: Path, **options) -> str:
    out = io.StringIO()
    with Store(db, readonly=True) as store:
        export(store, out, **options)
    return out.getvalue()


def _jsonl(db: Path) -> dict[str, dict]:
    return {json.loads(line)["path"].rsplit("/", 1)[-1][:3]: json.loads(line) for line in _export(db).splitlines()}


def test_export_keeps_its_signature():
    assert str(inspect.signature(export)) == ("(store: 'Store', out: 'TextIO', format: 'str' = 'jsonl', "
                                              "labels: 'str' = 'keys', long: 'bool' = False, "
                                              "statuses: 'Optional[set[str]]' = None, dedupe: 'bool' = False) -> 'int'")


def test_the_template_version_is_named_for_what_it_is(db):
    records = _jsonl(db)
    for record in records.values():
        assert record["meta"]["template_version"] == record["meta"]["format"]  # format kept for existing users
        assert record["meta"]["template_version"] in (("2019", "2021") if record["status"] != "failed" else (None,))
    wide = next(csv.reader(io.StringIO(_export(db, format="csv")[1:])))
    long = next(csv.reader(io.StringIO(_export(db, long=True)[1:])))
    assert wide[:8] == CSV_HEAD and "template_version" in wide and "format" not in wide
    assert "template_version" in long and "format" not in long
    assert CSV_HEAD_ZH[CSV_HEAD.index("template_version")] == "模板版本"


def test_jsonl_carries_each_cells_provenance_with_the_printed_text(db):
    records = _jsonl(db)
    with Store(db, readonly=True) as store:
        for stem in ("000", "002", "003"):
            record = records[stem]
            text = store.get_text(record["sha256"])
            printed_keys = {k for k, v in record["values"].items() if v is not None}
            assert set(record["provenance"]) == printed_keys
            for key, where in record["provenance"].items():
                assert set(where) == {"method", "line", "start", "end", "printed"}
                if where["start"] is None:
                    assert where["printed"] is None and where["method"] == "inferred"
                    continue
                assert where["printed"] == text[where["start"]:where["end"]]
                value = record["values"][key]
                printed = where["printed"]
                assert (is_blank(printed) and value == 0) or any(same(n, value) for n in numbers_in(printed))
    assert records["003"]["provenance"]["litigation.direct.total"]["printed"] == "44"
    assert any(w["method"] == "inferred" for w in records["000"]["provenance"].values())
    assert {i["origin"] for i in records["003"]["issues"] if i["code"] == "R4"} == {"source"}
    assert records["zz_"]["provenance"] == {} and records["zz_"]["status"] == "failed"


def test_long_export_carries_method_line_and_printed_text(db):
    rows = list(csv.DictReader(io.StringIO(_export(db, long=True)[1:])))
    assert list(rows[0]) == LONG_HEAD and {"method", "line", "printed"} <= set(LONG_HEAD)
    of = {(r["path"].rsplit("/", 1)[-1][:3], r["key"]): r for r in rows}
    cell = of[("003", "litigation.direct.total")]
    assert (cell["method"], cell["printed"], cell["confidence"]) == ("table", "44", "read") and cell["line"].isdigit()
    lost = of[("001", "requests.granted.total")]   # its row's label lost; every bare row prints 0 there
    assert (lost["confidence"], lost["printed"]) == ("read", "0") and lost["line"].isdigit()
    assert of[("000", "active.rules.new_made")]["method"] == ""  # not in its template


def test_export_reads_each_documents_text_once(db):
    class Counting:
        def __init__(self, store: Store) -> None:
            self.store, self.reads = store, []

        def __getattr__(self, name: str):
            return getattr(self.store, name)

        def get_text(self, sha256: str):
            self.reads.append(sha256)
            return self.store.get_text(sha256)

    with Store(db, readonly=True) as store:
        counting = Counting(store)
        assert export(counting, io.StringIO()) == len(REPORTS) + 1
    # Once for the cells' printed text; once more where the agency's city is read from the report
    # (a name printed below the city level), before: never once per cell.
    assert len(set(counting.reads)) == len(REPORTS) and len(counting.reads) <= 2 * len(REPORTS)


def test_readme_says_how_pandas_keeps_integers():
    section = _readme_section("### Export interface")
    assert 'pd.read_csv("dataset.csv", dtype_backend="numpy_nullable")' in section


def test_pandas_keeps_integers_with_the_readme_line(db, tmp_path):
    pd = pytest.importorskip("pandas", minversion="2.0")
    path = tmp_path / "dataset.csv"
    path.write_text(_export(db, format="csv"), encoding="utf-8")
    df = pd.read_csv(path, dtype_backend="numpy_nullable")  # the README's line
    assert (df["status"] == "failed").any()
    assert str(df["requests.new.total"].dtype) == "Int64" and str(df["year"].dtype) == "Int64"
    assert df["requests.new.total"].isna().any()  # the failed row: empty, not 0
