"""Statistical tables annexed to a report: printed twice (as lines of text, then as a grid under a
caption such as '## 表二：…'). Reports built here from chosen values."""
from __future__ import annotations

import pytest
from render import random_values, render

from extract.process import assess_text

ACTIVE, REQUESTS, APPEALS = "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议"
TABLES = {"active": (ACTIVE, REQUESTS), "requests": (REQUESTS, APPEALS)}


def _section(text: str, first: str, after: str) -> str:
    start = text.index(first)
    return text[start:text.index(after, start)]


def _printed_twice(values: dict, table: str, first_layout: str, change=lambda copy: copy) -> str:
    """The report in tabs, its `table` printed in `first_layout`, then again as a pipe grid."""
    text, heading = render("2021", values, "tabs"), TABLES[table]
    copy = _section(render("2021", values, "pipes"), *heading).replace(heading[0], "## 表：" + heading[0], 1)
    return text.replace(_section(text, *heading), _section(render("2021", values, first_layout), *heading) + change(copy))


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("first_layout", ["tabs", "spaces"])
@pytest.mark.parametrize("seed", range(2))
def test_a_table_printed_twice_is_read_once(table, first_layout, seed):
    values = random_values("2021", seed, busy=0.5)
    found = assess_text(_printed_twice(values, table, first_layout))
    assert {k: found.reading.cells[k].value for k in values} == values
    assert found.status == "verified"


@pytest.mark.parametrize("table", list(TABLES))
def test_copies_that_print_different_numbers_leave_the_record_in_doubt(table):
    values = random_values("2021", 3, busy=0.5)
    found = assess_text(_printed_twice(values, table, "tabs", lambda copy: copy.replace("| 0 |", "| 5 |", 1)))
    assert found.status == "needs_review"
    assert {k: (c.value, values[k]) for k, c in found.reading.cells.items()
            if k in values and c.value is not None and c.value != values[k]} == {}


NARRATIVE_SECTIONS = ("一、总体情况\n本机关认真做好政府信息公开工作。\n二、主动公开工作情况\n全年主动公开政府信息。\n"
                      "三、依申请公开情况\n申请均按时答复。\n四、政府信息管理\n及时更新公开指南。\n"
                      "五、存在的主要问题及改进情况\n公开内容还不够丰富。\n六、平台建设\n网站运行平稳。\n附件：统计表\n")


@pytest.mark.parametrize("seed", range(3))
def test_tables_annexed_after_six_sections_of_prose_and_renumbered(seed):
    """The report's own sections 一…六 are prose; its tables follow as an annex numbered 一、二、三:
    the tables' bounds come from their own labels, not from the prose's numbering."""
    values = random_values("2021", seed, busy=0.5)
    text = render("2021", values, "tabs")
    title = text.split("\n", 1)[0]
    tables = text[text.index(ACTIVE):text.index("五、存在的主要问题")]
    for old, new in ((ACTIVE, "一、主动公开政府信息情况"), (REQUESTS, "二、收到和处理政府信息公开申请情况"),
                     (APPEALS, "三、政府信息公开行政复议")):
        tables = tables.replace(old, new, 1)
    found = assess_text(f"{title}\n{NARRATIVE_SECTIONS}{tables}")
    assert {k: found.reading.cells[k].value for k in values} == values
    assert found.status == "verified"


def test_copies_whose_blank_cells_stand_in_other_columns_do_not_agree():
    """'| 28 |  | 0 |' once and '|  | 28 | 0 |' in the copy: the same numbers, not the same cells."""
    values = {**random_values("2021", 4, busy=0.5), "requests.partly_granted.natural_person": 28,
              "requests.partly_granted.commercial": 0}
    values["requests.partly_granted.total"] = sum(values[f"requests.partly_granted.{c}"] for c in
                                                  ("natural_person", "commercial", "research", "social_org",
                                                   "legal_service", "other_org"))
    def blank_moved(copy: str) -> str:
        row = next(line for line in copy.split("\n") if "部分公开" in line)
        return copy.replace(row, row.replace("| 28 | 0 |", "|  | 28 |", 1))
    text = _printed_twice(values, "requests", "tabs", blank_moved)
    assert "|  | 28 |" in text
    found = assess_text(text.replace("\t28\t0\t", "\t28\t\t", 1))
    assert found.status == "needs_review"


# A 第二十条 row that prints two of its three values in the grid and the third on a loose line,
# with a note of its own (现行有效 12, of which 5 revised): the note's number is never a cell.
CARRIED_ON = ["| 规章 | 4 | 2 |\n12（其中修订 5 件）", "| 规章 | 4 | 2 |\n（其中修订 5 件）12",
              "| 规章 | 4 | 2 |\n12\n（其中修订 5 件）", "| 规章 | 4 |\n2\n12（其中修订 5 件）"]
IN_DOUBT = ["| 规章 | 4 | 2 | |\n12（其中修订 5 件）", "规章 4 2\n12（其中修订5件）", "| 规章 | 4 | 2 |\n5（修订）12"]


@pytest.mark.parametrize("printed", CARRIED_ON + IN_DOUBT)
def test_a_rules_row_with_its_third_value_on_a_loose_line_with_a_note(printed):
    values = {**random_values("2021", 7, busy=0.5), "active.rules.issued": 4, "active.rules.repealed": 2,
              "active.rules.in_force": 12}
    text = render("2021", values, "pipes")
    row = next(line for line in text.split("\n") if line.startswith("规章") or line.startswith("| 规章"))
    found = assess_text(text.replace(row, printed, 1))
    cells = {k: found.reading.cells[k].value for k in ("active.rules.issued", "active.rules.repealed", "active.rules.in_force")}
    if printed in CARRIED_ON:
        assert cells == {"active.rules.issued": 4, "active.rules.repealed": 2, "active.rules.in_force": 12}
    else:                                                    # a blank closed by its pipe, or digits that could be either
        assert set(cells.values()) == {None} and found.status == "needs_review"
