"""verify: relations on the gold records, one constructed case per check, and import hygiene."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from extract import template
from extract.document import build_normalized
from extract.document.narrative import find_document_counts, find_requests_received
from extract.reading import (
    BLANK,
    INFERRED,
    LLM,
    POSITIONAL,
    READ,
    SPLIT,
    Cell,
    Doubt,
    MetaField,
    Reading,
)
from extract.template import relations
from extract.text import normalize
from verify import check_meta, verify_reading
from verify import verify_cells as verify_cells_of
from verify import verify_values as verify_values_of
from verify.report import Issue, Report

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = sorted((SHARED / "samples" / "gold").glob("*.json"))
RELATION_CODES = {"R1", "R2", "R3", "R4"}
LITIGATION_DIRECT = tuple(f"litigation.direct.{p}" for p in ("total", "upheld", "corrected", "other", "pending"))


def gold(prefix: str) -> dict:
    (path,) = [p for p in GOLD if p.name.startswith(prefix)]
    return json.loads(path.read_text("utf-8"))


def source_text(prefix: str) -> str:
    (path,) = (SHARED / "samples" / "reports").glob(f"{prefix}_*.txt")
    return normalize(path.read_text("utf-8"))


def document(text: object) -> object:
    """The document model of a normalised text; anything else passed on as it is (odd input)."""
    return build_normalized(text) if isinstance(text, str) else text


def verify_cells(version, cells, text=None) -> Report:
    return verify_cells_of(version, cells, document(text))


def verify_values(version, values, text=None) -> Report:
    return verify_values_of(version, values, document(text))


def verify_extraction(reading: Reading, text: object) -> Report:
    return verify_reading(reading, document(text))


def extraction_of(record: dict, **methods: str) -> Reading:
    """A gold record as an Reading of read cells; `methods` overrides some cells' method."""
    meta = record["meta"]
    cells = {k: Cell(v, methods.get(k.replace(".", "__"), READ)) for k, v in record["values"].items()}
    return Reading("parsers", meta["format"], MetaField(meta["year"]), MetaField(meta["agency"]), cells)


def relation_issues(report: Report) -> list[Issue]:
    return [i for i in report if i.code in RELATION_CODES]


# --- gold records ---------------------------------------------------------------------
@pytest.mark.parametrize("path", GOLD, ids=[p.stem[:3] for p in GOLD])
def test_gold_passes_every_relation_but_003_litigation(path: Path) -> None:
    record = json.loads(path.read_text("utf-8"))
    report = verify_values(record["meta"]["format"], record["values"])
    issues = relation_issues(report)
    if path.name.startswith("003"):
        assert [(i.code, i.keys, i.expected, i.found, i.origin) for i in issues] == [
            ("R4", LITIGATION_DIRECT, 44, 40, "source")
        ]
        assert "行政诉讼 未经复议直接起诉" in issues[0].message
    else:
        assert issues == []
    assert report.errors == tuple(issues)


@pytest.mark.parametrize("path", GOLD, ids=[p.stem[:3] for p in GOLD])
def test_gold_with_its_text_has_no_narrative_mismatch(path: Path) -> None:
    record = json.loads(path.read_text("utf-8"))
    report = verify_values(record["meta"]["format"], record["values"], source_text(path.stem[:3]))
    assert report.by_code("narrative_mismatch") == ()


@pytest.mark.parametrize("prefix, said", [("000", [0]), ("001", [0]), ("002", []), ("003", []), ("004", [2])])
def test_request_statements_found_in_samples(prefix: str, said: list[int]) -> None:
    assert [s.value for s in find_requests_received(source_text(prefix))] == said


@pytest.mark.parametrize("methods, origin", [
    ({}, "source"),
    ({"litigation__direct__upheld": BLANK}, "source"),
    ({"litigation__direct__pending": INFERRED}, "extraction"),
    ({"litigation__direct__total": POSITIONAL}, "extraction"),
], ids=["read", "blank-is-read", "one-inferred", "one-positional"])
def test_003_litigation_origin(methods: dict, origin: str) -> None:
    report = verify_extraction(extraction_of(gold("003"), **methods), source_text("003"))
    issues = relation_issues(report)
    assert [(i.code, i.keys, i.origin) for i in issues] == [("R4", LITIGATION_DIRECT, origin)]


