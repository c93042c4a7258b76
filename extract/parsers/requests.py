"""三、收到和处理政府信息公开申请: the request table, 23 or 25 rows × 7 applicant columns.

Row labels are found anywhere in the text (`anchors`); the numbers printed between one label
and the next are that row's. Rows whose labels the scraper lost get the numbers left over in
their gap, by position, only when the count leaves no doubt. Digit runs are cut by the whole
table's relations at once (`solve`), and only where one reading survives.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Final, Optional, Sequence, cast

from extract import template
from extract.parsers.anchors import Anchor, LabelView, find_anchors
from extract.parsers.cells import RowFit, cell_of, doubt, fit_row, row_values
from extract.parsers.solve import solve_table
from extract.record import FORCED, MISSING, POSITIONAL, Cell, Doubt
from extract.tokens import BLANK, NUM, TEXT, Token
from verify.rules import relations

WIDTH: Final = 7  # six applicant columns and 总计
# How far (in label characters) 上年结转 may follow 本年新收 for the pair to open the table.
_OPENING_REACH: Final = 400


@dataclass
class RequestTable:
    cells: dict[str, Cell] = field(default_factory=dict)
    doubts: list[Doubt] = field(default_factory=list)
    start: Optional[int] = None   # text offset of the table's first label
    end: Optional[int] = None     # text offset just past the table's last row


def find_start(view: LabelView, fmt: str) -> Optional[int]:
    """View index of the 本年新收 label that opens the table (上年结转 follows it closely)."""
    rows = template.request_rows(fmt)
    new, carried = rows[0].pattern, rows[1].pattern
    pos = view.lo
    while True:
        match = view.search(new, pos)
        if match is None:
            return None
        if view.search(carried, match.end(), match.end() + _OPENING_REACH) is not None:
            return match.start()
        pos = match.end()


def find_rows(labels: LabelView, fmt: str, start: int, end: int) -> Optional[list[Anchor]]:
    """The table's row labels found between `start` and `end`; None if the table is not there."""
    view = labels.window(start, end)
    opening = find_start(view, fmt)
    if opening is None:
        return None
    return find_anchors(labels.window(view.offset(opening), end), template.request_search_rows(fmt))


def parse_requests(labels: LabelView, tokens: Sequence[Token], fmt: str, start: int, end: int) -> RequestTable:
    """Read the table from the text between offsets `start` and `end` (its region)."""
    table = RequestTable()
    rows = template.request_rows(fmt)
    norm = labels.text
    anchors = find_rows(labels, fmt, start, end)
    if not anchors:
        table.cells = {key: MISSING for row in rows for key in row.keys}
        table.doubts.append(doubt("section_missing", [], "三、request table not found in the text"))
        return table
    searched = template.request_search_rows(fmt)
    table.start, table.end = anchors[0].start, end
    index = {row.key: i for i, row in enumerate(searched)}
    own = {row.key for row in rows}  # the searched rows that are this template's
    fits: dict[str, RowFit] = {}
    candidates: dict[str, list[list[Cell]]] = {}
    for k, anchor in enumerate(anchors):
        span_end = anchors[k + 1].start if k + 1 < len(anchors) else end
        values = span_values(norm, tokens, anchor, span_end)
        gap = [r for r in searched[index[anchor.row.key] + 1:index[anchors[k + 1].row.key]]
               if r.key in own] if k + 1 < len(anchors) else ()
        if anchor.row.key not in own:
            gap = []  # the single （六）其他处理 row stands for the sub-rows after it
        if gap:
            values, orphans = _split_off_label_line(values)
            if orphans:
                candidates.update(_fill_gap(gap, orphans, table))
            else:
                _note_lost(gap, table)
        fits[anchor.row.key] = fit_row(values, [WIDTH])
        candidates[anchor.row.key] = fits[anchor.row.key].candidates
    if fmt == "2021" and template.SINGLE_OTHER in fits:
        _read_single_other(rows, fits.pop(template.SINGLE_OTHER), candidates, table)
    keys = {row.key: row.keys for row in rows}
    solved = solve_table(keys, candidates, relations(fmt))
    for row in rows:
        readings = candidates.get(row.key) or []
        fit = fits.get(row.key)
        if fit is not None:
            _note_fit(table, row.key, fit, row.key in solved.undecided)
        if len(readings) == 1:
            table.cells.update(zip(row.keys, readings[0]))
        else:
            table.cells.update((key, solved.cells.get(key, MISSING)) for key in row.keys)
    return table


def _read_single_other(rows: Sequence[template.Row], fit: RowFit, candidates: dict[str, list[list[Cell]]],
                       table: RequestTable) -> None:
    """A 2021 table that prints the 2019 single （六）其他处理 row instead of its three sub-rows:
    the sub-rows are known only if that row is all zeros (non-negative parts of 0)."""
    candidates.pop(template.SINGLE_OTHER, None)
    parts = [r for r in rows if r.key.startswith(template.SINGLE_OTHER + ".")]
    if any(candidates.get(r.key) for r in parts) or not fit.candidates:
        return  # the sub-rows are printed (the single row was their group heading), or nothing is
    if fit.unique is not None and all(c.value == 0 for c in fit.unique):
        for row in parts:
            candidates[row.key] = [[Cell(0, FORCED, c.start, c.end, c.line,
                                         "the report prints one （六）其他处理 row of zeros; its parts are 0")
                                    for c in fit.unique]]
        return
    table.doubts.append(doubt("other_single_row", [f"{r.key}.*" for r in parts],
                              "the report prints one （六）其他处理 row, not its three 2021 sub-rows; "
                              "how its numbers divide among them is not printed"))


