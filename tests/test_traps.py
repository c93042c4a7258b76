"""Traps that real scraped reports set, rebuilt with values of our own.

Each was first seen in a real report (../shared/corpus); none of these texts is one of them.
The rule everywhere: a cell is read, or it is empty with a doubt; it is never a guess.
"""
from __future__ import annotations

import pytest
from render import random_values, render, request_label

from extract import template
from extract.document.pieces import piece_of
from extract.document.tokens import tokenize
from extract.parsers import parse_report
from extract.parsers.cells import fit_row
from extract.parsers.solve import solve_table
from extract.process import assess_text

COLS = template.columns()


def shape(*sizes: int, sums: bool = True) -> template.Row:
    """A row of these groups of cells, each ending in its sum as the template's rows do (or none)."""
    import re

    from extract.template.rows import make_row
    row_sums, at = [], 0
    for size in sizes:
        if sums:
            row_sums.append(template.RowSum("RX", at + size - 1, tuple(range(at, at + size - 1)), "test"))
        at += size
    return make_row("test", tuple(f"c{i}" for i in range(at)), "", re.compile("x"), "", tuple(row_sums))


def _row(extraction, row):
    return [extraction.cells[f"{row}.{c}"].value for c in COLS]


def _wrong(values, extraction):
    return {k: (extraction.cells[k].value, v) for k, v in values.items()
            if extraction.cells[k].value is not None and extraction.cells[k].value != v}


# --- whole layouts -------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(8))
def test_a_whole_page_on_one_line_is_read_where_the_relations_pin_it_and_never_guessed(fmt, seed):
    values = random_values(fmt, seed, busy=0.4)
    found = assess_text(render(fmt, values, "page"))
    assert _wrong(values, found.reading) == {}
    empty = [k for k in values if found.reading.cells[k].value is None]
    if empty:
        assert found.status == "needs_review"
    assert sum(found.reading.cells[k].value is not None for k in values) > len(values) // 2


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(4))
def test_label_rows_split_from_their_value_rows_are_read_and_flagged(fmt, seed):
    values = random_values(fmt, seed, busy=0.5)
    found = assess_text(render(fmt, values, "label_split"))
    request_keys = [k for k in values if k.startswith("requests.")]
    assert {k: found.reading.cells[k].value for k in request_keys} == {k: values[k] for k in request_keys}
    assert "cells_displaced" in found.report.codes and found.status == "needs_review"


# --- one trap at a time ------------------------------------------------------------------------
HEAD = "2021年白水县民政局政府信息公开工作年度报告 三、收到和处理政府信息公开申请情况 "
TAIL = " 四、政府信息公开行政复议、行政诉讼情况"


def test_the_next_rows_ordinal_glued_to_a_rows_digits_is_not_a_cell():
    text = (HEAD + "一、本年新收政府信息公开申请数量 430000043二、上年结转政府信息公开申请数量0000000"
            "三、本年度办理结果（三）不予公开1.属于国家秘密 51000062.其他法律行政法规禁止公开 0000000" + TAIL)
    got = parse_report(text)
    assert _row(got, "requests.refused.state_secret") == [5, 1, 0, 0, 0, 0, 6]
    assert _row(got, "requests.refused.prohibited_by_law") == [0] * 7


def test_stray_spaces_inside_a_digit_run_and_a_label():
    text = HEAD + "一、本年新收政府信息公开申请数量35000 4039二、上年 结转政府信息公开申请数量1 0 00 0 01" + TAIL
    got = parse_report(text)
    assert _row(got, "requests.new") == [35, 0, 0, 0, 4, 0, 39]
    assert _row(got, "requests.carried_over") == [1, 0, 0, 0, 0, 0, 1]


