"""Tables whose row labels were printed apart from their numbers (PDF conversions in the Shanghai
style): a grid of pipe rows, some labelled, some bare rows of numbers, with the labels of the
bare rows printed as loose lines of words elsewhere (before, after, or cut across lines).

The loose words cannot say which bare row is theirs; the grid's own order can. So in such a
table, labels are looked for only in the grid's rows: a loose label is not taken as a row's
start, the bare rows stand in the gaps between labelled ones, and the readers place them on the
template's rows of each gap by order, only where the count leaves one placement.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from operator import attrgetter
from typing import Final, Sequence

from extract.document.anchors import LabelView
from extract.document.tokens import BLANK, NUM, TEXT, Token

_GRID_ROW: Final = re.compile(r"^[^\S\n]*\|.*\|[^\S\n]*$", re.M)
_BARE_ROW: Final = re.compile(r"^[^\S\n]*\|(?:[^\S\n]|[\d.,|])*\d(?:[^\S\n]|[\d.,|])*\|[^\S\n]*$", re.M)
_LOOSE: Final = re.compile(r"[^\n]")  # a loose line's characters, blanked (offsets and lines kept)
_START: Final = attrgetter("start")


def grid_rows_only(labels: LabelView, tokens: Sequence[Token], start: int, end: int, width: int) -> LabelView:
    """The label view of the table between `start` and `end`, its loose lines blanked out where the
    table is such a grid: it prints at least one bare row of `width` cells, and its loose lines
    print no number of a row (only words). Otherwise `labels`, unchanged."""
    norm = labels.text
    line_start = norm.rfind("\n", 0, start) + 1  # the table's first label may stand inside a grid row
    if norm.find("|", line_start, end) < 0 or not _BARE_ROW.search(norm, line_start, end):
        return labels  # the common grid: every row labelled (told at C speed)
    grid_lines, bare_row = _grid_lines(norm, line_start, end), False
    by_line: dict[int, list[Token]] = {}
    for t in tokens[bisect_left(tokens, start, key=_START):bisect_left(tokens, end, key=_START)]:
        by_line.setdefault(t.line, []).append(t)
    # Labels split: each label row's numbers on the next grid row, its label's column left empty.
    split = any(line in grid_lines and len(printed) == width + 1 and printed[0].kind == BLANK
                and all(t.kind != TEXT for t in printed) for line, printed in by_line.items())
    for line, printed in by_line.items():
        if line in grid_lines:
            if all(t.kind != NUM for t in printed) and any(t.kind == TEXT and _worded(t.text) for t in printed) and (
                    split or sum(t.kind == BLANK for t in printed) != width):
                return labels  # a label row whose numbers follow on the next line (not a row of blanks)
            bare_row = bare_row or (len(printed) == width and all(t.kind != TEXT for t in printed))
        elif sum(t.kind == NUM for t in printed) > 1:
            return labels  # numbers printed outside the grid: not this layout
    if not bare_row:
        return labels
    masked = "".join(text if n in grid_lines else _LOOSE.sub(" ", text)
                     for n, text in enumerate(norm[line_start:end].splitlines(keepends=True),
                                              start=norm.count("\n", 0, line_start) + 1))
    return LabelView.of_region(norm[:line_start] + masked + norm[end:], line_start, end).window(start, end)


def _worded(text: str) -> bool:
    """Words, not a markdown rule ('---', ':--:')."""
    return any(ch.isalpha() for ch in text)


def _grid_lines(norm: str, start: int, end: int) -> set[int]:
    """Line numbers (from 1, as tokens count them) of the grid's rows between `start` and `end`."""
    first = norm.count("\n", 0, start) + 1
    return {first + norm.count("\n", start, m.start()) for m in _GRID_ROW.finditer(norm, start, end)}
