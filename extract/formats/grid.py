"""Tables as text: one line per row, cells between pipes, blank cells kept as empty cells.

Every format's tables end here, so the reader sees the same shape whatever the source was.
A cell's text is one label however many spans, lines or paragraphs it was split into, so
whitespace inside a cell is removed ('本年新<br>制作数量' → '本年新制作数量', '2'+'0' → '20').
"""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

_SPACE = re.compile(r"\s+")


def cell_text(text: Optional[str]) -> str:
    return _SPACE.sub("", (text or "").replace("\u00a0", " ").replace("\u3000", " ")).replace("|", "¦")


def row_line(cells: Sequence[Optional[str]]) -> str:
    """'| a | b |  | c |': None marks a position covered by a merged cell (not printed again)."""
    shown = [cell_text(c) for c in cells if c is not None]
    if not shown:
        return ""
    return "| " + " | ".join(shown) + " |"


def table_lines(rows: Iterable[Sequence[Optional[str]]]) -> list[str]:
    """A row of empty cells stays: it may be a row of blank zeros whose label a merged cell holds."""
    return [line for line in (row_line(r) for r in rows) if line]
