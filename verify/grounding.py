"""Where a reading's values are printed: each row checked at its own label, in order.

Every reader's proposal (the parsers', the LLM's) is judged the same way, against the rows the
document model found (each row's label anchored in the character stream, and the cells printed
after it): the values proposed for the row must be printed there in order: as separate cells, or, where digits ran together,
as an exact concatenation (`[217, 1, 0, 0, 0, 0, 218]` ↔ `21710000218`). A blank counts only
where a blank is printed. Numbers found elsewhere prove that they exist, not which row they
belong to: permuting rows keeps every sum, so position is what grounding checks.

    grounding = ground_reading(values, document)
    grounding[key].state  → 'in_order' | 'somewhere' | 'not_found'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence, Union, cast

from extract.document import Document, PrintedRow
from extract.document.blanks import outside_the_grid
from extract.document.pieces import digit_offsets, join_stray_spaces, piece_of
from extract.document.tokens import MOVED, Token

from verify.numbers import same

IN_ORDER, SOMEWHERE, NOT_FOUND = "in_order", "somewhere", "not_found"
Number = Union[int, float]


@dataclass(frozen=True)
class Grounded:
    state: str
    start: Optional[int] = None   # where the value is printed (in order) in the text
    end: Optional[int] = None
    line: Optional[int] = None


def ground_reading(values: Mapping[str, Optional[Number]], document: Document) -> dict[str, Grounded]:
    """The grounding of every non-null value of a reading, row by row."""
    rows = document.printed_rows()
    printed_anywhere = {round(float(t.value), 6) for row in rows for t in row.values if t.value is not None}
    strays: Optional[dict[float, Token]] = None
    out: dict[str, Grounded] = {}
    for row in rows:
        keys, tokens = row.row.keys, row.values
        wanted = [values.get(k) for k in keys]
        spans = match_in_order(tokens, cast("list[Number]", wanted)) if None not in wanted else None
        if spans is None and None not in wanted and any(t.text == MOVED for t in tokens):
            if strays is None:  # once per document, and only for one whose grid lost cells
                strays = outside_the_grid(document.text, document.tokens)
            spans = _moved_in_order(row, tokens, cast("list[Number]", wanted), strays)
        for i, key in enumerate(keys):
            value = wanted[i]
            if value is None:
                continue
            if spans is not None:
                start, end, line = spans[i]
                out[key] = Grounded(IN_ORDER, start, end, line)
            elif round(float(value), 6) in printed_anywhere:
                out[key] = Grounded(SOMEWHERE)
            else:
                out[key] = Grounded(NOT_FOUND)
    for key, value in values.items():
        if value is not None and key not in out:
            out[key] = Grounded(SOMEWHERE if round(float(value), 6) in printed_anywhere else NOT_FOUND)
    return out


def _moved_in_order(row: PrintedRow, tokens: Sequence[Token], values: Sequence[Number],
                    strays: dict[float, Token]) -> Optional[list[tuple[int, int, Optional[int]]]]:
    """A grid row with one empty cell MOVED (numbers of its table stand outside the grid): the
    values match in order where the moved cell's value is one of those numbers and the row's own
    sums hold with it. The moved cell's span is where its number is printed."""
    if (len(tokens) != len(values) or sum(t.text == MOVED for t in tokens) != 1 or not row.row.sums
            or not row.row.sums_hold(values)):
        return None  # one moved place, pinned by the row's own sum
    spans: list[tuple[int, int, Optional[int]]] = []
    for t, value in zip(tokens, values):
        if t.text == MOVED:
            stray = strays.get(round(float(value), 6))
            if stray is None:
                return None
            spans.append((stray.start, stray.end, stray.line))
        elif t.value is not None and same(t.value, value):  # a number, or a blank cell's 0
            spans.append((t.start, t.end, t.line))
        else:
            return None
    return spans


def match_in_order(tokens: Sequence, values: Sequence[Number]) -> Optional[list[tuple[int, int, Optional[int]]]]:
    """Spans of `values` printed in order by `tokens` (numbers and blanks of one row), or None.

    Each printed piece holds one value, or — a digit run — the exact concatenation of several
    consecutive values. Blanks at the row's edges may be layout; inside, a blank is a 0.
    """
    pieces = join_stray_spaces([piece_of(t) for t in tokens])
    n = len(values)

    def walk(i: int, j: int) -> Optional[list]:
        if j == n:
            return [] if all(not p.digits and p.token.value == 0 and p.token.kind == "blank"
                             for p in pieces[i:]) else None
        if i == len(pieces):
            return None
        piece = pieces[i]
        tok = piece.token
        if tok.text == MOVED:
            return None  # a place whose value a conversion may have moved: never a printed 0 (_moved_in_order)
        if tok.kind == "blank":
            if values[j] == 0:
                rest = walk(i + 1, j + 1)
                if rest is not None:
                    return [(tok.start, tok.end, tok.line)] + rest
            return walk(i + 1, j) if j == 0 else None  # a leading blank: layout
        if tok.value is not None and same(tok.value, values[j]):
            rest = walk(i + 1, j + 1)
            if rest is not None:
                return [(tok.start, tok.end, tok.line)] + rest
        if not piece.digits or len(piece.digits) < 2:
            return None
        return _run(piece, i, j)

    def _run(piece, i: int, j: int) -> Optional[list]:
        """Values j.. as one digit run: their digits concatenated must be the piece's digits."""
        digits, at = "", []
        for k in range(j, n):
            value = values[k]
            if k == j and piece.sign == "-":
                if value >= 0:
                    return None
                value = -value
            if value < 0 or abs(value - round(value)) > 1e-9:
                return None
            text = str(int(round(value)))
            at.append((len(digits), len(digits) + len(text)))
            digits += text
            if not piece.digits.startswith(digits):
                return None
            if digits == piece.digits and k > j:
                rest = walk(i + 1, k + 1)
                if rest is not None:
                    offsets = digit_offsets(piece)
                    return [(offsets[a], offsets[b - 1] + 1, piece.token.line) for a, b in at] + rest
        return None

    return walk(0, 0)


