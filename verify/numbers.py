"""Read back what a slice of source text prints, to check a cell against its span.

The text is already normalised by the caller (full-width digits are ASCII). Agencies print
`增16` (16), `减3` / `-3` (-3), `12.3万元` (12.3), `5000元` (0.5 万元), `1,234`; a printed but
empty cell is one of the blank marks, worth 0 by convention.
"""
from __future__ import annotations

import math
from typing import Union

from extract.document.tokens import BLANK_MARKS, number_matches, parse_number

Number = Union[int, float]

def numbers_in(snippet: str) -> list[Number]:
    """Every number printed in `snippet`, signed and converted to 万元 where a unit says so."""
    return [parse_number(m.group("sign") or "", m.group("num"), m.group("unit") or "")
            for m in number_matches(snippet)]


def is_blank(snippet: str) -> bool:
    stripped = snippet.replace("\u00a0", " ").strip()
    return not stripped or stripped in BLANK_MARKS


def same(a: Number, b: Number) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def is_number(value: object) -> bool:
    """A finite int or float (not a bool): what a cell's value may be."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
