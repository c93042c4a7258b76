"""Tables a PDF conversion printed with row labels apart from their numbers (the Shanghai style):
a markdown grid of labelled rows and bare rows of numbers, the bare rows' labels printed as loose
lines of words, cut across lines, elsewhere. Reports built here from chosen values.
"""
from __future__ import annotations

import pytest
from render import random_values, render
from test_traps import _wrong

from extract import template
from extract.process import assess_text

COLS = template.columns()


def _markdown(text: str) -> str:
    """The report's table rows as a converter prints them: '| a | b |'."""
    return "\n".join("| " + line if " | " in line and line.endswith("|") else line for line in text.split("\n"))


def _apart(text: str, *words: str) -> str:
    """Rows whose label holds one of `words` printed bare ('| 3 | 0 | … |'), each one's label as two
    loose lines put before the labelled row above it."""
    lines = text.split("\n")
    for word in words:
        at = next(n for n, line in enumerate(lines) if word in line)
        cells = [c.strip() for c in lines[at].strip("| ").split(" | ")]
        label = " ".join(cells[:-len(COLS)])
        lines[at] = "| " + " | ".join(cells[-len(COLS):]) + " |"
        lines[at - 1:at - 1] = [label[:len(label) // 2], label[len(label) // 2:]]
    return "\n".join(lines)


# The rows test_bare_rows… prints bare, by the gaps they leave between labelled rows.
GAPS = (("requests.partly_granted",), ("requests.refused.prohibited_by_law",),
        ("requests.unable.not_held", "requests.unable.needs_creation"))


def by_order(values: dict) -> set[str]:
    """The cells of bare rows whose place only the grid's order gives: a row alone in its gap, and
    the columns where the rows of one gap print different values (printing the same, each has it)."""
    return {f"{row}.{c}" for gap in GAPS for c in COLS
            if len(gap) == 1 or len({values[f"{r}.{c}"] for r in gap}) > 1 for row in gap}


def _bare_lines(lines: list[str]) -> list[int]:
    return [n for n, line in enumerate(lines) if line.startswith("| ") and "政府信息" not in line
            and all(c.strip().isdigit() for c in line.strip("| ").split(" | "))]


def _read(values: dict, text: str):
    found = assess_text(text)
    return found, _wrong(values, found.reading)


@pytest.mark.parametrize("seed", range(4))
def test_the_grid_of_labelled_rows_reads_as_any_grid(seed):
    values = random_values("2021", seed, busy=0.5)
    found, wrong = _read(values, _markdown(render("2021", values, "pipes")))
    assert wrong == {} and found.status == "verified"


@pytest.mark.parametrize("seed", range(4))
def test_bare_rows_are_placed_on_the_rows_of_their_gap_by_the_grid_order(seed):
    values = random_values("2021", seed, busy=0.5)
    text = _apart(_markdown(render("2021", values, "pipes")),
                  "部分公开", "其他法律行政法规", "本机关不掌握", "没有现成信息")
    found, wrong = _read(values, text)
    assert wrong == {} and all(found.reading.cells[k].value is not None for k in values)
    ordered = by_order(values)
    assert ordered, "the two rows of a gap print different values somewhere"
    assert {found.reading.cells[k].method for k in ordered} == {"positional"}
    bare = {f"{row}.{c}" for gap in GAPS for row in gap for c in COLS}
    assert "positional" not in {found.reading.cells[k].method for k in bare - ordered}
    assert found.status == "needs_review" and "cell_positional" in found.report.codes


def test_a_table_of_zeros_whose_rows_lost_their_labels_is_verified():
    """Every bare row of a gap of two or more prints zeros: whichever printed row is whose, each
    cell is 0. A row alone in its gap has only the order to place it."""
    values = random_values("2021", 0, busy=0)
    text = _apart(_markdown(render("2021", values, "pipes")), "本机关不掌握", "没有现成信息", "信访举报", "重复申请")
    found, wrong = _read(values, text)
    assert wrong == {} and found.status == "verified", found.reason
    assert {c.method for c in found.reading.cells.values()} >= {"unlabelled"} and \
        "positional" not in {c.method for c in found.reading.cells.values()}
    alone = _apart(_markdown(render("2021", values, "pipes")), "部分公开")
    found, wrong = _read(values, alone)
    assert wrong == {} and found.status == "needs_review" and "cell_positional" in found.report.codes


def test_a_line_standing_in_for_a_lost_row_is_no_break_of_the_source():
    """Of a gap of two bare rows, one is lost and the other printed twice: the same in every bare
    row, yet not printed under its own label — the broken sum is our doubt, not the source's."""
    values = random_values("2021", 4, busy=0.5)
    lines = _apart(_markdown(render("2021", values, "pipes")), "本机关不掌握", "没有现成信息").split("\n")
    first, second = _bare_lines(lines)[:2]
    assert lines[first] != lines[second]
    lines[second] = lines[first]
    found, _ = _read(values, "\n".join(lines))
    assert found.status == "needs_review" and "source_inconsistent" != found.status


@pytest.mark.parametrize("change", ["swap", "trailing"])
def test_a_lone_bare_row_moved_or_trailing_a_stray_number_stays_in_doubt(change):
    """Two rows alone in their gaps printed in each other's places (the sums still hold), or one
    with a stray number at its end: placed by order only, never trusted."""
    values = random_values("2021", 6, busy=0.5)
    lines = _apart(_markdown(render("2021", values, "pipes")), "部分公开", "其他法律行政法规").split("\n")
    a, b = _bare_lines(lines)[:2]
    if change == "swap":
        assert lines[a] != lines[b]
        lines[a], lines[b] = lines[b], lines[a]
    else:
        lines[a] = lines[a] + " 9 |"
    found, _ = _read(values, "\n".join(lines))
    assert found.status == "needs_review" and "cell_positional" in found.report.codes


def test_only_the_columns_where_the_rows_of_a_gap_differ_are_placed_by_order():
    values = random_values("2021", 0, busy=0)
    for c, n in (("natural_person", 4), ("legal_service", 2)):   # not_held prints 4 and 2 where needs_creation prints 0
        for key in ("requests.unable.not_held", "requests.new", "requests.total"):
            values[f"{key}.{c}"] += n
            values[f"{key}.total"] += n
    text = _apart(_markdown(render("2021", values, "pipes")), "本机关不掌握", "没有现成信息")
    found, wrong = _read(values, text)
    assert wrong == {} and found.status == "needs_review"
    placed = {k for k, cell in found.reading.cells.items() if cell.method == "positional"}
    assert placed == {f"requests.unable.{r}.{c}" for r in ("not_held", "needs_creation")
                      for c in ("natural_person", "legal_service", "total")}


@pytest.mark.parametrize("seed", range(3))
def test_a_gap_whose_bare_rows_are_fewer_than_its_rows_is_left_empty(seed):
    values = random_values("2021", seed, busy=0.5)
    lines = _apart(_markdown(render("2021", values, "pipes")), "本机关不掌握", "没有现成信息").split("\n")
    bare = _bare_lines(lines)
    del lines[bare[0]]                                   # one bare row lost: two rows, one row of numbers
    found, wrong = _read(values, "\n".join(lines))
    assert wrong == {} and found.status == "needs_review"
    assert all(found.reading.cells[f"requests.unable.{r}.{c}"].value is None
               for r in ("not_held", "needs_creation") for c in COLS)


def test_a_stray_number_among_the_bare_rows_is_no_row():
    values = random_values("2021", 5, busy=0.5)
    lines = _apart(_markdown(render("2021", values, "pipes")), "本机关不掌握", "没有现成信息").split("\n")
    at = next(n for n, line in enumerate(lines) if "补正后" in line)
    lines.insert(at, "7")                                # a number some conversion set on a line of its own
    found, wrong = _read(values, "\n".join(lines))
    assert wrong == {} and all(found.reading.cells[f"requests.unable.not_held.{c}"].value is not None for c in COLS)


WHERE_MOVED = {"among the rows": lambda lines, at: at - 3, "above the table's first row": lambda lines, at: next(
    n for n, line in enumerate(lines) if "本年新收" in line), "in the prose": lambda lines, at: 3,
    "at the end": lambda lines, at: len(lines), "alone in a grid row": lambda lines, at: at - 3}


@pytest.mark.parametrize("where", list(WHERE_MOVED))
@pytest.mark.parametrize("row", ["结转下年度", "本年新收", "部分公开"])
def test_a_row_whose_total_was_moved_out_of_the_grid_keeps_its_other_cells(row, where):
    """Wherever the conversion put the 总计, the empty cell it left is no 0 and no break of the source."""
    values = {**random_values("2021", 6, busy=0.5)}
    key = {"结转下年度": "carried_forward", "本年新收": "new", "部分公开": "partly_granted"}[row]
    lines = _markdown(render("2021", values, "pipes")).split("\n")
    at = next(n for n, line in enumerate(lines) if row in line)
    head, total = lines[at].rstrip(" |").rsplit(" | ", 1)
    lines[at] = head + " |  |"
    moved = "| " + " | " * 6 + total + " |" if where == "alone in a grid row" else total
    lines.insert(WHERE_MOVED[where](lines, at), moved)
    found, wrong = _read(values, "\n".join(lines))
    assert wrong == {} and found.status == "needs_review"
    cells = {c: found.reading.cells[f"requests.{key}.{c}"].value for c in COLS}
    assert cells == {**{c: values[f"requests.{key}.{c}"] for c in COLS}, "total": None}


def test_a_label_split_table_with_one_label_printed_as_a_loose_line_gives_no_wrong_value():
    """Label rows with empty cells and their numbers on the next line (labels split, not apart):
    a label printed as a plain line there does not make the row above it a row of zeros."""
    values = random_values("2021", 7, busy=0.5)
    lines = render("2021", values, "label_split").split("\n")
    at = next(n for n, line in enumerate(lines) if "其他法律行政法规" in line)
    lines[at] = "2. 其他法律行政法规禁止公开"
    found, wrong = _read(values, "\n".join(lines))
    assert wrong == {}


@pytest.mark.parametrize("seed", range(3))
def test_the_first_clause_table_annexed_after_the_others_is_read(seed):
    """第二十条第（一）项's table (规章, 规范性文件) printed after the other items, as an annex."""
    values = random_values("2021", seed, busy=0.5)
    lines = render("2021", values, "pipes").split("\n")
    first = next(n for n, line in enumerate(lines) if line.startswith("第二十条第（一）项"))
    items = lines[first + 1:first + 4]                   # its header and its two rows
    del lines[first + 1:first + 4]
    fee = next(n for n, line in enumerate(lines) if line.startswith("行政事业性收费"))
    lines[fee + 1:fee + 1] = ["## 表二：主动公开政府信息情况", *items]
    found, wrong = _read(values, "\n".join(lines))
    assert wrong == {} and all(found.reading.cells[k].value is not None for k in values if k.startswith("active."))


def with_rows(rows: dict) -> dict:
    """Values of a report whose only requests are these rows' (key → seven cells), its totals summed."""
    values = random_values("2021", 0, busy=0)
    for row, cells in rows.items():
        values.update({f"{row}.{c}": x for c, x in zip(COLS, cells)})
    for i, c in enumerate(COLS):
        values[f"requests.new.{c}"] = values[f"requests.total.{c}"] = sum(cells[i] for cells in rows.values())
    return values


def test_a_row_printed_twice_in_place_of_a_lost_one_is_never_taken_as_read():
    """Two gaps each lose their second bare row and print their first twice. Every column of a gap
    then prints one value, yet that is no table of zeros: the lost rows' values differ, and here
    their errors cancel in every sum. Placed by order, in doubt — never `verified`."""
    values = with_rows({"requests.unable.not_held": [2, 0, 0, 0, 0, 0, 2],
                        "requests.unable.needs_creation": [0, 0, 3, 0, 0, 0, 3],
                        "requests.not_processed.duplicate": [0, 0, 3, 0, 0, 0, 3],
                        "requests.not_processed.publication": [2, 0, 0, 0, 0, 0, 2]})
    lines = _apart(_markdown(render("2021", values, "pipes")), "本机关不掌握", "没有现成信息", "重复申请",
                   "公开出版物").split("\n")
    bare = _bare_lines(lines)
    lines[bare[1]], lines[bare[3]] = lines[bare[0]], lines[bare[2]]
    found, wrong = _read(values, "\n".join(lines))
    assert wrong and found.status == "needs_review" and "cell_positional" in found.report.codes
    assert {found.reading.cells[k].method for k in wrong} == {"positional"}


@pytest.mark.parametrize("change", ["wrapped", "a number too many"])
def test_a_bare_row_not_printed_whole_is_no_stray_to_drop(change):
    """Of four bare rows, the first printed across two lines (or with a number too many) and the
    last printed twice: the full lines are as many as the rows, but dropping the first row's lines
    as strays would move every row after it up one place."""
    values = with_rows({"requests.refused.process_info": [4, 0, 0, 0, 0, 0, 4],
                        "requests.refused.enforcement_file": [0, 0, 0, 6, 0, 0, 6]})
    lines = _apart(_markdown(render("2021", values, "pipes")), "三类内部事务", "四类过程性", "行政执法案卷",
                   "行政查询事项").split("\n")
    bare = _bare_lines(lines)
    lines.insert(bare[3] + 1, lines[bare[3]])
    if change == "wrapped":
        cells = lines[bare[0]].strip("| ").split(" | ")
        lines[bare[0]:bare[0] + 1] = ["| " + " | ".join(cells[:3]) + " |", "| " + " | ".join(cells[3:]) + " |"]
    else:
        lines[bare[0]] += " 1 |"
    found, wrong = _read(values, "\n".join(lines))
    assert wrong == {} and found.status == "needs_review"


@pytest.mark.parametrize("seed", range(4))
def test_bare_rows_of_a_table_that_leaves_zeros_blank_are_placed_too(seed):
    """Zeros left blank: a labelled row printing only blanks is a row of zeros, not a label whose
    numbers follow (labels split); the loose labels are still no rows."""
    values = random_values("2021", seed, busy=0.3)
    text = _apart(_markdown(render("2021", values, "pipes", zero_as="")),
                  "部分公开", "其他法律行政法规", "本机关不掌握", "没有现成信息")
    found, wrong = _read(values, text)
    assert wrong == {} and found.status == "needs_review"
    filled = sum(found.reading.cells[k].value is not None for k in values)
    assert filled >= len(values) - len(COLS) * 4      # at most the bare rows' cells left empty
