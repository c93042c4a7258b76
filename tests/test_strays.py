"""Numbers that are no cell, printed between a table's rows: page numbers in their many forms,
a note's number. Rebuilt with values of our own: a row whose first cell prints a zero mark
('-', '无') followed by such a number must never shift onto it."""
from __future__ import annotations

import pytest
from render import random_values, render, request_label

from extract import template
from extract.document.tokens import NUM, tokenize
from extract.process import assess_text

TRUSTED = ("verified", "source_inconsistent")


def _with_line_after(text: str, label: str, line: str, cells: list[str]) -> str:
    """The row of `label` printed as `cells` (tab-separated), and `line` on a line after it."""
    lines = text.split("\n")
    at = next(n for n, printed in enumerate(lines) if printed.startswith(label + "\t"))
    lines[at] = label + "\t" + "\t".join(cells)
    lines.insert(at + 1, line)
    return "\n".join(lines)


def _wrong(values: dict, found) -> dict:
    return {k: (found.reading.cells[k].value, v) for k, v in values.items()
            if found.reading.cells[k].value not in (None, v)}


@pytest.mark.parametrize("footer", ["- 7 -", "—7—", "— 7 —", "——7——", "·7·", "－7－", "第7页", "第 7 页 共 9 页", "7/9", "7 / 9"])
def test_a_page_number_in_any_of_its_forms_is_no_number_of_the_text(footer):
    assert [t for t in tokenize(f"3\n{footer}\n5") if t.kind == NUM and t.value == 7] == []


@pytest.mark.parametrize("stray", ["7", "注：1", "—7—"])
@pytest.mark.parametrize("mark", ["-", "无", "/"])
def test_a_zero_mark_that_opens_a_row_is_its_first_cell_not_layout(mark, stray):
    """'行政规范性文件  -  4  31' then a lone '7': dropping the mark as layout would read 4, 31, 7.
    The row has no sum to catch it."""
    values = random_values("2021", 3, busy=0.3)
    keys = ("active.normative_docs.issued", "active.normative_docs.repealed", "active.normative_docs.in_force")
    values.update(dict(zip(keys, (0, 4, 31))))
    found = assess_text(_with_line_after(render("2021", values, "tabs"), "行政规范性文件", stray, [mark, "4", "31"]))
    assert _wrong(values, found) == {}
    if stray == "—7—":  # a page number is no number of the text: the row reads as printed
        assert [found.reading.cells[k].value for k in keys] == [0, 4, 31] and found.status == "verified"


@pytest.mark.parametrize("stray", ["7", "注：1"])
def test_a_request_row_opened_by_a_zero_mark_never_blames_the_source_for_a_stray_number(stray):
    """Zeros printed '无', a request row's first cell among them, a lone number after it: read
    without its mark, the row would end in the stray number and break its sum — the source's
    fault, it would seem, with one reading left."""
    values = random_values("2021", 5, busy=0.6)
    row = next(r for r in template.request_row_keys("2021")
               if values[f"{r}.natural_person"] == 0 and values[f"{r}.total"] > 0)
    label = request_label("2021", row)
    text = render("2021", values, "tabs", zero_as="无")
    printed = next(line for line in text.split("\n") if line.startswith(label + "\t"))
    assert printed.split("\t")[1] == "无"
    found = assess_text(_with_line_after(text, label, stray, printed.split("\t")[1:]))
    assert _wrong(values, found) == {} and found.status not in TRUSTED


@pytest.mark.parametrize("seed", range(3))
def test_a_grid_row_of_numbers_keeps_the_blank_cells_it_opens_with(seed):
    """'|  | 8 | 5 |  | 13 | …' (四 from a Word table, zeros left blank): a blank before the first
    number of a grid row that prints no word is a cell, not indentation."""
    values = random_values("2021", seed, busy=0.5)
    keys = template.appeal_keys()
    values[keys[0]], values[keys[1]] = 0, values[keys[1]] or 3
    values[keys[4]] = sum(values[k] for k in keys[:4])
    text = render("2021", values, "tabs")
    lines = text.split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("五、")) - 1
    while not lines[at].strip():
        at -= 1
    lines[at] = "| " + " | ".join("" if values[k] == 0 else str(values[k]) for k in keys) + " |"
    found = assess_text("\n".join(lines))
    assert [found.reading.cells[k].value for k in keys] == [values[k] for k in keys]
    assert found.status == "verified"


@pytest.mark.parametrize("mark", ["/", "-", "—"])
def test_a_mark_opening_a_row_on_one_line_may_be_an_empty_label_column(mark):
    """'一、本年新收…\t/\t20\t…' (the label spans two columns, the empty one marked): on one line
    with one cell too many, the row's sums tell the mark for layout."""
    values = random_values("2021", 8, busy=0.6)
    text = render("2021", values, "tabs")
    lines = [line.replace("\t", f"\t{mark}\t", 1) if line.startswith(("一、本年新收", "二、上年结转")) else line
             for line in text.split("\n")]
    found = assess_text("\n".join(lines))
    assert _wrong(values, found) == {} and all(found.reading.cells[k].value is not None for k in values)


def test_a_dash_between_a_label_and_its_numbers_is_no_minus_sign():
    """'一、本年新收…数量 - 35   7 …': a dash set apart from the label and from the digits is a leader;
    read as −35 the row's sums would fail and blame the source. A cell opening with '- 5' keeps it."""
    from extract.document.tokens import tokenize
    values = random_values("2021", 13, busy=0.6)
    label = request_label("2021", "requests.new")
    text = render("2021", values, "spaces")
    lines = [line.replace(label + "   ", label + " - ", 1) if line.startswith(label) else line for line in text.split("\n")]
    assert any(line.startswith(label + " - ") for line in lines)
    found = assess_text("\n".join(lines))
    assert _wrong(values, found) == {} and found.status not in ("source_inconsistent",)
    assert [t.value for t in tokenize("本年增/减\n- 5\n") if t.kind == NUM] == [-5]
