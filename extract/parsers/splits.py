"""Readings of digits printed without separators: `21710000218` → 217, 1, 0, 0, 0, 0, 218.

A row's printed pieces (digit runs, signed or decimal numbers, blanks) are cut into the row's
cells in every way that keeps printed order and never invents a leading zero. Where the
row's own relation (its last cell is the sum of the others) is known, it prunes as the cells
are laid: the last cell of a group must print exactly the group's sum, so it is looked up,
not enumerated. The caller decides what several surviving readings mean.
"""
from __future__ import annotations

from typing import Final, Optional, Sequence

from extract.document.pieces import Piece
from extract.document.tokens import BLANK as BLANK_TOKEN
from extract.document.tokens import EMPTY_LINE, Token, parse_number
from extract.reading import BLANK, BLANK_LINE, EDGE_BLANK, READ, SPLIT, Cell, Number
from extract.template import Row

READINGS_LIMIT: Final = 64
_new = tuple.__new__  # Cell(...) runs a Python-level __new__


def split_pieces(pieces: Sequence[Piece], row: Row, sums: bool = True,
                 limit: int = READINGS_LIMIT) -> Optional[list[list[Cell]]]:
    """Every reading of `pieces` as the row's cells, or None if there are more than `limit`.

    With `sums`, the row's own relations hold: each of its groups ends in the sum of its other
    cells, which is looked up, not enumerated. The row's signed cells (本年增/减) may carry a
    sign: where there are any, a printed sign opens one of them.
    """
    n = len(row.keys)
    sums = sums and bool(row.sums)
    signed = row.signed
    if len(pieces) == 1 and limit >= 1:
        only = pieces[0]
        if only.splittable and len(only.digits) == n and not (only.sign or only.frac or only.unit):
            return _one_digit_each(only, row, sums)
    ends = {row_sum.total for row_sum in row.sums}
    capacity = [0] * (len(pieces) + 1)
    for i in range(len(pieces) - 1, -1, -1):
        capacity[i] = capacity[i + 1] + pieces[i].width
    splittable = [p.splittable for p in pieces]  # a property: asked once per piece, not per step
    out: list[list[tuple[int, int, int, Optional[Number]]]] = []
    laid: list[tuple[int, int, int, Optional[Number]]] = []  # (piece, digit offset, length or 0 for whole, value)

    def lay(i: int, off: int, group_sum: Number) -> bool:
        """Lay cells from piece i, digit offset off; False once the limit is passed."""
        k = len(laid)
        if k == n:
            if i == len(pieces):
                out.append(list(laid))
                return len(out) <= limit
            return True
        if i == len(pieces):
            return True
        piece = pieces[i]
        remaining = n - k
        if remaining < len(pieces) - i or remaining > capacity[i] - off:
            return True
        closes = sums and k in ends
        if off == 0 and piece.sign and signed and k not in signed:
            return True
        if not splittable[i]:
            value = piece.token.value
            if closes and (value is None or abs(value - group_sum) > 1e-9):
                return True
            laid.append((i, 0, 0, value))
            ok = lay(i + 1, 0, 0 if k in ends else group_sum + (value or 0))
            laid.pop()
            return ok
        digits = piece.digits
        rest = len(digits) - off
        # The cells after this one need a digit each at least: longer cuts could never finish.
        lengths: Sequence[int] = (rest,) if remaining == 1 else range(1, min(rest, capacity[i] - off - remaining + 1) + 1)
        if closes:
            wanted = _digits_of(group_sum)
            if wanted is None or not digits.startswith(wanted, off):
                return True
            lengths = (len(wanted),)
        plain_start = off > 0 or not piece.sign
        for length in lengths:
            if length > 1 and digits[off] == "0":
                break
            last = length == rest
            if not last and remaining == 1:
                continue
            if plain_start and not (last and (piece.frac or piece.unit)):
                value = int(digits[off:off + length])
            else:
                value = _value(piece, off, length)
            if closes and abs(value - group_sum) > 1e-9:
                continue
            laid.append((i, off, length, value))
            nxt = 0 if k in ends else group_sum + value
            ok = lay(i + 1, 0, nxt) if last else lay(i, off + length, nxt)
            laid.pop()
            if not ok:
                return False
        return True

    if not lay(0, 0, 0):
        return None
    # Readings share most of their cells: each distinct cut is made into a Cell once.
    made: dict[tuple[int, int, int], Cell] = {}
    for reading in out:
        for i, off, length, value in reading:
            if (i, off, length) not in made:
                made[i, off, length] = _part(pieces[i], off, length, value) if length else _whole(pieces[i])
    return [[made[i, off, length] for i, off, length, _ in reading] for reading in out]


def _one_digit_each(piece: Piece, row: Row, sums: bool) -> list[list[Cell]]:
    """A run of exactly as many digits as the row has cells (the commonest run: '0000000'): its
    only reading is a digit a cell, if the sums allow it. What `lay` finds, without the search."""
    values = list(map(int, piece.digits))
    if sums and not row.sums_hold(values):
        return []
    return [[_part(piece, off, 1, value) for off, value in enumerate(values)]]


def _digits_of(value: Number) -> Optional[str]:
    if value < 0 or abs(value - round(value)) > 1e-9:
        return None
    return str(int(round(value)))


def cell_of(token: Token) -> Cell:
    """A printed token taken whole as one cell."""
    if token.kind != BLANK_TOKEN:  # the cell of almost every printed number: the tuple built in C
        return _new(Cell, (token.value, READ, token.start, token.end, token.line, ""))
    if token.text == EMPTY_LINE:
        if token.whole:  # a row printed one cell a line, as many lines as cells: its place is certain
            return Cell(0, EDGE_BLANK, token.start, token.end, token.line, "empty line of a row printed one cell a line")
        return Cell(0, BLANK_LINE, token.start, token.end, token.line, "empty line read as a blank cell")
    return Cell(token.value, BLANK, token.start, token.end, token.line)


def cells_of_numbers(tokens: Sequence[Token]) -> list[Cell]:
    """[cell_of(t) for t in tokens] for printed numbers (no blank among them), without a call per cell."""
    return [_new(Cell, (t.value, READ, t.start, t.end, t.line, "")) for t in tokens]


def _whole(piece: Piece) -> Cell:
    return cell_of(piece.token)


def _value(piece: Piece, off: int, length: int) -> Number:
    first, last = off == 0, off + length == len(piece.digits)
    return parse_number("-" if first and piece.sign == "-" else "",
                        piece.digits[off:off + length] + (piece.frac if last else ""), piece.unit if last else "")


def _part(piece: Piece, off: int, length: int, value: Optional[Number]) -> Cell:
    """Digits [off, off+length) of the piece as one cell of `value` (as `_value` reads them): the
    sign goes to the first, the fraction and unit to the last; a piece taken whole is read, not split."""
    tok = piece.token
    first, last = off == 0, off + length == len(piece.digits)
    if first and last and not piece.offsets:
        return _new(Cell, (tok.value, READ, tok.start, tok.end, tok.line, ""))
    if piece.offsets:  # joined across a stray space: the digits' offsets are listed
        digits_start, digits_end = piece.offsets[off], piece.offsets[off + length - 1] + 1
    else:
        digits_start = tok.start + piece.at + off
        digits_end = digits_start + length
    start = tok.start if first else digits_start
    end = digits_end + (len(piece.frac) + len(piece.unit) if last else 0)
    return _new(Cell, (value, SPLIT, start, end, tok.line, "split from a run of digits"))
