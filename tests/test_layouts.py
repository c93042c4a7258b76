"""Reports rendered from known values, in every layout scrapers produce, parse back exactly.

Where a layout really destroys information (tables run together with no separators, blank
cells in space-aligned text), the parser may leave cells empty — but it must say so, and it
must never put a wrong number in a cell.
"""
from __future__ import annotations

import pytest
from render import random_values, render

from extract.parsers import parse_report

FORMATS = ["2019", "2021"]
SEEDS = range(6)
EXACT = [
    ("tabs", {}), ("tabs", {"zero_as": "-"}), ("tabs", {"fullwidth": True}),
    ("pipes", {}), ("pipes", {"zero_as": "/"}),
    ("cells_per_line", {}), ("cells_per_line", {"fullwidth": True}), ("lines", {}), ("lines", {"zero_as": ""}),
    ("spaces", {}), ("unlabelled", {}), ("unlabelled", {"zero_as": "-"}),
]
# Zeros left blank: a blank at the end of a row cannot be told from the row's end, and runs of
# spaces hide how many cells they held. Such cells may stay empty, flagged, but never be wrong.
LOSSY = [("tabs", {"zero_as": ""}), ("pipes", {"zero_as": ""}), ("spaces", {"zero_as": ""}),
         ("unlabelled", {"zero_as": ""})]


def _compare(fmt, values, text):
    extraction = parse_report(text)
    got = {k: extraction.cells[k].value for k in values}
    wrong = {k: (got[k], v) for k, v in values.items() if got[k] is not None and got[k] != v}
    empty = [k for k, v in got.items() if v is None]
    return extraction, wrong, empty


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("layout,style", EXACT, ids=[f"{l}-{s}" for l, s in EXACT])
def test_layout_parses_back_exactly(fmt, seed, layout, style):
    values = random_values(fmt, seed)
    extraction, wrong, empty = _compare(fmt, values, render(fmt, values, layout, **style))
    assert wrong == {} and empty == []
    if layout == "unlabelled":  # the request rows lost their labels; they are placed by position
        assert any(c.method == "positional" for c in extraction.cells.values())
    assert (extraction.version, extraction.year.value, extraction.agency.value) == (fmt, 2022, "青山县交通运输局")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", range(10))
def test_tables_run_together_are_split_only_where_the_sums_pin_them(fmt, seed):
    extraction = _lossy_but_never_wrong(fmt, seed, "flat", {})
    assert any(c.method == "split" for c in extraction.cells.values()), "the relations pin at least some rows"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("layout,style", LOSSY, ids=[f"{l}-{s}" for l, s in LOSSY])
def test_lossy_layouts_leave_cells_empty_rather_than_guess(fmt, seed, layout, style):
    _lossy_but_never_wrong(fmt, seed, layout, style)


def _lossy_but_never_wrong(fmt, seed, layout, style):
    values = random_values(fmt, seed)
    extraction, wrong, empty = _compare(fmt, values, render(fmt, values, layout, **style))
    assert wrong == {}
    if empty:
        assert extraction.doubts, "cells left empty without saying why"
    return extraction


def test_all_zero_table_whose_labels_were_lost_is_all_zero():
    values = random_values("2021", 0, busy=0.0)
    extraction, wrong, empty = _compare("2021", values, render("2021", values, "unlabelled"))
    assert wrong == {} and empty == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout,style", EXACT + LOSSY, ids=[f"{l}-{s}" for l, s in EXACT + LOSSY])
def test_every_value_read_is_grounded_where_it_was_read(fmt, layout, style):
    from extract.process import assess_text

    found = assess_text(render(fmt, random_values(fmt, 1), layout, **style))
    assert "ungrounded" not in {i.code for i in found.report.issues}
    if layout in ("tabs", "pipes", "cells_per_line") and "zero_as" not in style:
        assert found.status == "verified", found.reason


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", range(4))
def test_a_sparse_table_one_cell_a_line_reads_its_empty_lines_as_zeros(fmt, seed):
    """Few requests, zeros left as empty lines, no row printed in full: every row printing exactly
    as many lines as it has cells shows the layout; a row printed all empty is a row of zeros."""
    values = random_values(fmt, seed, busy=0.1)
    extraction, wrong, empty = _compare(fmt, values, render(fmt, values, "lines", zero_as=""))
    assert wrong == {} and empty == []


@pytest.mark.parametrize("seed", range(4))
def test_a_sparse_table_one_cell_a_line_with_lines_between_its_rows_is_never_read_wrong(seed):
    """An empty line between rows as well: each row then prints one line more than it has cells,
    and no empty line can be told for a cell or for layout."""
    values = random_values("2021", seed, busy=0.1)
    text = render("2021", values, "lines", zero_as="")
    labels = ("二、上年结转", "三、本年度办理结果", "（二）部分公开", "（四）无法提供", "（五）不予处理", "（七）总计")
    text = "\n".join(("\n" + line) if line.startswith(labels) else line for line in text.split("\n"))
    _, wrong, _ = _compare("2021", values, text)
    assert wrong == {}