# --- rules ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", template.VERSIONS)
def test_relations_cover_template(fmt: str) -> None:
    rels = relations(fmt)
    by_code = {c: [r for r in rels if r.code == c] for c in RELATION_CODES}
    assert [len(by_code[c]) for c in ("R1", "R2", "R3", "R4")] == [7, 7, len(template.request_row_keys(fmt)), 3]
    assert all(set(r.keys) <= set(template.numeric_keys(fmt)) for r in rels)
    r2_total = next(r for r in by_code["R2"] if r.left == ("requests.total.total",))
    other = {k for k in r2_total.right if k.startswith("requests.other")}
    assert other == ({"requests.other.total"} if fmt == "2019" else
                     {f"requests.other.{o}.total" for o in ("overdue_correction", "unpaid_fee", "other")})
    assert "requests.refused.state_secret.natural_person" in by_code["R2"][0].right


def test_unknown_format_has_no_rules_and_does_not_raise() -> None:
    assert relations("1999") == ()
    assert verify_values("1999", {"requests.new.total": 1}).issues == ()


# --- one broken cell → the expected relations -----------------------------------------
@pytest.mark.parametrize("prefix, key, broken", [
    ("004", "requests.new.natural_person", {("R1", "requests.new.natural_person"), ("R3", "requests.new.total")}),
    ("004", "requests.granted.total", {("R2", "requests.total.total"), ("R3", "requests.granted.total")}),
    ("004", "requests.other.unpaid_fee.commercial",
     {("R2", "requests.total.commercial"), ("R3", "requests.other.unpaid_fee.total")}),
    ("002", "requests.other.legal_service", {("R2", "requests.total.legal_service"), ("R3", "requests.other.total")}),
    ("002", "requests.carried_forward.total", {("R1", "requests.new.total"), ("R3", "requests.carried_forward.total")}),
    ("000", "review.upheld", {("R4", "review.total")}),
], ids=["new-cell", "granted-total", "2021-other-subrow", "2019-other-row", "carried-forward-total", "review"])
def test_broken_cell_breaks_its_relations(prefix: str, key: str, broken: set) -> None:
    record = gold(prefix)
    values = dict(record["values"], **{key: record["values"][key] + 1})
    issues = relation_issues(verify_values(record["meta"]["format"], values))
    assert {(i.code, i.keys[0]) for i in issues} == broken
    assert all(key in i.keys and i.severity == "error" and i.origin == "source" for i in issues)


def test_relation_expected_and_found_are_the_two_sides() -> None:
    record = gold("004")
    values = dict(record["values"], **{"requests.new.natural_person": 5})
    (r3,) = [i for i in verify_values("2021", values) if i.code == "R3"]
    assert (r3.expected, r3.found) == (2, 5)
    assert r3.keys == ("requests.new.total",) + tuple(f"requests.new.{c}" for c in template.columns()[:-1])


def test_a_relation_sums_only_when_every_cell_has_a_value() -> None:
    from extract.template import Relation
    one_left = Relation("RX", ("a",), ("b", "c"), "a = b + c")
    assert one_left.sums({"a": 5, "b": 2, "c": 3}) == (5, 5)
    assert one_left.sums({"a": 5, "b": 2, "c": 4.5}) == (5, 6.5)
    assert one_left.sums({"a": 5, "b": None, "c": 3}) is None
    assert one_left.sums({"a": 5, "b": 2}) is None  # a cell absent from the record
    assert Relation("RY", ("a", "b"), ("c",), "a + b = c").sums({"a": 0, "b": 0, "c": 0}) == (0, 0)


def test_float_tolerance() -> None:
    record = gold("004")
    values = dict(record["values"], **{"review.upheld": 0.1 + 0.2, "review.corrected": 0, "review.total": 0.3})
    assert verify_values("2021", values).by_code("R4") == ()


