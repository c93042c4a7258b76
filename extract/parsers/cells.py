"""Fit the printed cells that follow a row label to the template's columns.

Scraped rows carry structural blanks, lose a cell, or run their digits together. A row is
fitted by listing the readings that are possible (which blanks are cells, where a lost cell
was, how a digit run splits) and keeping those the row's own relation allows. One reading
left: take it. Several: the table-level relations may still decide (see `solve`). None of
this ever changes a printed number; it only decides which printed number sits in which cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Final, Optional, Sequence, cast

from extract.document.pieces import Piece, join_stray_spaces, piece_of
from extract.document.tokens import BLANK as BLANK_TOKEN
from extract.document.tokens import BLANK_MARKS
from extract.document.tokens import EMPTY_LINE, MOVED, NUM, Token
from extract.parsers.splits import cell_of, cells_of_numbers, split_pieces
from extract.reading import BLANK, EDGE_BLANK, INFERRED, NOT_READ, Cell, Doubt, Number
from extract.template import Row

_WHOLE = attrgetter("whole")


@dataclass
class RowFit:
    candidates: list[list[Cell]] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)

    @property
    def unique(self) -> Optional[list[Cell]]:
        return self.candidates[0] if len(self.candidates) == 1 else None


def fit_row(tokens: Sequence[Token], row: Row) -> RowFit:
    """All readings of `tokens` (NUM/BLANK after a row label) as the cells of `row`.

    The row's own relations (its sums: a request row's 总计, each group of 四) prune readings;
    only its signed cells (本年增/减) may take a printed sign.
    """
    n = len(row.keys)
    values = [t for t in tokens if t.kind == NUM or t.kind == BLANK_TOKEN]
    nums = [t for t in values if t.kind == NUM]
    pieces: list[Piece]
    joined: list[Piece]
    if all(map(_WHOLE, nums)):
        # The common rows: exactly the printed cells, each read as it is; or so printed one a line,
        # with the empty lines before the next label (the windows below would find that one reading).
        if len(nums) == n and not _leading_zero(nums) and (len(values) == n or _only_empty_lines_around(values, nums)):
            return RowFit([cells_of_numbers(nums)])
        if len(values) == n and all(_in_its_column(t) or t.text == MOVED for t in values) and not _leading_zero(nums):
            # Exactly the row's cells, each a number or a blank that is certainly a cell: every
            # one stands in its column, and a sum that fails is the source's. A MOVED blank (its
            # value may have been moved out of the grid) is a place without a value.
            return RowFit([[_MOVED_CELL._replace(start=t.start, end=t.end, line=t.line) if t.text == MOVED else cell_of(t)
                            for t in values]])
        pieces, joined = [], []  # every number alone in its cell: nothing to cut or join
    else:
        pieces = [piece_of(t) for t in values]
        joined = join_stray_spaces(pieces)
    fit = RowFit()
    if len(nums) == n == len(values) and len(joined) == len(pieces) and not _leading_zero(nums):
        fit.candidates = [cells_of_numbers(nums)]  # exactly the printed cells
        return fit
    if not nums:
        if values and len(values) >= n:
            fit.candidates = [[cell_of(t) for t in values[:n]]]
        return fit
    if _leading_zero(nums):
        for window in (values, _strip_blanks(list(values))):
            fit = _split(join_stray_spaces([piece_of(t) for t in window]), row, RowFit())
            if fit.candidates:
                return fit
        return fit
    if (len(values) < n or len(joined) < len(pieces)) and any(p.splittable for p in joined):
        return _split(joined, row, fit)
    readings = _windows(values, n)
    if readings and _displaced(values, readings):
        fit.doubts.append("cells_displaced")
    if not readings and len(nums) > n:
        # More numbers than cells: any run of n of them may be the row; the row sum decides.
        printed = cells_of_numbers(nums)
        readings = [printed[i:i + n] for i in range(len(nums) - n + 1)]
        fit.doubts.append("extra_cells")
    if not readings and row.sums:
        readings = _with_one_lost_cell(values, row)
        if readings:
            fit.doubts.append("cell_lost")
    if not readings:
        fit.doubts.append("cells_missing")
        return fit
    if row.sums:
        passing = [r for r in readings if row.sums_hold(_printed_values(r))]
        # None passes: the row as printed breaks its sum; that is the source's if there was only
        # one way to read the row. With several ways, picking one would be a guess.
        plain = len(readings) == 1 and "extra_cells" not in fit.doubts and not _edge_blank(readings[0])
        readings = passing or (readings if plain else [])
    fit.candidates = [_mark_edge_blanks(r) for r in readings]
    return _dedupe(fit)


def _only_empty_lines_around(values: list[Token], nums: list[Token]) -> bool:
    """The numbers printed one after another, with nothing but empty lines before and after them."""
    return len(_strip_blanks(values)) == len(nums) and all(t.text == EMPTY_LINE for t in values if t.kind != NUM)


def _in_its_column(t: Token) -> bool:
    """A number, a printed blank mark ('-', '/'), a grid's empty cell or a blank settled as one
    cell a line: never an empty stretch that may be a row's end or a stray separator."""
    return t.kind == NUM or (t.whole and t.text != MOVED) or t.text not in ("", EMPTY_LINE, MOVED)


_MOVED_CELL: Final = Cell(None, NOT_READ, note="an empty grid cell, while numbers of its table stand outside the grid: "
                                             "its value may have been moved")


