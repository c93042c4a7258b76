"""A row's printed numbers and blanks as material for cells: a digit run may hold several cells
(`21710000218` → 217, 1, 0, 0, 0, 0, 218), and two runs a stray space apart may be one number.

The parsers cut pieces into cells; the grounding of a reading checks that its values are the
pieces as printed. Both read the same pieces.
"""
from __future__ import annotations

from typing import NamedTuple

from extract.document.tokens import BLANK, NUMBER, Token


class Piece(NamedTuple):
    """One printed number or blank, as material for cells. A NamedTuple: made for every run cut."""

    token: Token
    sign: str = ""        # '-' (a printed minus, 减), '+' (增), '' none
    digits: str = ""      # the integer digits, which may hold several cells
    frac: str = ""        # '.36': belongs to the last cell cut from this piece
    unit: str = ""        # '元', '万元', '亿元': likewise
    at: int = 0           # where the digits start inside the token's text
    offsets: tuple[int, ...] = ()  # text offset of each digit, where pieces were joined across a stray space

    @property
    def splittable(self) -> bool:
        """A number alone in a separated cell is one number, unless it cannot be (a leading 0);
        only digits glued to a label or loosely spaced in a flattened line may hold several."""
        if len(self.digits) < 2:
            return False
        return not self.token.whole or self.digits[0] == "0"

    @property
    def splittable_run(self) -> bool:
        """Digits not alone in a separated cell: material that may join a neighbour's digits."""
        return bool(self.digits) and not self.token.whole

    @property
    def width(self) -> int:
        """How many cells this piece can hold at most."""
        return len(self.digits) if self.splittable else 1


def piece_of(token: Token) -> Piece:
    if token.kind == BLANK:
        return Piece(token)
    match = NUMBER.search(token.text)
    num = match.group("num") if match else ""
    if match is None or "," in num or match.end() < len(token.text):
        return Piece(token)  # a whole cell ('3件', '1,234', '1个' run on before the next): never cut
    sign = (match.group("sign") or "").strip()
    sign = "-" if sign in ("-", "减", "减少") else ("+" if sign else "")
    whole, _, frac = num.partition(".")
    return Piece(token, sign, whole, "." + frac if frac else "", (match.group("unit") or "").strip(),
                 token.text.index(num, match.start()))


def join_stray_spaces(pieces: list[Piece]) -> list[Piece]:
    """Digit runs one space apart in a flattened row ('350 00439', '增1 60') may be one number
    cut by a stray space as well as two cells: the space is a possible cut, not a certain one."""
    out: list[Piece] = []
    for piece in pieces:
        prev = out[-1] if out else None
        if (prev is not None and prev.splittable_run and piece.splittable_run and not piece.sign and not prev.frac
                and not prev.unit and piece.token.line == prev.token.line and piece.token.start - _end(prev) == 1):
            out[-1] = Piece(prev.token, prev.sign, prev.digits + piece.digits, piece.frac, piece.unit, prev.at,
                            digit_offsets(prev) + digit_offsets(piece))
        else:
            out.append(piece)
    return out


def digit_offsets(piece: Piece) -> tuple[int, ...]:
    """The text offset of each of the piece's digits."""
    if piece.offsets:
        return piece.offsets
    base = piece.token.start + piece.at
    return tuple(range(base, base + len(piece.digits)))


def _end(piece: Piece) -> int:
    return digit_offsets(piece)[-1] + 1 + len(piece.frac) if piece.digits else piece.token.end
