"""四 printed transposed, as some spreadsheet-made reports print it: a row per result (结果维持,
结果纠正, 其他结果, 尚未审结, 总计), a column per group (行政复议, then 行政诉讼 未经复议直接起诉,
then 复议后起诉). Taken in printed order, its numbers would fill the template's one row of
fifteen in the wrong places and break R4, which would then be blamed on the source.

Read only where it is certain: the five result rows in the template's order, three cells each,
and a header naming the groups in the template's order. A table with result rows that is not
that has no reading: its cells stay empty.
"""
from __future__ import annotations

import re
from itertools import groupby
from operator import attrgetter
from typing import Final, Optional, Sequence

from extract.document.tokens import TEXT, Token, prints_a_cell

_RESULT: Final = (re.compile(r"^(?:结果)?维持$"), re.compile(r"^(?:结果)?纠正$"), re.compile(r"^其他(?:结果)?$"),
                  re.compile(r"^尚未审结$"), re.compile(r"^[总合]计$"))
_LINE: Final = attrgetter("line")
# A line opening with 维持 (or 结果维持), a number or a blank mark next: a result row.
_A_RESULT_ROW: Final = re.compile(r"^[^\S\n|]*\|?[^\S\n]*(?:结果)?维持[^\S\n]*(?:\|[^\S\n]*)*[\d\-/—无]", re.M)
GROUPS: Final = 3


def transposed_appeals(norm: str, tokens: Sequence[Token]) -> Optional[list[Token]]:
    """四's cells in the template's order where `tokens` (四's region) print it transposed; [] where
    they print result rows that cannot be read so; None where they do not print it transposed."""
    if not _A_RESULT_ROW.search(norm, tokens[0].start, tokens[-1].end):
        return None  # the common table: result words only in its header, before other words
    rows: list[tuple[int, list[Token]]] = []
    for _, line in groupby(tokens, key=_LINE):
        printed = list(line)
        first = next((i for i, t in enumerate(printed) if t.kind != TEXT), len(printed))
        cells = [t for t in printed[first:] if prints_a_cell(t)]
        if not cells or first == 0:
            continue
        label = re.sub(r"\s+", "", "".join(t.text for t in printed[:first]))
        kind = next((i for i, result in enumerate(_RESULT) if result.match(label)), None)
        if kind is not None:
            rows.append((kind, cells if all(t.kind != TEXT for t in printed[first:]) else []))
    if len(rows) < 3 or all(len(cells) == 1 for _, cells in rows):
        return None  # no result rows; or each result with one value: the groups one after another
    if [kind for kind, _ in rows] != list(range(len(_RESULT))) or any(len(cells) != GROUPS for _, cells in rows):
        return []
    if not _groups_in_order(norm[tokens[0].start:norm.rfind("\n", 0, rows[0][1][0].start)]):
        return []
    return [cells[group] for group in range(GROUPS) for _, cells in rows]


def _groups_in_order(header: str) -> bool:
    """The header, the last line printed before the result rows, names 行政复议, then
    未经复议直接起诉, then 复议后起诉 (a line further up may be prose)."""
    line = next((re.sub(r"\s+", "", line) for line in reversed(header.split("\n")) if line.strip()), "")
    direct, after = line.find("未经复议"), line.find("复议后")
    return 0 <= direct < after and "复议" in line[:direct]