# --- values ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, key, value, code", [
    ("2021", "requests.granted.natural_person", -1, "negative"),
    ("2021", "active.fees.amount", -2.5, "negative"),
    ("2019", "active.licensing.change", -3, None),
    ("2021", "requests.new.total", 2.5, "not_integer"),
    ("2021", "active.fees.amount", 12.3, None),
    ("2021", "review.total", 3.0, None),
    ("2021", "review.total", "3", "not_a_number"),
    ("2021", "review.total", float("nan"), "not_a_number"),
    ("2021", "review.total", True, "not_a_number"),
], ids=["negative-count", "negative-money", "change-may-be-negative", "fraction-count", "money-decimal",
        "integral-float", "string", "nan", "bool"])
def test_value_checks(fmt: str, key: str, value: object, code: str | None) -> None:
    report = verify_values(fmt, {key: value})
    found = [i for i in report if i.code in {"negative", "not_integer", "not_a_number"}]
    if code is None:
        assert found == []
    else:
        assert [(i.code, i.keys, i.severity) for i in found] == [(code, (key,), "error")]


def test_negative_origin_follows_method() -> None:
    cells = {"review.total": Cell(-1, READ), "review.other": Cell(-2, SPLIT)}
    origins = {i.keys[0]: i.origin for i in verify_cells("2021", cells).by_code("negative")}
    assert origins == {"review.total": "source", "review.other": "extraction"}


def test_missing_cells_are_one_warning() -> None:
    record = gold("001")
    values = dict(record["values"])
    gone = ["requests.new.total", "review.pending", "active.fees.amount"]
    for key in gone[:2]:
        values[key] = None
    del values[gone[2]]
    report = verify_values("2021", values)
    (missing,) = report.by_code("missing")
    assert (missing.severity, missing.origin) == ("warning", "extraction")
    assert missing.keys == tuple(k for k in template.numeric_keys("2021") if k in gone)
    assert relation_issues(report) == []  # relations with a None cell are skipped, not failed


def test_unknown_key_is_reported() -> None:
    report = verify_values("2021", {"active.rules.new_made": 1})
    assert report.by_code("unknown_key")[0].keys == ("active.rules.new_made",)


@pytest.mark.parametrize("fmt, values, code", [
    ("2021", {"active.rules.issued": 3, "active.rules.in_force": 1}, "in_force_below_issued"),
    ("2021", {"active.rules.issued": 1, "active.rules.in_force": 3}, None),
    ("2019", {"active.normative_docs.new_published": 2, "active.normative_docs.total_published": 1}, "total_below_new"),
], ids=["2021-in-force-below", "2021-fine", "2019-total-below"])
def test_plausibility(fmt: str, values: dict, code: str | None) -> None:
    issues = [i for i in verify_values(fmt, values) if i.severity == "info"]
    assert [(i.code, i.origin) for i in issues] == ([(code, "source")] if code else [])


# --- narrative vs table ---------------------------------------------------------------
@pytest.mark.parametrize("text, table, expected", [
    ("2023年,我局共收到政府信息公开申请3件,其中网上申请1件。", 2, [3]),
    ("2023年,我局共收到政府信息公开申请2件,其中网上申请1件。", 2, []),
    ("共收到政府信息公开申请3件,其中收到网上申请1件。", 3, []),
    ("本年度未收到依申请公开事项。", 2, [0]),
    ("本年度未收到依申请公开事项。", 0, []),
    ("今年没有收到政府信息公开申请。", 1, [0]),
    ("全年收到依申请公开1件。", 1, []),
    ("本年度受理政府信息公开申请 3 件,均按时答复。", 2, [3]),
    ("一、本年新收政府信息公开申请数量\t5件\t0\t0", 2, []),
    ("一、本年新收政府信息公开申请数量 | 5件 | 0 |", 2, []),
    ("共收到群众咨询12条,收到政府信息公开申请2人次。", 0, []),
    ("本年度收到行政复议申请1件。", 0, []),
    ("未收到申请人的投诉。", 3, []),
    ("共收到政府信息公开申请2件。\n另,本年度新收政府信息公开申请3件,已办结。", 2, [3]),
    ("共收到政府信息公开申请2件。\n另,本年度新收政府信息公开申请3件,已办结。", 4, [2, 3]),
    ("共收到政府信息公开申请5件。\n全年共收到政府信息公开申请5件。", 2, [5]),
], ids=["count-differs", "count-agrees", "part-after-total-ignored", "none-received-but-table-2", "none-received-agrees", "没有收到",
        "依申请公开-agrees", "受理-differs", "tab-row-ignored", "pipe-row-ignored", "条-and-人次-ignored",
        "review-request-ignored", "applicant-not-request", "statements-disagree", "both-differ", "repeated-once"])