def test_placeholder_headers_with_digits_are_not_cells():
    text = ("2021年白水县民政局政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|---|\n"
            "| 本年新收政府信息公开申请数量 | 12 | 0 | 0 | 0 | 1 | 0 | 13 |\n"
            "### 二、上年结转\n| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n"
            "| 上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n四、政府信息公开行政复议、行政诉讼情况\n")
    got = parse_report(text)
    assert _row(got, "requests.new") == [12, 0, 0, 0, 1, 0, 13]
    assert _row(got, "requests.carried_over") == [2, 0, 0, 0, 0, 0, 2]


@pytest.mark.parametrize("seed", range(3))
def test_a_repeated_header_naming_later_rows_does_not_hide_the_rows_below_it(seed):
    # A PDF conversion printed a column header (naming 结转下年度, 总计 …) between two rows of 三(六).
    values = random_values("2021", seed, busy=0.6)
    lines = render("2021", values, "pipes").split("\n")
    at = next(i for i, line in enumerate(lines) if "收费通知" in line)
    lines.insert(at, "| 项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |")
    got = parse_report("\n".join(lines))
    request_keys = [k for k in values if k.startswith("requests.")]
    assert {k: got.cells[k].value for k in request_keys} == {k: values[k] for k in request_keys}


def test_a_minus_sign_opens_the_change_column_and_nothing_else_is_guessed():
    text = ("2020年白水县民政局政府信息公开工作年度报告 二、主动公开政府信息情况 第二十条第（六）项信息内容上一年项目数量"
            "本年增/减处理决定数量行政处罚1534-7212行政强制004第二十条第（八）项信息内容上一年项目数量本年增/减"
            "行政事业性收费62-8 三、收到和处理政府信息公开申请情况")
    got = parse_report(text).cells
    assert got["active.penalty.prev_items"].value == 1534
    assert got["active.penalty.change"].value is None and got["active.penalty.decisions"].value is None
    assert [got[f"active.coercion.{k}"].value for k in ("prev_items", "change", "decisions")] == [0, 0, 4]
    assert (got["active.fees.prev_items"].value, got["active.fees.change"].value) == (62, -8)


def test_the_narrative_can_pin_a_split_that_no_relation_ties():
    table = ("二、主动公开政府信息情况 第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章000"
             "行政规范性文件1234567第二十条第（五）项信息内容本年处理决定数量行政许可5 三、收到和处理政府信息公开申请情况")
    said = "2021年白水县民政局政府信息公开工作年度报告 现行有效规范性文件4567件，本年度制发规范性文件12件。"
    docs = [f"active.normative_docs.{k}" for k in ("issued", "repealed", "in_force")]
    pinned = parse_report(said + table).cells
    assert [pinned[k].value for k in docs] == [12, 3, 4567]
    silent = parse_report("2021年白水县民政局政府信息公开工作年度报告 " + table).cells
    assert [silent[k].value for k in docs] == [None, None, None]


@pytest.mark.parametrize("digits, sizes, sums, expected", [
    ("1000001", [7], True, [1, 0, 0, 0, 0, 0, 1]),
    ("1000002", [7], True, None),                      # the row's own sum fails: no reading
    ("1000002", [7], False, [1, 0, 0, 0, 0, 0, 2]),
    ("100013000300000", [5, 5, 5], True, [1, 0, 0, 0, 1, 3, 0, 0, 0, 3, 0, 0, 0, 0, 0]),
    ("100013000200000", [5, 5, 5], True, None),        # the second group's sum fails
])
def test_a_run_of_as_many_digits_as_cells_reads_a_digit_a_cell(digits, sizes, sums, expected):
    from extract.parsers.splits import split_pieces
    text = "数量" + digits
    (token,) = [t for t in tokenize(text) if t.kind == "num"]
    readings = split_pieces([piece_of(token)], shape(*sizes, sums=sums))
    if expected is None:
        assert readings == []
        return
    (reading,) = readings
    assert [c.value for c in reading] == expected
    assert [text[c.start:c.end] for c in reading] == list(digits) and {c.method for c in reading} == {"split"}


