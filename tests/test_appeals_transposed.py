"""四 printed transposed (a row per result, a column per group), as spreadsheet-made reports print
it. Rebuilt with values of our own: read where the rows and the header leave one reading, left
empty otherwise — never its numbers in printed order, which break R4 and blame the source."""
from __future__ import annotations

import pytest
from render import random_values, render

from extract import template
from extract.process import assess_text

RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
HEADER = "项目\t行政复议\t行政诉讼（未经复议直接起诉）\t行政诉讼（复议后起诉）"


def _transposed(values: dict, header: str = HEADER, results=RESULTS, order=(0, 1, 2)) -> str:
    keys = template.appeal_keys()
    cells = [str(values[k]) for k in keys]
    rows = [f"{label}\t" + "\t".join(cells[g * 5 + i] for g in order) for i, label in enumerate(results)]
    text = render("2021", values, "tabs")
    a, b = text.index("四、政府信息公开行政复议"), text.index("五、存在的主要问题")
    return text[:a] + "四、政府信息公开行政复议、行政诉讼情况\n" + "\n".join([header, *rows]) + "\n\n" + text[b:]


def _appeals(found) -> list:
    return [found.reading.cells[k].value for k in template.appeal_keys()]


@pytest.mark.parametrize("seed", range(4))
def test_a_transposed_table_is_read_in_the_templates_order(seed):
    values = random_values("2021", seed, busy=0.5)
    found = assess_text(_transposed(values))
    assert _appeals(found) == [values[k] for k in template.appeal_keys()] and found.status == "verified"


@pytest.mark.parametrize("change", ["rows_out_of_order", "groups_out_of_order", "a_cell_lost", "header_split",
                                    "prose_names_the_groups_above_a_header_out_of_order"])
def test_a_transposed_table_that_leaves_doubt_is_left_empty(change):
    values = random_values("2021", 7, busy=0.6)
    if change == "rows_out_of_order":
        text = _transposed(values, results=("结果纠正", "结果维持", "其他结果", "尚未审结", "总计"))
    elif change == "groups_out_of_order":
        text = _transposed(values, header="项目\t行政诉讼（复议后起诉）\t行政诉讼（未经复议直接起诉）\t行政复议", order=(2, 1, 0))
    elif change == "a_cell_lost":
        text = _transposed(values).replace("\n结果纠正\t", "\n结果纠正\t\u0000", 1)
        lines = text.split("\n")
        at = next(n for n, line in enumerate(lines) if line.startswith("结果纠正"))
        lines[at] = lines[at].replace("\u0000", "").rsplit("\t", 1)[0]
        text = "\n".join(lines)
    elif change == "header_split":   # 行政诉讼 a merged cell: the two litigation groups on a line of their own
        text = _transposed(values, header="项目\t行政复议\t行政诉讼\n\t\t未经复议直接起诉\t复议后起诉")
    else:   # the header names the groups out of order, without the words the prose above it uses
        text = _transposed(values, order=(2, 1, 0), header="本机关的行政复议、未经复议直接起诉和复议后起诉案件如下。\n"
                           "项目\t行政诉讼（复议后起诉）\t行政诉讼（直接起诉）\t行政复议")
    found = assess_text(text)
    assert set(_appeals(found)) == {None} and found.status == "needs_review"


def test_results_listed_one_value_each_group_after_group_are_read_in_order():
    """Not transposed: each group's heading, then its five results with one value each."""
    values = random_values("2021", 12, busy=0.6)
    keys = template.appeal_keys()
    lines = []
    for g, group in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")):
        lines += [group] + [f"{label}\t{values[keys[g * 5 + i]]}" for i, label in enumerate(RESULTS)]
    text = render("2021", values, "tabs")
    a, b = text.index("四、政府信息公开行政复议"), text.index("五、存在的主要问题")
    found = assess_text(text[:a] + "四、政府信息公开行政复议、行政诉讼情况\n" + "\n".join(lines) + "\n\n" + text[b:])
    assert _appeals(found) == [values[k] for k in keys]