def test_narrative_mismatch(text: str, table: int, expected: list[int]) -> None:
    issues = verify_values("2021", {"requests.new.total": table}, text).by_code("narrative_mismatch")
    assert sorted(i.expected for i in issues) == expected
    assert all(i.keys == ("requests.new.total",) and i.found == table and i.severity == "warning" for i in issues)


@pytest.mark.parametrize("method, origin", [(READ, "source"), (SPLIT, "extraction")])
def test_narrative_origin_follows_table_cell(method: str, origin: str) -> None:
    report = verify_cells("2021", {"requests.new.total": Cell(2, method)}, "本年度未收到依申请公开事项。")
    assert [(i.code, i.origin) for i in report.by_code("narrative_mismatch")] == [("narrative_mismatch", origin)]


@pytest.mark.parametrize("text, expected", [
    ("本年度制发规范性文件12件。", {"active.normative_docs.issued": {12}}),
    ("规范性文件现行有效88件", {"active.normative_docs.in_force": {88}}),  # the text's first clause, no mark before
    ("概况;废止规范性文件3件,现行有效规范性文件40件\n印发规范性文件7件",
     {"active.normative_docs.repealed": {3}, "active.normative_docs.in_force": {40}, "active.normative_docs.issued": {7}}),
    ("制发规范性文件5件和规范性文件6件。", {}),        # two counts in one clause: neither is taken
    ("制发规范性文件\t5件", {}),                      # a table row, not prose
    ("现行有效规范性文件9件,制发的规章2件", {"active.normative_docs.in_force": {9}}),
], ids=["one", "at-start", "three-clauses-three-marks", "two-counts", "tab-row", "other-clause-ignored"])
def test_document_counts_in_the_prose(text: str, expected: dict) -> None:
    assert find_document_counts(text) == expected


# --- grounding ------------------------------------------------------------------------
GROUND_TEXT = "行政许可\t增16\t减3\t12.3万元\t5000元\t-\t7\t007\t1234\t"


def span(needle: str) -> tuple[int, int]:
    start = GROUND_TEXT.index(needle)
    return start, start + len(needle)


@pytest.mark.parametrize("needle, value, method, grounded", [
    ("增16", 16, READ, True),
    ("减3", -3, READ, True),
    ("减3", 3, READ, False),
    ("12.3万元", 12.3, READ, True),
    ("5000元", 0.5, READ, True),
    ("5000元", 5000, READ, False),
    ("-", 0, BLANK, True),
    ("-", 0, POSITIONAL, True),  # a printed empty cell is 0 however it was placed
    ("7", 7, SPLIT, True),
    ("7", 8, READ, False),
    ("许可", 0, POSITIONAL, False),
    ("7", 7.0, READ, True),
    ("007", 7, READ, True),
    ("007", 70, READ, False),
    ("1234", 1234, READ, True),
    ("1234", 123, READ, False),
], ids=["增", "减", "sign-lost", "万元", "元-to-万元", "元-unconverted", "blank-mark", "blank-mark-placed-by-position",
        "split", "wrong-digit", "label-not-number", "float-value", "leading-zeros", "leading-zeros-wrong",
        "four-digits", "four-digits-wrong"])
def test_grounding(needle: str, value: float, method: str, grounded: bool) -> None:
    start, end = span(needle)
    cells = {"active.licensing.change": Cell(value, method, start, end)}
    issues = verify_cells("2019", cells, GROUND_TEXT).by_code("ungrounded")
    assert [(i.keys, i.severity, i.origin) for i in issues] == ([] if grounded else
                                                               [(("active.licensing.change",), "error", "extraction")])


def test_grounding_reports_printed_number_and_bad_spans() -> None:
    cells = {"review.total": Cell(8, READ, *span("7")), "review.other": Cell(1, READ, 5, 999)}
    issues = {i.keys[0]: i for i in verify_cells("2021", cells, GROUND_TEXT).by_code("ungrounded")}
    assert (issues["review.total"].expected, issues["review.total"].found) == (7, 8)
    assert "outside the text" in issues["review.other"].message