@pytest.mark.parametrize("printed, values, doubts", [
    ("\n2\n1\n3\n\n\n", [2, 1, 3], []),                # one cell a line, empty lines before the next label
    ("\n\n2\n1\n3\n\n", [2, 1, 3], []),
    ("\n2\n1\n4\n\n\n", [2, 1, 4], []),                # its sum fails: the source's, read as printed
    ("\n2\n1\n3\n-\n", [2, 1, 3], ["cells_displaced"]),  # a printed blank after them is not an empty line
    ("\n00\n1\n1\n\n", None, ["digits_run_together"]),  # '00' is never one number
])
def test_cells_one_a_line_with_empty_lines_around_them(printed, values, doubts):
    fit = fit_row([t for t in tokenize(printed) if t.kind != "text"], shape(3))
    assert [[c.value for c in r] for r in fit.candidates] == ([values] if values else [])
    assert fit.doubts == doubts


def test_a_row_two_splits_fit_is_left_empty_where_they_differ():
    tokens = tokenize("数量110000011")
    fit = fit_row(tokens, shape(7))
    assert sorted(tuple(c.value for c in r) for r in fit.candidates) == [(1, 10, 0, 0, 0, 0, 11), (11, 0, 0, 0, 0, 0, 11)]
    keys = tuple(f"requests.new.{c}" for c in COLS)
    solved = solve_table({"requests.new": keys}, {"requests.new": fit.candidates}, ())
    assert {k: c.value for k, c in solved.cells.items()} == dict(zip(keys[2:], [0, 0, 0, 0, 11]))
    assert solved.undecided == ["requests.new"]


def test_the_column_relations_decide_a_row_its_own_sum_cannot():
    # 本年新收 110000011 reads 11,0,… or 1,10,…; 总计 and the handling rows say which.
    printed = {"requests.new": "110000011", "requests.granted": "6000006", "requests.partly_granted": "5000005",
               "requests.total": "110000011"}
    rows = "".join(request_label("2021", r).replace("\t", "") + printed.get(r, "0000000")
                   for r in template.request_row_keys("2021"))
    got = parse_report(HEAD + rows + TAIL)
    assert _row(got, "requests.total") == [11, 0, 0, 0, 0, 0, 11]  # R2: 6 + 5 in the first column
    assert _row(got, "requests.new") == [11, 0, 0, 0, 0, 0, 11]    # R1: new + 0 == total + 0


def test_a_relation_broken_through_split_cells_is_not_blamed_on_the_source():
    # The source's 总计 (12) disagrees with its handling rows (10): its cells are cut from runs.
    text = (HEAD + "一、本年新收政府信息公开申请数量12000012二、上年结转政府信息公开申请数量0000000"
            "三、本年度办理结果（一）予以公开10000010（七）总计12000012四、结转下年度继续办理0000000" + TAIL)
    found = assess_text(text)
    assert found.status == "needs_review"
    assert all(i.origin == "extraction" for i in found.report.issues if i.code == "R2")


def test_spaced_numbers_in_separated_cells_are_never_cut():
    # Space-aligned columns with blank zeros: 14, 3, 20, 37 are four cells, not digits to cut.
    text = ("2021年白水县民政局政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量      14      3   20      37\n四、政府信息公开行政复议、行政诉讼情况\n")
    assert _row(parse_report(text), "requests.new") == [None] * 7


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(4))
def test_one_cell_per_line_with_empty_lines_for_blank_cells(fmt, seed):
    values = random_values(fmt, seed, busy=0.5)
    found = assess_text(render(fmt, values, "cells_per_line", zero_as=""))
    assert _wrong(values, found.reading) == {}
    assert any(c.method == "blank_line" for c in found.reading.cells.values())
    # An empty line may as well be a lost cell: never a promise.
    assert found.status == "needs_review" and "cell_blank_line" in found.report.codes
    read = sum(found.reading.cells[k].value is not None for k in values)
    assert read >= 0.9 * len(values)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(4))