def _leading_zero(nums: Sequence[Token]) -> bool:
    """'00' or '000121' can never be one number: cells ran together, whatever the count says."""
    return any(len(t.digits) > 1 and t.digits[0] == "0" for t in nums)


def _edge_blank(reading: list[Cell]) -> bool:
    return reading[0].method == BLANK or reading[-1].method == BLANK


def _displaced(values: Sequence[Token], readings: list[list[Cell]]) -> bool:
    """A label line printed with empty cells and the numbers on another line: the blanks were
    taken as structure, which is a reading, not a fact."""
    used_lines = {c.line for r in readings for c in r}
    return any(t.kind == BLANK_TOKEN and t.text != EMPTY_LINE and t.line not in used_lines for t in values)


def _mark_edge_blanks(reading: list[Cell]) -> list[Cell]:
    """A blank taken as 0 at a row's edge may be the row's end, not a cell: it is not 'printed
    plainly', so a relation that fails through it is never blamed on the source."""
    out = list(reading)
    for i in (0, len(out) - 1):
        if out[i].method == BLANK:
            c = out[i]
            out[i] = Cell(c.value, EDGE_BLANK, c.start, c.end, c.line, "blank at the row's edge read as 0")
    return out


def _split(pieces: list[Piece], row: Row, fit: RowFit) -> RowFit:
    """Digits run together: the readings the row's sums (where it has them) allow. Where none
    does, a reading forced by the digits alone stands (the source breaks its own sum). Several
    may remain for the table to decide."""
    fit.doubts.append("digits_run_together")
    readings = split_pieces(pieces, row)
    if readings is None:
        fit.doubts.append("too_many_readings")
        return fit
    if not readings and row.sums:
        forced = split_pieces(pieces, row, sums=False, limit=1)
        if forced is not None and len(forced) == 1:
            fit.candidates = forced
        return fit
    fit.candidates = readings
    return _dedupe(fit)


def _printed_values(cells: list[Cell]) -> list[Number]:
    """The values of cells read from printed tokens, which always have one."""
    return cast("list[Number]", [c.value for c in cells])


def _windows(values: list[Token], n: int) -> list[list[Cell]]:
    """Drop leading/trailing blanks (structure, not cells) until n cells remain."""
    lead_max = _count_blanks(values, marks=_one_line(values))
    trail_max = _count_blanks(values[::-1])
    spans = [(lead, len(values) - trail) for trail in range(0, trail_max + 1) for lead in range(0, lead_max + 1)
             if len(values) - trail - lead == n]
    if not spans:
        return []
    cells = [cell_of(t) for t in values]  # once: the windows share them
    readings = [cells[a:b] for a, b in spans]
    # Prefer readings that treat fewer blanks as printed zeros.
    readings.sort(key=lambda r: sum(c.method == BLANK for c in r))
    return readings


def _one_line(values: list[Token]) -> bool:
    """Whether a row's cells stand on one line: then a mark opening them may be layout (a dash
    leader, an empty label column marked '/'); across lines it is the row's first cell (dropped,
    the row would take a number on a later line — a page number, a note's — as its last)."""
    return bool(values) and values[0].line == values[-1].line


def _count_blanks(values: list[Token], marks: bool = True) -> int:
    """The blanks `values` starts with; without `marks`, only up to the first printed mark ('-',
    '/', '无')."""
    count = 0
    for t in values:
        if t.kind != BLANK_TOKEN or (not marks and t.text in BLANK_MARKS):
            break
        count += 1
    return count


def _with_one_lost_cell(values: list[Token], row: Row) -> list[list[Cell]]:
    """A row printed with one cell fewer: put the lost cell anywhere the row's sums allow.
    Readings with the same values (a 0 lost among zeros) are one reading."""
    core = _strip_blanks(values)
    if len(core) != len(row.keys) - 1:
        return []
    printed = [cell_of(t) for t in core]  # once: every reading shares them
    numbers = _printed_values(printed)
    readings, seen = [], set()
    for row_sum in row.sums:
        for pos in sorted((*row_sum.parts, row_sum.total)):
            cells = numbers[:pos] + [0] + numbers[pos:]
            missing = row_sum.fill(cells, pos)
            if missing < 0:
                continue
            cells[pos] = missing
            if not row.sums_hold(cells):
                continue
            # Only a 0 is forced: a non-zero "lost" cell may as well be two printed cells run
            # together (6 | 1 printed as 61), which the sums cannot tell apart.
            if missing != 0:
                return []
            if tuple(cells) not in seen:
                seen.add(tuple(cells))
                readings.append(printed[:pos] + [Cell(missing, INFERRED, note="cell not printed; forced by its group total")]
                                + printed[pos:])
    return readings


def _strip_blanks(values: list[Token]) -> list[Token]:
    lead, trail = _count_blanks(values, marks=_one_line(values)), _count_blanks(values[::-1])
    return values[lead:len(values) - trail]


def _dedupe(fit: RowFit) -> RowFit:
    seen: dict[tuple, list[Cell]] = {}
    for reading in fit.candidates:
        seen.setdefault(tuple(c.value for c in reading), reading)
    fit.candidates = list(seen.values())
    return fit


def doubt(code: str, keys: Sequence[str], message: str) -> Doubt:
    return Doubt(code, tuple(keys), message)
