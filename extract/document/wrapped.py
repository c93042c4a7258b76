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
from extract.document.tokens import BLANK, EMPTY_LINE, NUM, TEXT, Token

_START: Final = attrgetter("start")
_LOOSE: Final = re.compile(r"[\s|#*`>]+")
_ORDINAL: Final = re.compile(r"^(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十][）)])")
_SHORTEST_HEAD: Final = 4  # characters of the label before the numbers: fewer could begin another label


def heads_pulled_back(norm: str, tokens: Sequence[Token], anchors: list[Anchor]) -> list[Anchor]:
    """`anchors`, each found in the tail of a label wrapped around its row's numbers moved to the
    label's head."""
    out = list(anchors)
    for k, anchor in enumerate(anchors):
        head = _head(norm, tokens, anchor, out[k - 1].end if k else 0)
        if head is not None:
            out[k] = head
    return out


def _head(norm: str, tokens: Sequence[Token], anchor: Anchor, taken: int) -> Optional[Anchor]:
    at = bisect_right(tokens, anchor.start, key=_START) - 1
    if at < 1 or tokens[at].kind != TEXT:
        return None
    line = tokens[at].line
    lines: dict[int, list[Token]] = {}
    i = at
    while i >= 0 and tokens[i].line >= line - 2:
        lines.setdefault(tokens[i].line, []).insert(0, tokens[i])
        i -= 1
    j = at + 1
    while j < len(tokens) and tokens[j].line == line:
        lines[line].append(tokens[j])
        j += 1
    if any(_is_cell(t) for t in lines[line]):
        return None  # the tail's line prints the numbers: the label ends where they begin
    above = lines.get(line - 1, [])
    first = next((n for n, t in enumerate(above) if _is_cell(t)), None)
    if first is not None and first > 0 and not any(t.kind == TEXT for t in above[first:]):
        head = above[:first]                    # head and numbers on one line
    elif above and first == 0 and all(_is_cell(t) for t in above) and lines.get(line - 2) and all(
            t.kind == TEXT for t in lines[line - 2]):
        head = lines[line - 2]                  # the numbers on a line between head and tail
    else:
        return None
    label = _LOOSE.sub("", anchor.row.label)
    tail = _LOOSE.sub("", norm[lines[line][0].start:lines[line][-1].end])
    end = head[-1].end
    for t in head:
        if t.start < taken:
            continue
        words = _ORDINAL.sub("", _LOOSE.sub("", norm[t.start:end]), count=1)
        if len(words) >= _SHORTEST_HEAD and label.startswith(words + tail[:2]):
            return Anchor(anchor.row, t.start, end)
    return None


def _is_cell(t: Token) -> bool:
    return t.kind == NUM or (t.kind == BLANK and t.text != EMPTY_LINE)