def test_one_cell_a_line_with_nothing_between_rows_makes_an_empty_line_a_blank_cell(fmt, seed):
    """A row followed by exactly as many lines as it has cells prints one cell a line: its empty
    lines are its blank cells, as certain as a grid's, when the rows printed in full show the layout."""
    values = random_values(fmt, seed, busy=0.5)
    found = assess_text(render(fmt, values, "lines", zero_as=""))
    assert _wrong(values, found.reading) == {}
    assert all(found.reading.cells[k].value is not None for k in values)
    assert "cell_blank_line" not in found.report.codes and found.status == "verified"
    assert any(c.method in ("blank", "edge_blank") for c in found.reading.cells.values())


def test_one_cell_a_line_where_a_row_lost_a_line_a_failing_sum_is_not_blamed_on_the_source():
    """A row of exactly as many lines as cells whose sum fails through an empty line: a line the
    scrape lost, or moved, looks the same as the source's break, so it is our doubt."""
    values = {**random_values("2021", 12, busy=0.5), "requests.partly_granted.natural_person": 30,
              "requests.partly_granted.commercial": 0}
    values["requests.partly_granted.total"] = sum(values[f"requests.partly_granted.{c}"] for c in COLS[:-1])
    lines = render("2021", values, "lines", zero_as="").split("\n")
    at = next(n for n, line in enumerate(lines) if "部分公开" in line)
    lines[at + 1], lines[at + 2] = lines[at + 2], lines[at + 1]   # the empty line before the 30, not after it
    found = assess_text("\n".join(lines))
    assert found.status == "needs_review"


def _lines_with(text: str, label: str, change) -> str:
    """`text` with the lines after the line holding `label` changed by `change(lines, at)`."""
    lines = text.split("\n")
    at = next(n for n, line in enumerate(lines) if label in line) + 1
    change(lines, at)
    return "\n".join(lines)


ONE_A_LINE_VALUES = {**random_values("2021", 11, busy=0.5), "requests.new.commercial": 0, "requests.new.total": 1}


@pytest.mark.parametrize("how", ["an empty line between two rows", "a cell lost, its line and all"])
def test_one_cell_a_line_where_a_row_breaks_the_layout_every_empty_line_stays_a_doubt(how):
    text = render("2021", ONE_A_LINE_VALUES, "lines", zero_as="")
    if how == "an empty line between two rows":   # then an empty line may be layout, anywhere
        text = _lines_with(text, "上年结转", lambda lines, at: lines.insert(at + 7, ""))
        found = assess_text(text)
        assert "cell_blank_line" in found.report.codes and found.status == "needs_review"
    else:                                          # 本年新收 prints six lines for seven cells
        text = _lines_with(text, "本年新收", lambda lines, at: lines.pop(at + 2))
        found = assess_text(text)
        assert found.status == "needs_review"
    assert _wrong(ONE_A_LINE_VALUES, found.reading) == {}


@pytest.mark.parametrize("seed", range(3))
def test_a_grid_cell_left_blank_while_a_number_strays_outside_the_grid_is_not_read_as_0(seed):
    """A PDF conversion that put a row's 总计 on a line of its own leaves that cell empty: where a
    number of the table stands outside its grid rows, the grid's empty cells are no longer certain."""
    values = {**random_values("2021", seed, busy=0.5), "requests.granted.natural_person": 7}
    values["requests.granted.total"] = sum(values[f"requests.granted.{c}"] for c in COLS[:-1])
    lines = render("2021", values, "pipes").split("\n")
    row = next(n for n, line in enumerate(lines) if "予以公开" in line)
    lines[row] = lines[row].rstrip(" |").rsplit(" | ", 1)[0] + " |  |"    # '… | 4 |  |': its 总计 empty
    found = assess_text("\n".join(lines))
    assert found.reading.cells["requests.granted.total"].value == 0 and found.status == "source_inconsistent"
    lines.insert(row + 2, str(values["requests.granted.total"]))   # the 总计, displaced
    found = assess_text("\n".join(lines))
    assert found.reading.cells["requests.granted.total"].value is None and found.status == "needs_review"
    assert _wrong(values, found.reading) == {}


