"""Which empty cells of a printed table are cells (0 by the template's convention), for certain.

An empty cell of a grid's row ('| 3 |  | 5 |') is one, wherever it stands, unless the text shows
that a conversion moved cells out of the grid: a number of the table printed outside its grid
rows, or the amount a row's failing sum misses printed away from the row. Then its empty cells
are MOVED: places without a value. An empty line is one (0; a sum failing through it is our
doubt, not the source's) in a table printed one cell a line with nothing between its rows.
Elsewhere an empty stretch may be layout or a lost cell: a doubt. Certain blanks are `whole`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from operator import attrgetter
from typing import TYPE_CHECKING, Final, Optional, Sequence

from extract.document.tokens import BLANK, EMPTY_LINE, MOVED, NUM, TEXT, Token

if TYPE_CHECKING:
    from extract.document.rows import PrintedRow

_START, _TEXT = attrgetter("start"), attrgetter("text")
_EMPTY_GRID_CELL: Final = re.compile(r"\|[^\S\n]*\|")
_EMPTY_LINE: Final = re.compile(r"\n[^\S\n]*\n")


def blank_cells_settled(norm: str, tokens: Sequence[Token], rows: list[PrintedRow], start: int,
                        end: int) -> list[PrintedRow]:
    """The table's rows (printed between `start` and `end`) with their certain blanks marked."""
    # Most tables have neither kind of blank: the text tells at C speed, before any token is looked at.
    if _EMPTY_GRID_CELL.search(norm, start, end):
        if any(_cells_on_its_line(r) > len(r.row.keys) for r in rows):
            return [_unpadded(norm, r) for r in rows]  # a grid wider than the template: no blank's column is known
        if not any(_cells_on_its_line(r) == len(r.row.keys) and r.values[-1].kind == NUM for r in rows):
            # No row shows the grid's width with a number in its last column (四's single row, a
            # table whose every row ends empty): an empty last cell may be a padding column.
            rows = [r._replace(values=[*r.values[:-1], r.values[-1]._replace(whole=False)])
                    if r.values and _grid_blank(r.values[-1]) else r for r in rows]
        rows = faithful_grid(norm, tokens[bisect_left(tokens, start, key=_START):bisect_left(tokens, end, key=_START)], rows)
        rows = [_sum_not_printed_elsewhere(norm, r) for r in rows]
    return settle_blank_lines(norm, tokens, rows) if _EMPTY_LINE.search(norm, start, end) else rows


def _cells_on_its_line(row: PrintedRow) -> int:
    """How many numbers and blanks the row prints on its first line of them (a grid's row)."""
    return sum(t.line == row.values[0].line for t in row.values) if row.values else 0


def _unpadded(norm: str, row: PrintedRow) -> PrintedRow:
    """A row of a grid with more columns than the template (an empty padding column, a label
    over two cells): its empty cells at the end are the padding, the others no certain cells
    (a merged or missing cell shifts a row by one, and its count no longer shows it). One case
    is told apart: a row printing all its numbers but the 总计, whose sum is printed away from
    the row (a conversion moved the 总计 out): its numbers stand in place, the 总计 is MOVED."""
    values = list(row.values)
    if len(values) >= len(row.row.keys) and all(map(_grid_blank, values)):
        return row._replace(values=values[:len(row.row.keys)])  # blank in every column: 0 in each, whichever is whose
    while values and _grid_blank(values[-1]):
        values.pop()
    if len(values) == len(row.values) and not any(_grid_blank(t) for t in values):
        return row
    last = len(row.row.keys) - 1
    sums = [s for s in row.row.sums if s.total == last]
    if (len(values) == last < len(row.values) and sums and all(t.kind == NUM for t in values)
            and _printed_away(norm, sums[0].fill([t.value or 0 for t in values] + [0], last), row)):
        return row._replace(values=[*values, row.values[last]._replace(text=MOVED)])
    return row._replace(values=[t._replace(whole=False) if _grid_blank(t) else t for t in values])


