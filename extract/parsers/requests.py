"""三、收到和处理政府信息公开申请: the request table, 23 or 25 rows × 7 applicant columns.

The document model found the row labels anywhere in the text and the numbers printed between
one label and the next, which are that row's. Rows whose labels the scraper lost get the numbers left over in
their gap, by position, only when the count leaves no doubt. Digit runs are cut by the whole
table's relations at once (`solve`), and only where one reading survives.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Optional, Sequence, cast

from extract.document import Document
from extract.document.tokens import BLANK, NUM, Token
from extract.parsers.cells import RowFit, cell_of, doubt, fit_row
from extract.parsers.solve import solve_table
from extract.reading import BLANK as BLANK_CELL
from extract.reading import FORCED, MISSING, POSITIONAL, READ, UNLABELLED, Cell, Doubt, Number
from extract.template import Row, relations, request_rows, request_search_rows, spec

WIDTH: Final = len(spec.COLUMNS)  # six applicant columns and 总计


@dataclass
class RequestTable:
    cells: dict[str, Cell] = field(default_factory=dict)
    doubts: list[Doubt] = field(default_factory=list)
    options: dict[str, tuple[Number, ...]] = field(default_factory=dict)  # cells left empty: their readings


def parse_requests(document: Document) -> RequestTable:
    """Read the table from the rows the document found between its labels."""
    table = RequestTable()
    version = document.version
    rows = request_rows(version)
    printed = document.requests
    if not printed:
        table.cells = {key: MISSING for row in rows for key in row.keys}
        table.doubts.append(doubt("section_missing", [], "三、request table not found in the text"))
        return table
    searched = request_search_rows(version)
    index = {row.key: i for i, row in enumerate(searched)}
    own = {row.key for row in rows}  # the searched rows that are this template's
    fits: dict[str, RowFit] = {}
    candidates: dict[str, list[list[Cell]]] = {}
    for k, (row, _, _, values) in enumerate(printed):
        gap = [r for r in searched[index[row.key] + 1:index[printed[k + 1].row.key]]
               if r.key in own] if k + 1 < len(printed) else ()
        if row.key not in own:
            gap = []  # the single （六）其他处理 row stands for the sub-rows after it
        if gap:
            values, orphans = _split_off_label_line(values)
            if orphans:
                candidates.update(_fill_gap(gap, orphans, table))
            else:
                _note_lost(gap, table)
        fits[row.key] = fit_row(values, row)
        candidates[row.key] = fits[row.key].candidates
    if spec.SINGLE_OTHER not in own and spec.SINGLE_OTHER in fits:  # a 2019 row in a template that divides it
        _read_single_other(rows, fits.pop(spec.SINGLE_OTHER), candidates, table)
    keys = {row.key: row.keys for row in rows}
    solved = solve_table(keys, candidates, relations(version))
    table.options = solved.options
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


def _read_single_other(rows: Sequence[Row], fit: RowFit, candidates: dict[str, list[list[Cell]]],
                       table: RequestTable) -> None:
    """A 2021 table that prints the 2019 single （六）其他处理 row instead of its three sub-rows:
    the sub-rows are known only if that row is all zeros (non-negative parts of 0)."""
    candidates.pop(spec.SINGLE_OTHER, None)
    parts = [r for r in rows if r.key.startswith(spec.SINGLE_OTHER + ".")]
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


def _note_lost(gap: Sequence[Row], table: RequestTable) -> None:
    table.doubts.append(doubt("row_missing", [f"{r.key}.*" for r in gap],
                              f"{len(gap)} rows not found in the text: {', '.join(r.key for r in gap[:4])}"))


def _fill_gap(gap: Sequence[Row], values: list[Token], table: RequestTable) -> dict[str, list[list[Cell]]]:
    """Map numbers that lost their row labels onto the rows of the gap, by position only."""
    nums = [t for t in values if t.kind == NUM]
    lines = _group_by_line([t for t in values if t.kind in (NUM, BLANK)])
    readings: Optional[list[list[Cell]]] = None
    full = [line for line in lines if len(line) == WIDTH]
    if len(lines) != len(gap) and len(full) == len(gap) and all(len(line) == 1 for line in lines if len(line) != WIDTH):
        # A stray number on a line of its own (a cell some conversion moved) is no row; a line of
        # several numbers may be a row printed across lines, or with a cell too many.
        lines = full
    if len(lines) == len(gap):
        fitted = [_fit_line(line, row) for line, row in zip(lines, gap)]
        if all(r is not None for r in fitted):
            readings = cast("list[list[Cell]]", fitted)
    if readings is None and len(nums) == len(gap) * WIDTH and len({len(line) for line in lines}) == 1 and (
            len(lines) == 1 or len(lines) == len(nums)):
        # All on one line, or one a line: the count alone cuts them into rows. Rows printed on
        # lines of their own that do not hold a row each are not cut across the lines.
        readings = [[cell_of(t) for t in nums[k * WIDTH:(k + 1) * WIDTH]] for k in range(len(gap))]
    one_each = readings is not None   # as many printed rows as the gap has rows, each fitting one
    if readings is None and len(nums) >= len(gap) * WIDTH and all(t.value == 0 for t in nums):
        # Every printed number is 0, so every cell is 0 whatever the alignment.
        readings = [[cell_of(t) for t in nums[k * WIDTH:(k + 1) * WIDTH]] for k in range(len(gap))]
    if readings is None:
        table.doubts.append(doubt("rows_unlabelled", [f"{r.key}.*" for r in gap],
                                  f"{len(nums)} numbers in {len(lines)} lines lost their row labels; "
                                  f"cannot place them on {len(gap)} rows"))
        return {}
    # A column whose every printed row holds the same value, each read as printed, gives each row
    # of the gap that value whichever printed row is whose (a table of zeros). Not a gap of one
    # row: there the only evidence is the order.
    # Not where a row of numbers is printed twice: that may be one row standing in for a lost one.
    alike = one_each and len(gap) > 1 and _distinct(readings)
    same = [alike and len({cells[i].value for cells in readings}) == 1
            and all(cells[i].method in (READ, BLANK_CELL) for cells in readings) for i in range(WIDTH)]
    return {row.key: [[Cell(c.value, UNLABELLED, c.start, c.end, c.line, _SAME_IN_EVERY_ROW) if same[i] else
                       Cell(c.value, POSITIONAL, c.start, c.end, c.line, "row label lost; placed by position")
                       for i, c in enumerate(cells)]] for row, cells in zip(gap, readings)}


def _distinct(readings: list[list[Cell]]) -> bool:
    """No printed row of numbers (not all zeros) is printed twice."""
    printed = [row for row in (tuple(c.value for c in cells) for cells in readings) if any(row)]
    return len(set(printed)) == len(printed)


_SAME_IN_EVERY_ROW: Final = "row label lost; every unlabelled row of its place prints this value here"


def _fit_line(line: list[Token], row: Row) -> Optional[list[Cell]]:
    """One unlabelled printed row; extra numbers on its left are what is left of its label."""
    nums = [t for t in line if t.kind == NUM]
    if len(nums) > WIDTH:
        line = nums[-WIDTH:]
    return fit_row(line, row).unique


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