@pytest.mark.parametrize("layout", ["tabs", "flat", "page"])
def test_procurement_cells_printed_with_their_units_run_together(layout):
    """'政府集中采购3个185000元': a count with its count word, then a sum in 元 (万元 in the template)."""
    values = {**random_values("2019", 9, busy=0.5), "active.procurement.items": 3, "active.procurement.amount": 18.5}
    text = render("2019", values, layout)
    row = next(line for line in text.split("\n") if "政府集中采购" in line) if layout != "page" else None
    text = (text.replace(row, "政府集中采购3个185000元") if row is not None else
            text.replace(text[text.index("政府集中采购"):text.index("三、收到")], "政府集中采购3个185000元 "))
    found = assess_text(text)
    assert (found.reading.cells["active.procurement.items"].value, found.reading.cells["active.procurement.amount"].value) == (3, 18.5)
    assert _wrong(values, found.reading) == {}


@pytest.mark.parametrize("printed,expected", [("0000000", 0), ("3000003", None)])
def test_a_2021_report_printing_the_single_2019_other_row(printed, expected):
    """Its three 2021 sub-rows are 0 when that row is all zeros; otherwise not printed: empty."""
    rows = []
    for r in template.request_row_keys("2021"):
        if r.startswith("requests.other."):
            if r.endswith("overdue_correction"):
                rows.append("（六）其他处理" + printed)
            continue
        rows.append(request_label("2021", r).replace("\t", "") + "0000000")
    found = assess_text(HEAD + "".join(rows) + TAIL)
    parts = [f"requests.other.{p}.{c}" for p in ("overdue_correction", "unpaid_fee", "other") for c in COLS]
    assert {found.reading.cells[k].value for k in parts} == {expected}
    assert found.status == "needs_review"


# --- rows and labels, cell by cell ----------------------------------------------------------
def test_a_row_printed_with_one_cell_fewer_is_read_only_where_the_lost_cell_is_zero():
    # Six zeros for seven columns: wherever the lost cell was, it is 0: one reading.
    zeros = fit_row(tokenize("\t0\t0\t0\t0\t0\t0\n"), shape(7))
    assert [[c.value for c in r] for r in zeros.candidates] == [[0] * 7] and "cell_lost" in zeros.doubts
    assert sum(c.method == "inferred" for c in zeros.candidates[0]) == 1
    # 2 + 5 printed with total 9: the lost cell would be 2, or '25' was one cell: no reading.
    assert fit_row(tokenize("\t2\t5\t0\t0\t0\t9\n"), shape(7)).candidates == []
    # A group of zeros that lost a cell, beside groups that did not: the sums find which group.
    one_group = fit_row(tokenize("\t0\t0\t0\t0\t1\t0\t0\t0\t1\t0\t2\t0\t0\t2\n"), shape(5, 5, 5))
    assert [[c.value for c in r] for r in one_group.candidates] == [[0] * 5 + [1, 0, 0, 0, 1, 0, 2, 0, 0, 2]]
    # A non-zero group that lost a cell: the lost one may be its total (3 + 3 = 6): no reading.
    assert fit_row(tokenize("\t3\t0\t0\t3\t1\t0\t0\t0\t1\t0\t2\t0\t0\t2\n"), shape(5, 5, 5)).candidates == []