def _sum_not_printed_elsewhere(norm: str, row: PrintedRow) -> PrintedRow:
    """A row taken cell by cell whose sum fails through its certain blanks: the source breaks it,
    unless the amount missing is printed elsewhere in the text, away from the row's line (where
    a conversion may have moved the cell's number): then its blanks are places without a value."""
    values = row.values
    if len(values) != len(row.row.keys) or not row.row.sums or not any(_grid_blank(t) for t in values):
        return row
    cells = [t.value or 0 for t in values]
    missing = {abs(s.fill(cells, s.total) - cells[s.total]) for s in row.row.sums if not s.holds(cells)}
    if not any(_printed_away(norm, amount, row) for amount in missing):
        return row
    return row._replace(values=[t._replace(text=MOVED) if _grid_blank(t) else t for t in values])


def _printed_away(norm: str, amount: float, row: PrintedRow) -> bool:
    """Whether `amount` is printed as a number (not a count the prose states) away from the row."""
    lo = norm.rfind("\n", 0, row.values[0].start) + 1
    return any(_moved_there(norm, m.start(), lo, row.values[-1].end)
               for m in re.finditer(rf"(?<![\d.]){_printed(amount)}(?![\d.]|\s*{_COUNTED})", norm))


def _grid_blank(t: Token) -> bool:
    return t.kind == BLANK and t.whole and t.text == ""


def _moved_there(norm: str, at: int, row_start: int, row_end: int) -> bool:
    """Whether a number printed at `at` may be a cell moved out of the row [row_start, row_end):
    it stands away from the row, on a line of text or alone in a grid's row (not a cell among the
    numbers of another grid row)."""
    if row_start <= at < row_end:
        return False
    start, end = norm.rfind("\n", 0, at) + 1, norm.find("\n", at)
    line = norm[start:end if end >= 0 else len(norm)].rstrip()
    return not line.endswith("|") or len(_NUMBER.findall(line)) < 2


_NUMBER: Final = re.compile(r"\d+")
# A count the prose states ('共收到申请272件', '2024年'): not a cell moved out of the table.
_COUNTED: Final = r"[件条个项次人家年月日号%％]"


def _printed(amount: float) -> str:
    return str(int(amount)) if amount == int(amount) else re.escape(f"{amount:g}")


def faithful_grid(norm: str, table: Sequence[Token], rows: list[PrintedRow]) -> list[PrintedRow]:
    """The rows, their grid's empty cells MOVED (a place, no value) where a number of the table
    (its `table` tokens) stands outside the grid's rows (a PDF conversion that put a row's 总计
    on a line of its own)."""
    line = -1
    for t in table:  # a line's first number tells whether the line is a grid's row
        if t.kind == NUM and t.line != line:
            line = t.line
            if not _in_grid_row(norm, t):
                return [r._replace(values=[t._replace(text=MOVED) if _grid_blank(t) else t for t in r.values])
                        for r in rows]
    return rows


def outside_the_grid(norm: str, tokens: Sequence[Token]) -> dict[float, Token]:
    """The numbers among `tokens` printed on lines that are not a grid's rows, by value (the
    first of each): where a grid's MOVED cells may have gone."""
    out: dict[float, Token] = {}
    for t in tokens:
        if t.kind == NUM and t.value is not None and not _in_grid_row(norm, t):
            out.setdefault(round(float(t.value), 6), t)
    return out


def _in_grid_row(norm: str, token: Token) -> bool:
    """Whether the line of `token` (a number) is a grid's row: it ends with a pipe."""
    line_end = norm.find("\n", token.end)
    return norm[token.end:line_end if line_end >= 0 else len(norm)].rstrip().endswith("|")