def test_grounding_needs_text_but_llm_cells_without_span_are_always_flagged() -> None:
    cells = {"review.total": Cell(8, READ, *span("7")), "review.other": Cell(1, LLM), "review.upheld": Cell(2, LLM, *span("7"))}
    for text in (None, GROUND_TEXT):
        flagged = verify_cells("2021", cells, text).by_code("ungrounded")
        assert ("review.other",) in [i.keys for i in flagged if i.severity == "warning"]
    assert {i.keys for i in verify_cells("2021", cells, None).by_code("ungrounded")} == {("review.other",)}


# --- provenance, doubts, meta ---------------------------------------------------------
def test_provenance_one_issue_per_method() -> None:
    cells = {"review.total": Cell(1, POSITIONAL, 0, 1), "review.other": Cell(1, POSITIONAL),
             "review.upheld": Cell(0, SPLIT), "review.pending": Cell(0, INFERRED), "review.corrected": Cell(0, READ)}
    report = verify_cells("2021", cells)
    # Each is a doubt a human should look at: a warning, which withholds `verified`.
    assert {(i.code, i.keys) for i in report if i.code.startswith("cell_")} == {
        ("cell_positional", ("review.total", "review.other")),
        ("cell_split", ("review.upheld",)),
        ("cell_inferred", ("review.pending",)),
    }
    assert {i.severity for i in report if i.code.startswith("cell_")} == {"warning"}


def test_doubts_and_meta() -> None:
    record = gold("004")
    extraction = extraction_of(record)
    extraction.doubts.append(Doubt("cell_lost", ("requests.other.other.total",), "3. 其他 has 6 values for 7 columns"))
    extraction.year = MetaField(None, "missing")
    report = verify_extraction(extraction, None)
    assert [(i.code, i.keys, i.severity, i.origin) for i in report] == [
        ("cell_lost", ("requests.other.other.total",), "warning", "extraction"),
        ("meta_missing", ("year",), "warning", "extraction"),
    ]


@pytest.mark.parametrize("fmt, agency, keys", [
    ("2021", "某局", ()),
    (None, "某局", ("format",)),
    ("2020", " ", ("agency", "format")),
], ids=["complete", "no-format", "bad-format-blank-agency"])
def test_check_meta(fmt: str | None, agency: str, keys: tuple) -> None:
    extraction = Reading("llm", fmt, MetaField(2021), MetaField(agency))
    assert [i.keys for i in check_meta(extraction)] == ([keys] if keys else [])


# --- report, robustness, imports ------------------------------------------------------
def test_report_is_sorted_deterministic_and_serialisable() -> None:
    record = gold("003")
    extraction = extraction_of(record, litigation__direct__pending=INFERRED)
    first, second = verify_extraction(extraction, source_text("003")), verify_extraction(extraction, source_text("003"))
    assert first == second
    assert [i.severity for i in first] == sorted((i.severity for i in first), key=["error", "warning", "info"].index)
    assert first.codes == ("R4", "cell_inferred")
    assert first.by_origin("extraction") == first.issues
    assert json.loads(json.dumps(first.to_dicts()))[0]["keys"] == list(LITIGATION_DIRECT)


@pytest.mark.parametrize("cells, text", [
    ({"review.total": Cell(None, READ, 0, 3)}, "abc"),
    ({"review.total": Cell(1, READ, "a", None)}, "abc"),
    ({"review.total": Cell(1, READ, 3, 1)}, "abc"),
    ({"review.total": 5}, 42),
    ({}, ""),
], ids=["none-with-span", "odd-start", "reversed-span", "bare-number-and-odd-text", "empty"])
def test_odd_input_does_not_raise(cells: dict, text: object) -> None:
    assert isinstance(verify_cells("2021", cells, text), Report)
    extraction = Reading("merged", "2021", cells=cells)
    extraction.doubts.append(replace(Doubt("x", (), ""), keys=("a",)))
    assert isinstance(verify_extraction(extraction, text), Report)


def test_importing_verify_loads_no_llm_stack() -> None:
    code = ("import sys, verify, verify.checks, verify.grounding, verify.report, verify.numbers; "
            "print(sorted(m for m in ('openai', 'instructor', 'tenacity') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
