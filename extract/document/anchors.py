"""Row labels found anywhere in the text, whatever the line structure, and the spans between them.

Scrapers flatten whole pages onto one line, break labels across lines and cells, and glue a
row's last digits to the next row's ordinal. So labels are searched in a *label view* of the
text (whitespace and table markup removed, every character still mapped to its offset), in
template order, and each row's span runs from the end of its label to the start of the next
label found: the numbers printed in that span are the row's.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Final, NamedTuple, Optional, Sequence

from extract.template import Row

_MARKUP: Final = "|#*`>"  # table and markdown markup: like whitespace, not label text
_ORDINAL_MARKS: Final = frozenset(".、．")
# str.isdigit's characters, as a regex class: the decimal digits and the digit signs (², ①, ⑴, ⒈, ❶ …).
DIGIT_CHARS: Final = (r"\d\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468"
               r"\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
               r"\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a")
# After the label's distinctive words, the rest of the label runs on until a cell can begin: a
# digit, a separator, a signed number, a blank mark after a space, or a run of spaces (which
# separates cells in space-aligned tables).
_CELL_BEGINS: Final = re.compile(rf"[{DIGIT_CHARS}|\t\n]|(?:[增减]|[+\-])\s*\d|\s+[-/—–]+(?:\s|$)|  ")
# A label followed (after the rest of its words) by a number: a data row, not a column header.
_DATA_AFTER: Final = re.compile(r"[^\d\-—/]{0,40}?[\d]")
# How many rows ahead a match may be checked against, to tell a misplaced match from a real one.
_LOOKAHEAD: Final = 3


class Anchor(NamedTuple):
    """A row label found in the text: the row, where its label starts and where its cells may begin."""

    row: Row
    start: int
    end: int


class LabelView:
    """The text without whitespace and markup, each character mapped back to its offset.

    Built once per document (`of`); `window` narrows it to a region without copying.
    """

    def __init__(self, text: str, view: str, chunks: tuple[list[int], list[int]], lo: int, hi: int,
                 start: int, end: int) -> None:
        self.text, self.view = text, view
        self._at_view, self._at_text = chunks  # where each kept chunk starts, in the view and in the text
        self.lo, self.hi = lo, hi          # the window, as view indices
        self.start, self.end = start, end  # the window, as text offsets

    @classmethod
    def of(cls, text: str, start: int = 0) -> "LabelView":
        """The view of the text from `start` on (what comes before holds no label)."""
        return cls._built(text, start, len(text))

    @classmethod
    def of_region(cls, text: str, start: int, end: int) -> "LabelView":
        """The view of one region of the text only (a table read again with some lines blanked)."""
        return cls._built(text, start, end)

    @classmethod
    def _built(cls, text: str, start: int, end: int) -> "LabelView":
        # The markup made whitespace, str.split finds the kept runs (a C loop, not a regex), and
        # each run is found again from where the last one ended: only dropped characters lie
        # between them, none of which can start a run.
        masked = text[start:end]
        for mark in _MARKUP:
            if mark in masked:
                masked = masked.replace(mark, " ")
        kept = masked.split()
        at_view = list(accumulate(map(len, kept), initial=0))
        length = at_view.pop()
        at_text, pos, find = [], 0, masked.find
        for part in kept:
            pos = find(part, pos)
            at_text.append(start + pos)
            pos += len(part)
        return cls(text, "".join(kept), (at_view, at_text), 0, length, start, end)

    def window(self, start: int, end: Optional[int] = None) -> "LabelView":
        end = len(self.text) if end is None else end
        start = max(start, self.start)
        return LabelView(self.text, self.view, (self._at_view, self._at_text), self.index(start), self.index(end),
                         start, end)

    def offset(self, index: int) -> int:
        """Offset in the text of view position `index` (the window's end past its last)."""
        if index >= self.hi:
            return self.end
        k = bisect_right(self._at_view, index) - 1
        return self._at_text[k] + index - self._at_view[k]

    def index(self, offset: int) -> int:
        """The first view position at or after text offset `offset`."""
        k = bisect_right(self._at_text, offset) - 1
        if k < 0:
            return 0
        inside = offset - self._at_text[k]
        chunk_end = self._at_view[k + 1] if k + 1 < len(self._at_view) else len(self.view)
        return min(self._at_view[k] + inside, chunk_end)

    def search(self, pattern: re.Pattern, index: int, stop: Optional[int] = None) -> Optional[re.Match]:
        stop = self.hi if stop is None else min(stop, self.hi)
        return pattern.search(self.view, max(index, self.lo), stop)


def find_anchors(view: LabelView, rows: Sequence[Row]) -> list[Anchor]:
    """The labels of `rows`, searched in template order; rows whose label is not found are left out."""
    first: list[Optional[re.Match]] = []
    pos = view.lo
    for i, row in enumerate(rows):
        match = view.search(row.pattern, pos)
        if match is not None and _out_of_order(view, rows, i, pos, match):
            match = None  # this row's words turn up only after later rows' labels: not its label
        first.append(match)
        if match is not None:
            pos = match.end()
    found = [(rows[i], m) for i, m in enumerate(first) if m is not None]
    anchors: list[Anchor] = []
    for k, (row, match) in enumerate(found):
        stop = found[k + 1][1].start() if k + 1 < len(found) else None
        match = _last_match(view, row.pattern, match, stop)
        anchors.append(Anchor(row, _label_start(view, row, match), view.offset(match.end() - 1) + 1))
    return [_extend_label(view.text, a, anchors[k + 1].start if k + 1 < len(anchors) else view.end)
            for k, a in enumerate(anchors)]


def with_rows_out_of_order(view: LabelView, rows: Sequence[Row], anchors: list[Anchor]) -> list[Anchor]:
    """`anchors` and, for each row not found in template order, its label where it is printed once
    in the window, with numbers after it, outside the labels found: a table whose sub-tables were
    printed in another order (第二十条第（一）项's table annexed after the others). In printed order."""
    found = {a.row.key for a in anchors}
    taken = [(a.start, a.end) for a in anchors]
    extra = []
    for row in rows:
        if row.key in found:
            continue
        hits = [m for m in _matches(view, row.pattern) if _DATA_AFTER.match(view.view, m.end())
                and not any(s <= view.offset(m.start()) < e for s, e in taken)]
        if len(hits) == 1:
            extra.append(Anchor(row, _label_start(view, row, hits[0]), view.offset(hits[0].end() - 1) + 1))
    if not extra:
        return anchors
    ordered = sorted([*anchors, *extra], key=lambda a: a.start)
    return [_extend_label(view.text, a, ordered[k + 1].start if k + 1 < len(ordered) else view.end)
            for k, a in enumerate(ordered)]


def copy_start(view: LabelView, anchors: list[Anchor]) -> Optional[int]:
    """Where the table found by `anchors` is printed again (as lines of text, then as a grid): its
    first row's label printed once more, with numbers after it; None where it is printed once."""
    if not anchors:
        return None
    first = anchors[0].row
    again = view.search(first.pattern, view.index(anchors[0].end))
    if again is None or not _DATA_AFTER.match(view.view, again.end()):
        return None
    return _label_start(view, first, again)


def _matches(view: LabelView, pattern: re.Pattern) -> list[re.Match]:
    return list(pattern.finditer(view.view, view.lo, view.hi))


def _out_of_order(view: LabelView, rows: Sequence[Row], i: int, pos: int, match: re.Match) -> bool:
    """A later row's label, with its numbers, printed before this match: the match is not this row's
    label. (A later row's words in a repeated column header, with no numbers, prove nothing.)"""
    # pos and the match lie inside the window: the patterns search the view itself, no bounds to clamp.
    text, stop = view.view, match.start()
    for row in rows[i + 1:i + 1 + _LOOKAHEAD]:
        later = row.pattern.search(text, pos, stop)
        if later is not None and _DATA_AFTER.match(text, later.end()):
            return True
    return False


def _last_match(view: LabelView, pattern: re.Pattern, match: re.Match, stop: Optional[int]) -> re.Match:
    """A label printed twice before the next row (a heading, then the table row): the last one."""
    end = view.hi if stop is None else stop  # inside the window already: the view is searched directly
    while True:
        again = pattern.search(view.view, match.end(), end)
        if again is None:
            return match
        match = again


def _label_start(view: LabelView, row: Row, match: re.Match) -> int:
    """Where the label starts, its printed ordinal included ('…00000002.其他法律…' → at the '2')."""
    index = match.start()
    if row.ordinal and index >= 2 and view.view[index - 1] in _ORDINAL_MARKS and view.view[index - 2] == row.ordinal:
        index -= 2
    return view.offset(index)


def _extend_label(text: str, anchor: Anchor, limit: int) -> Anchor:
    """Run the label on over the rest of its words, up to where a cell can begin."""
    begins = _CELL_BEGINS.search(text, anchor.end)
    end = min(begins.start(), limit) if begins else limit
    return Anchor(anchor.row, anchor.start, end)