@pytest.mark.parametrize("printed, readings", [
    ("\t6\t00\t0\t0\t0\t6\t\n", [[6, 0, 0, 0, 0, 0, 6]]),      # six cells printed: '00' is two of them
    ("| 6 | 0 | 00 | 0 | 0 | 0 | 6 |\n", []),                    # seven printed: '00' makes eight cells
    ("2\n| 0 | 00 | 0 | 0 | 0 | 0 |\n", []),                     # a stray cell before the row, as PDFs leave one
])
def test_a_cell_printed_00_is_never_one_number_even_where_the_count_fits(printed, readings):
    fit = fit_row(tokenize(printed), shape(7))
    assert [[c.value for c in r] for r in fit.candidates] == readings
    for reading in fit.candidates:  # the two zeros are cut out of '00', and say so
        assert [printed[c.start:c.end] for c in reading if c.method == "split"] == ["0", "0"]


def test_a_labels_one_digit_ordinal_is_text_and_a_longer_run_before_an_ordinal_mark_is_cut():
    assert [(t.kind, t.text) for t in tokenize("1. 属于国家秘密\n2、其他\n")] == [("text", "1. 属于国家秘密"),
                                                                                 ("text", "2、其他")]
    glued = [(t.kind, t.text) for t in tokenize("保护第三方合法权益 00000002.其他法律")]
    assert ("num", "0000000") in glued  # the last digit numbers the next row's label


def test_a_label_runs_on_to_where_a_digit_of_any_kind_begins():
    import re

    from extract.document.anchors import DIGIT_CHARS
    digit = re.compile(f"[{DIGIT_CHARS}]")
    assert all(bool(digit.match(c)) == c.isdigit() for c in map(chr, range(0x110000)))


def test_the_label_view_maps_every_character_back_to_where_it_was_printed():
    from extract.document.anchors import LabelView
    text = "首页 |> 三、收到和处理\u3000政府信息\xa0公开申请 ** `表` #\n（一）本年新收\t| 12 |\x1c3\u2028四、"
    for start in (0, 3, 5, len(text) - 2, len(text)):
        view = LabelView.of(text, start)
        assert view.view == "".join(ch for ch in text[start:] if not ch.isspace() and ch not in "|#*`>")
        assert all(text[view.offset(i)] == ch for i, ch in enumerate(view.view))
        assert all(view.index(view.offset(i)) == i for i in range(len(view.view)))


def test_a_line_has_cells_to_split_exactly_where_the_separators_are():
    from extract.document.tokens import _HAS_SEPARATOR, _SEPARATORS
    lines = ["一、本年新收\t3", "a | b", "a  b", "a\u3000 b", "a\x0b\x1cb", "（一）予以公开", "a b c", "a\u2028\u2028b", "|", ""]
    assert [bool(_HAS_SEPARATOR.search(x)) for x in lines] == [bool(_SEPARATORS.search(x)) for x in lines]
    assert [bool(_HAS_SEPARATOR.search(x)) for x in lines] == [True, True, True, True, True, False, False, True, True, False]


def test_a_line_of_one_separator_is_cut_as_the_separator_pattern_cuts_it():
    # Lines of tabs only or pipes only are cut by str.split; spaces beside a separator belong to it,
    # an empty cell sits after them, and a run of spaces or odd whitespace is a separator of its own.
    from extract.document.tokens import _SEPARATED

    def by_pattern(line):  # the cells as _SEPARATED delimits them: (text, start, end), empty ones kept
        parts, cells, at = _SEPARATED.split(line), [], 0
        if len(parts) > 1 and not parts[-1].strip():
            del parts[-2:]
        for raw, separator in zip(parts[0::2], parts[1::2] + [""]):
            piece = raw.strip()
            start = at + len(raw) - len(raw.lstrip()) if piece else at
            cells.append((piece, start, start + len(piece) if piece else at + len(raw)))
            at += len(raw) + len(separator)
        while cells and not cells[0][0]:
            cells.pop(0)  # leading empty cells are indentation
        return cells

    lines = ["规章\t0\t\t5\t", "| 予以公开 | 290 |  | 1 |", "a \t \tb", "| a | | b |", "a\t\t\tb ", "\t\t7\t",
             "部分公开 (区分,  只计)\t3", "a\x0b\t8\t9", "x | 1\t2", " | a | b | "]
    for line in lines:
        got = [(t.text if t.kind != "blank" else "", t.start, t.end) for t in tokenize(line)]
        assert got == by_pattern(line), line


