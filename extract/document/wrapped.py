"""Labels wrapped around their numbers, as PDF text layers print a table whose label cells are
taller than one line: the head of the label and the row's numbers on one line (or the numbers on
a line between the head and the tail), the rest of the label on the next line.

A label found by words of its tail starts its row after the numbers, which would then belong to
the row above. Its head is taken as the label's start only where it is certain: the words before
the numbers are the start of this very row's label (its ordinal aside), the tail carries on from
them, and no other label claims them.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from operator import attrgetter
from typing import Final, Optional, Sequence

from extract.document.anchors import Anchor
from extract.document.tokens import TEXT, Token, prints_a_cell

_START: Final = attrgetter("start")
_LOOSE: Final = re.compile(r"[\s|#*`>]+")
_ORDINAL: Final = re.compile(r"^(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十][）)])")
_DIGIT: Final = re.compile(r"\d")
_ONLY_CELLS: Final = re.compile(r"[\d\s|.,\-/—–无]*")
_SHORTEST_HEAD: Final = 4  # characters of the label before the numbers: fewer could begin another label


def heads_pulled_back(norm: str, tokens: Sequence[Token], anchors: list[Anchor]) -> list[Anchor]:
    """`anchors`, each found in the tail of a label wrapped around its row's numbers moved to the
    label's head."""
    out = list(anchors)
    for k, anchor in enumerate(anchors):
        line_end = norm.find("\n", anchor.end)
        if _DIGIT.search(norm, anchor.end, line_end if line_end >= 0 else len(norm)) or not _numbers_above(norm, anchor):
            continue  # the common row: its numbers on its label's line; or no numbers above to take
        head = _head(norm, tokens, anchor, out[k - 1].end if k else 0)
        if head is not None:
            out[k] = head
    return out


def _numbers_above(norm: str, anchor: Anchor) -> bool:
    """Told from the text alone, before any token is looked at: the line above prints words then
    numbers, or only numbers with a line of words above it."""
    line = norm.rfind("\n", 0, anchor.start) + 1
    if line == 0:
        return False
    above = norm.rfind("\n", 0, line - 1) + 1
    if not _DIGIT.search(norm, above, line - 1):
        return False
    if not _ONLY_CELLS.fullmatch(norm, above, line - 1):
        return True
    before = norm.rfind("\n", 0, above - 1) + 1
    return above > 0 and not _ONLY_CELLS.fullmatch(norm, before, above - 1)


def _head(norm: str, tokens: Sequence[Token], anchor: Anchor, taken: int) -> Optional[Anchor]:
    at = bisect_right(tokens, anchor.start, key=_START) - 1
    if at < 1 or tokens[at].kind != TEXT:
        return None
    line = tokens[at].line
    j = at + 1
    while j < len(tokens) and tokens[j].line == line:
        if tokens[j].kind != TEXT:
            return None  # the label's line prints cells (the common row), or blanks: not wrapped so
        j += 1
    i = at - 1
    while i >= 0 and tokens[i].line == line:
        if tokens[i].kind != TEXT:
            return None
        i -= 1
    tail_start = tokens[i + 1].start
    above, i = _line_before(tokens, i, line - 1)
    first = next((n for n, t in enumerate(above) if prints_a_cell(t)), None)
    if first is not None and first > 0 and not any(t.kind == TEXT for t in above[first:]):
        head = above[:first]                    # head and numbers on one line
    elif above and first == 0 and all(map(prints_a_cell, above)):
        head, _ = _line_before(tokens, i, line - 2)  # the numbers on a line between head and tail
        if not head or any(t.kind != TEXT for t in head):
            return None
    else:
        return None
    label = _LOOSE.sub("", anchor.row.label)
    tail = _LOOSE.sub("", norm[tail_start:tokens[j - 1].end])
    end = head[-1].end
    for t in head:
        if t.start < taken:
            continue
        words = _ORDINAL.sub("", _LOOSE.sub("", norm[t.start:end]), count=1)
        if len(words) >= _SHORTEST_HEAD and label.startswith(words + tail[:2]):
            return Anchor(anchor.row, t.start, end)
    return None


def _line_before(tokens: Sequence[Token], i: int, line: int) -> tuple[list[Token], int]:
    """The tokens of `line`, which ends at index `i` (none if `i` is on another line), and the
    index before them."""
    out: list[Token] = []
    while i >= 0 and tokens[i].line == line:
        out.append(tokens[i])
        i -= 1
    out.reverse()
    return out, i
