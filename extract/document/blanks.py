"""Which empty cells of a printed table are cells (0 by the template's convention), for certain.

An empty cell of a grid's row ('| 3 |  | 5 |') is one, wherever it stands, unless the table shows
that its conversion moved cells: a number printed outside the grid's rows may be a cell taken out
of its row, leaving an empty place. An empty line is one in a table printed one cell a line with
nothing between its rows. Elsewhere an empty stretch may be layout or a lost cell: a doubt.
Certain blanks are marked `whole`; the readers take them as printed cells.
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
        rows = faithful_grid(norm, tokens[bisect_left(tokens, start, key=_START):bisect_left(tokens, end, key=_START)], rows)
    return settle_blank_lines(norm, tokens, rows) if _EMPTY_LINE.search(norm, start, end) else rows


def faithful_grid(norm: str, table: Sequence[Token], rows: list[PrintedRow]) -> list[PrintedRow]:
    """The rows, their grid's empty cells MOVED (a place, no value) where a number of the table
    (its `table` tokens) stands outside the grid's rows (a PDF conversion that put a row's 总计
    on a line of its own)."""
    line = -1
    for t in table:  # a line's first number tells whether the line is a grid's row
        if t.kind == NUM and t.line != line:
            line = t.line
            if not _in_grid_row(norm, t):
                return [r._replace(values=[t._replace(text=MOVED) if t.whole and t.kind == BLANK else t
                                           for t in r.values]) for r in rows]
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
    line, and its empty lines are its blank cells, as certain as the empty cells of a grid. The
    table's rows printed in full must show that layout, and no row but the last may print more
    lines than cells (blank lines between rows: an empty line may then be layout or a lost cell)."""
    # Told from the rows' printed cells alone first (most tables with empty lines fail here):
    # a row before the last with more of them than cells, or no row printed in full.
    if any(len(r.values) > len(r.row.keys) for r in rows[:-1]) or not any(
            len(r.values) == len(r.row.keys) and EMPTY_LINE not in map(_TEXT, r.values) for r in rows):
        return rows
    blocks = [_one_a_line(norm, tokens, r) for r in rows]
    shown = any(len(b) == len(r.row.keys) and all(t.kind == NUM for t in b) for r, b in zip(rows, blocks) if b)
    # The last row's span runs to the next heading: empty lines there may be the page's layout.
    if not shown or any(b and len(b) > len(r.row.keys) for r, b in zip(rows[:-1], blocks)):
        return rows
    return [_as_blank_cells(r, b) for r, b in zip(rows, blocks)]


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
    return row._replace(values=[t._replace(text="", whole=True) if t.text == EMPTY_LINE else t for t in cells])