def span_values(norm: str, tokens: Sequence[Token], anchor: Anchor, end: int, last: bool = False) -> list[Token]:
    """The numbers and blanks printed after a label and before `end`.

    A number glued to the text before it ('数据1', a placeholder header) is part of that text,
    unless it starts right where the label ends ('规章000', a row run together with its label).
    The `last` row of a table ends with its numbers: text after them is no longer the table.
    """
    first, stop = bisect_left(tokens, anchor.end, key=_START), bisect_left(tokens, end, key=_START)
    label_end = anchor.end
    span = [t for t in tokens[first:stop] if t.kind == TEXT or t.start == label_end or not t.glued]
    if last:  # the table's last row ends with its numbers: cut at the first text after one
        printed = next((i for i, t in enumerate(span) if t.kind != TEXT), len(span))
        del span[next((i for i in range(printed, len(span)) if span[i].kind == TEXT), len(span)):]
    return row_values(norm, span, label_end)


_START: Final = attrgetter("start")


def _split_off_label_line(values: list[Token]) -> tuple[list[Token], list[Token]]:
    """A row printed whole on its label's line ends there; later lines belong to rows whose
    labels were lost."""
    if not values:
        return values, []
    line = values[0].line
    on_line = [t for t in values if t.line == line]
    if len(on_line) >= WIDTH - 1:
        return on_line, [t for t in values if t.line != line]
    return values, []


def _note_lost(gap: Sequence[template.Row], table: RequestTable) -> None:
    table.doubts.append(doubt("row_missing", [f"{r.key}.*" for r in gap],
                              f"{len(gap)} rows not found in the text: {', '.join(r.key for r in gap[:4])}"))


def _fill_gap(gap: Sequence[template.Row], values: list[Token], table: RequestTable) -> dict[str, list[list[Cell]]]:
    """Map numbers that lost their row labels onto the rows of the gap, by position only."""
    nums = [t for t in values if t.kind == NUM]
    lines = _group_by_line([t for t in values if t.kind in (NUM, BLANK)])
    readings: Optional[list[list[Cell]]] = None
    if len(lines) == len(gap):
        fitted = [_fit_line(line) for line in lines]
        if all(r is not None for r in fitted):
            readings = cast("list[list[Cell]]", fitted)
    if readings is None and len(nums) == len(gap) * WIDTH:
        readings = [[cell_of(t) for t in nums[k * WIDTH:(k + 1) * WIDTH]] for k in range(len(gap))]
    if readings is None and len(nums) >= len(gap) * WIDTH and all(t.value == 0 for t in nums):
        # Every printed number is 0, so every cell is 0 whatever the alignment.
        readings = [[cell_of(t) for t in nums[k * WIDTH:(k + 1) * WIDTH]] for k in range(len(gap))]
    if readings is None:
        table.doubts.append(doubt("rows_unlabelled", [f"{r.key}.*" for r in gap],
                                  f"{len(nums)} numbers in {len(lines)} lines lost their row labels; "
                                  f"cannot place them on {len(gap)} rows"))
        return {}
    return {row.key: [[Cell(c.value, POSITIONAL, c.start, c.end, c.line, "row label lost; placed by position")
                       for c in cells]] for row, cells in zip(gap, readings)}


def _fit_line(line: list[Token]) -> Optional[list[Cell]]:
    """One unlabelled printed row; extra numbers on its left are what is left of its label."""
    nums = [t for t in line if t.kind == NUM]
    if len(nums) > WIDTH:
        line = nums[-WIDTH:]
    return fit_row(line, [WIDTH]).unique


def _group_by_line(nums: list[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = []
    for t in nums:
        if lines and lines[-1][-1].line == t.line:
            lines[-1].append(t)
        else:
            lines.append([t])
    return lines


def _note_fit(table: RequestTable, row: str, fit: RowFit, undecided: bool) -> None:
    keys = [f"{row}.*"]
    if undecided:
        table.doubts.append(doubt("ambiguous_row", keys, f"{len(fit.candidates)} readings of row {row} fit the "
                                  "relations; the cells they disagree on are left empty"))
    elif not fit.candidates:
        reason = "too many readings of its digits" if "too_many_readings" in fit.doubts else (
            "no reading of its digits satisfies the row sum" if "digits_run_together" in fit.doubts
            else "too few printed cells")
        table.doubts.append(doubt("cells_missing", keys, f"row {row}: {reason}"))
    elif "extra_cells" in fit.doubts:
        table.doubts.append(doubt("extra_cells", keys, f"row {row}: more printed numbers than columns; "
                                  "the row sum picked which of them are its cells"))
    if "cells_displaced" in fit.doubts:
        table.doubts.append(doubt("cells_displaced", keys, f"row {row}: its label line prints empty cells and its "
                                  "numbers stand on another line; the numbers were taken"))