def test_numbers_on_a_long_line_are_the_ones_the_number_pattern_finds():
    from extract.document.tokens import NUMBER, number_matches
    line = "增加了 增3件，减少 减 5，+-7 —— 1,234.5万元 共9页 第二十条 ١٢ ① 0012-3 ISO-9001 " * 40
    assert [m.span() for m in number_matches(line)] == [m.span() for m in NUMBER.finditer(line)]
    assert [m.group() for m in number_matches("增 减3 +x -12.5万元")] == ["减3", "-12.5万元"]


def test_digits_glued_to_a_word_are_a_glued_number_unless_a_sign_or_reference_comes_before():
    # A header's placeholder ('数目3') takes the shortcut; words that end in a sign, an ordinal or a
    # reference word, or hold a digit, go through the number pattern; both ways give these tokens.
    def cells(piece):
        return [(t.kind, t.text, t.start, t.end, t.value, t.glued, t.whole) for t in tokenize(f"|{piece}|")]

    assert cells("数目3") == [("text", "数目", 1, 3, None, False, False), ("num", "3", 3, 4, 3, True, False)]
    assert cells("其他渠道27") == [("text", "其他渠道", 1, 5, None, False, False),
                                ("num", "27", 5, 7, 27, True, False)]
    assert cells("较上年增加4") == [("text", "较上年", 1, 4, None, False, False),
                                 ("num", "增加4", 4, 7, 4, True, False)]  # the sign is the number's
    assert cells("比上年减6") == [("text", "比上年", 1, 4, None, False, False), ("num", "减6", 4, 6, -6, True, False)]
    assert cells("附表2") == [("text", "附表2", 1, 4, None, False, False)]  # a reference, not a number
    assert cells("第8") == [("text", "第8", 1, 3, None, False, False)]
    assert [t.kind for t in tokenize("|第2行数目9|")] == ["text", "num"]
    assert [(t.text, t.glued) for t in tokenize("|第2行数目9|") if t.kind == "num"] == [("9", True)]


def test_an_llm_pick_among_the_readings_of_an_unreadable_appeals_table_stays_a_proposal():
    """四 unreadable: its doubt names 'review.*' and 'litigation.*' — litigation's cells lie two
    levels below (litigation.direct.upheld). The LLM's values there, even printed in order, are a
    pick among the text's readings: proposals, none of them a value."""
    from extract.choose import choose
    from extract.document import build_document
    from extract.reading import Cell, Doubt, Reading
    from extract.template import appeal_keys, numeric_keys

    keys = numeric_keys("2021")
    parsed = Reading("parsers", "2021", cells={k: Cell(0, start=0, end=1) for k in keys if k not in appeal_keys()},
                     doubts=[Doubt("appeals_unreadable", ("review.*", "litigation.*"), "四: too many readings")])
    llm = Reading("llm", "2021", cells={k: Cell(3, "llm", 0, 1) for k in appeal_keys()})
    merged, _ = choose(parsed, llm, build_document("2022年政府信息公开工作年度报告"))
    assert set(merged.proposals) == set(appeal_keys())
    assert all(merged.cells.get(k) is None or merged.cells[k].value is None for k in appeal_keys())


@pytest.mark.parametrize("printed,value", [("0.00123亿元", 12.3), ("246900元", 24.69), ("1,200元", 0.12),
                                           ("2亿元", 20000), ("12.3万元", 12.3), ("1,234.56万元", 1234.56),
                                           ("1,234.5元", 0.12345)])
def test_an_amount_in_another_unit_is_its_exact_value_in_wan_yuan(printed, value):
    """Scaled in decimal: what is printed, in the template's unit, not a float's neighbour of it."""
    [token] = [t for t in tokenize(f"收费 {printed}") if t.value is not None]
    assert repr(token.value) == repr(value)