def settle_blank_lines(norm: str, tokens: Sequence[Token], rows: list[PrintedRow]) -> list[PrintedRow]:
    """A table printed one cell a line with nothing between its rows: a row whose label is followed
    by exactly as many lines as it has cells (then the next label, or a heading) prints one cell a
    line, and its empty lines are its blank cells (0; but a sum failing through one is not blamed
    on the source: a line the scrape lost looks the same). The table's rows printed in full must
    show that layout, and no row but the last may print more lines than cells (blank lines between
    rows: an empty line may then be layout or a lost cell)."""
    if not any(EMPTY_LINE in map(_TEXT, r.values) for r in rows):
        return rows  # empty lines between the tables, none among a row's cells
    # Told from the rows' printed cells alone first (most tables with empty lines fail here):
    # a row before the last with more of them than cells, or no row printed in full.
    if any(len(r.values) > len(r.row.keys) for r in rows[:-1]):
        return rows
    full = any(len(r.values) == len(r.row.keys) and EMPTY_LINE not in map(_TEXT, r.values) for r in rows)
    if not full and (len(rows) < _ROWS_THAT_SHOW or any(0 < len(r.values) < len(r.row.keys) for r in rows[:-1])):
        return rows  # sparse and one cell a line, each row prints all its cells or none: else not that layout
    blocks = [_one_a_line(norm, tokens, r) for r in rows]
    shown = any(len(b) == len(r.row.keys) and all(t.kind == NUM for t in b) for r, b in zip(rows, blocks) if b) or (
        # A sparse table, no row printed in full: every row but the last that prints lines after
        # its label (not a group's heading) prints exactly as many as it has cells — blank lines
        # between rows would make each one more — and one that prints numbers keeps its sums with
        # its empty lines as zeros.
        sum(b is not None for b in blocks[:-1]) >= _ROWS_THAT_SHOW
        and all(b is None or len(b) == len(r.row.keys) for r, b in zip(rows[:-1], blocks))
        and any(b and r.row.sums and any(t.kind == NUM for t in b) and r.row.sums_hold([t.value or 0 for t in b])
                for r, b in zip(rows[:-1], blocks)))
    # The last row's span runs to the next heading: empty lines there may be the page's layout.
    if not shown or any(b and len(b) > len(r.row.keys) for r, b in zip(rows[:-1], blocks)):
        return rows
    return [_as_blank_cells(r, b) for r, b in zip(rows, blocks)]


_ROWS_THAT_SHOW: Final = 3  # rows of one count of lines each, to show a table printed one cell a line


def _one_a_line(norm: str, tokens: Sequence[Token], row: PrintedRow) -> Optional[list[Token]]:
    """The row's cells where it prints one a line, a number or nothing, from the line after its
    label on, with only words after them in its span (a group's heading before the next label)."""
    if row.anchor is None:
        return None
    first, stop = bisect_left(tokens, row.anchor.end, key=_START), bisect_left(tokens, row.end, key=_START)
    before = tokens[first - 1] if first else None  # counted from there, not from the text's start
    line = (before.line + norm.count("\n", before.start, row.anchor.end) if before else
            norm.count("\n", 0, row.anchor.end) + 1) + 1
    block = []
    for i in range(first, stop):
        t = tokens[i]
        if t.line != line or t.kind == TEXT or (i + 1 < stop and tokens[i + 1].line == line):
            break
        block.append(t)
        line += 1
    rest = tokens[first + len(block):stop]
    return block if block and all(t.kind == TEXT for t in rest) else None


def _as_blank_cells(row: PrintedRow, block: Optional[list[Token]]) -> PrintedRow:
    """The row's empty lines as blank cells where its lines are its cells. The last row of a table
    may be followed by empty lines before the next heading: its first lines are its cells where
    only empty lines follow them and its sums hold (a cell lost from it would shift them)."""
    n = len(row.row.keys)
    if block is None or len(block) < n:
        return row
    cells = block[:n]
    if len(block) > n and not (all(t.text == EMPTY_LINE for t in block[n:]) and row.row.sums
                               and row.row.sums_hold([t.value or 0 for t in cells])):  # NUM or blank: never None
        return row
    return row._replace(values=[t._replace(whole=True) if t.text == EMPTY_LINE else t for t in cells])
