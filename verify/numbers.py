"""Read back what a slice of source text prints, to check a cell against its span.

The text is already normalised by the caller (full-width digits are ASCII). Agencies print
`增16` (16), `减3` / `-3` (-3), `12.3万元` (12.3), `5000元` (0.5 万元), `1,234`; a printed but
empty cell is one of the blank marks, worth 0 by convention.
"""
from __future__ import annotations

import math
import re
from typing import Union

Number = Union[int, float]

BLANK_MARKS = frozenset({"", "-", "/", "—", "——", "–", "&nbsp;", "\\", "无"})
_NUMBER = re.compile(
    r"(?P<sign>[增减+\-]\s*)?(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)(?P<unit>\s*(?:万元|亿元|元))?"
)
_UNIT_FACTOR = {"元": 1 / 10000, "万元": 1, "亿元": 10000, "": 1}


def numbers_in(snippet: str) -> list[Number]:
    """Every number printed in `snippet`, signed and converted to 万元 where a unit says so."""
    out: list[Number] = []
    for m in _NUMBER.finditer(snippet):
        digits = m.group("num").replace(",", "")
        value: Number = float(digits) if "." in digits else int(digits)
        value = value * _UNIT_FACTOR[(m.group("unit") or "").strip()]
        if (m.group("sign") or "").strip() in ("减", "-"):
            value = -value
        out.append(value)
    return out


def is_blank(snippet: str) -> bool:
    return snippet.replace("\u00a0", " ").strip() in BLANK_MARKS


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
