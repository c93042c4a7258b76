"""Labels wrapped around their numbers, as PDF text layers print tall label cells: the label's head
and the row's numbers on one line, or the numbers on a line between head and tail; the tail on the
next line. Rebuilt with values of our own."""
from __future__ import annotations

import pytest
from render import random_values, render

from extract import template
from extract.process import assess_text

COLS = template.columns()
# Long labels of 2021 and where they wrap (their distinctive words in the tail).
WRAPPED = {"requests.other.overdue_correction": ("申请人无正当理由", "逾期不补正、行政机关不再处理其政府信息公开申请"),
           "requests.other.unpaid_fee": ("申请人逾期未按收费", "通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
           "requests.unable.unclear": ("补正后申请", "内容仍不明确"),
           "requests.refused.enforcement_file": ("属于行政", "执法案卷")}


def _wrapped(values: dict, where: str) -> str:
    lines = render("2021", values, "spaces").split("\n")
    for key, (head, tail) in WRAPPED.items():
        at = next(n for n, line in enumerate(lines) if head + tail in line.replace(" ", ""))
        line = lines[at]
        cut = line.index(tail[0], line.index(head[-1]))
        words, numbers = line[:cut], line[cut + len(tail):]
        lines[at:at + 1] = [words + numbers, tail] if where == "beside the head" else [words, numbers.strip(), tail]
    return "\n".join(lines)


@pytest.mark.parametrize("where", ["beside the head", "between head and tail"])
@pytest.mark.parametrize("seed", range(4))
def test_a_row_whose_label_wraps_around_its_numbers_keeps_them(seed, where):
    values = random_values("2021", seed, busy=0.6)
    found = assess_text(_wrapped(values, where))
    read = {k: found.reading.cells[k].value for k in values}
    assert {k: v for k, v in read.items() if v is not None and v != values[k]} == {}
    assert all(read[f"{key}.{c}"] == values[f"{key}.{c}"] for key in WRAPPED for c in COLS)


def test_words_before_the_numbers_that_do_not_begin_the_label_are_not_its_head():
    """The line above the tail prints numbers after other words (a row whose label the text does
    not name): they are not this row's, and no value is taken wrongly."""
    values = random_values("2021", 11, busy=0.6)
    text = _wrapped(values, "beside the head").replace("申请人逾期未按收费", "其他情形说明")
    found = assess_text(text)
    assert {k: (found.reading.cells[k].value, v) for k, v in values.items()
            if found.reading.cells[k].value not in (None, v)} == {}
    assert found.status == "needs_review"
