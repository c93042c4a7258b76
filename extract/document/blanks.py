"""Which empty cells of a printed table are cells (0 by the template's convention), for certain.

An empty cell of a grid's row ('| 3 |  | 5 |') is one, wherever it stands, unless the table shows
that its conversion moved cells: a number printed outside the grid's rows may be a cell taken out
of its row, leaving an empty place. An empty line is one in a table printed one cell a line with
nothing between its rows. Elsewhere an empty stretch may be layout or a lost cell: a doubt.
Certain blanks are marked `whole`; the readers take them as printed cells.
"""
from __future__ import annotations

from bisect import bisect_left
from operator import attrgetter
from typing import TYPE_CHECKING, Optional, Sequence

from extract.document.tokens import BLANK, EMPTY_LINE, NUM, TEXT, Token

if TYPE_CHECKING:
    from extract.document.rows import PrintedRow

_START, _KIND = attrgetter("start"), attrgetter("kind")


def blank_cells_settled(norm: str, tokens: Sequence[Token], rows: list[PrintedRow], start: int,
                        end: int) -> list[PrintedRow]:
    """The table's rows (printed between `start` and `end`) with their certain blanks marked."""
    if all(len(r.values) == len(r.row.keys) and BLANK not in map(_KIND, r.values) for r in rows):
        return rows  # every row printed in full: no blank cell to settle
    return settle_blank_lines(norm, tokens, faithful_grid(norm, tokens, rows, start, end))


def faithful_grid(norm: str, tokens: Sequence[Token], rows: list[PrintedRow], start: int,
                  end: int) -> list[PrintedRow]:
    """The rows, their grid blanks no longer certain where a number of the table stands outside
    the grid's rows (a PDF conversion that put a row's 总计 on a line of its own)."""
    if not any(t.whole and t.kind == BLANK for r in rows for t in r.values):
        return rows
    first, stop = bisect_left(tokens, start, key=_START), bisect_left(tokens, end, key=_START)
    if all(_in_grid_row(norm, t) for t in tokens[first:stop] if t.kind == NUM):
        return rows
    return [r._replace(values=[t._replace(whole=False) if t.kind == BLANK else t for t in r.values]) for r in rows]


def _in_grid_row(norm: str, token: Token) -> bool:
    line_end = norm.find("\n", token.end)
    return norm[token.end:line_end if line_end >= 0 else len(norm)].rstrip().endswith("|")


def settle_blank_lines(norm: str, tokens: Sequence[Token], rows: list[PrintedRow]) -> list[PrintedRow]:
    """A table printed one cell a line with nothing between its rows: a row whose label is followed
    by exactly as many lines as it has cells (then the next label, or a heading) prints one cell a
    line, and its empty lines are its blank cells, as certain as the empty cells of a grid. The
    table's rows printed in full must show that layout, and no row but the last may print more
    lines than cells (blank lines between rows: an empty line may then be layout or a lost cell)."""
    if not any(t.text == EMPTY_LINE for r in rows for t in r.values):
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
                               and row.row.sums_hold([t.value for t in cells])):
        return row
    return row._replace(values=[t._replace(text="", whole=True) if t.text == EMPTY_LINE else t for t in cells])
