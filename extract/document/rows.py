"""Each table's candidate rows: a template row, where its label was found, and the numbers and
blanks printed between that label and the next one found.

Readers fit these printed cells to the template's columns; the grounding of any reading
checks values against the same printed cells, never "somewhere in the section".
"""
from __future__ import annotations

import re
from bisect import bisect_left
from operator import attrgetter
from typing import NamedTuple, Optional, Sequence

from extract.document.anchors import Anchor, LabelView, copy_start, find_anchors, with_rows_out_of_order
from extract.document.apart import grid_rows_only
from extract.document.blanks import blank_cells_settled
from extract.document.sections import Sections
from extract.document.tokens import BLANK, EMPTY_LINE, NUM, TEXT, Token
from extract.document.transposed import transposed_appeals
from extract.document.wrapped import heads_pulled_back
from extract.template import Row, active_rows, appeals_row, request_search_rows, spec

_START, _KIND = attrgetter("start"), attrgetter("kind")
_new = tuple.__new__  # PrintedRow(...) runs a Python-level __new__; a row of every table of every document


class PrintedRow(NamedTuple):
    """A template row as printed: its label's anchor (none for 四's single row, which its
    section heading opens), where its span ends, and its numbers and blanks."""

    row: Row
    anchor: Optional[Anchor]
    end: int
    values: list[Token]


def find_active_rows(labels: LabelView, tokens: Sequence[Token], version: str, sections: Sections) -> list[PrintedRow]:
    """二's items found between the table's start and its end, in printed order."""
    if sections.active is None or sections.active_end <= sections.active:
        return []
    end = sections.active_end
    items = active_rows(version)
    view, end, anchors = _first_copy(labels, tokens, items, sections.active, end)
    if len(anchors) < len(items):
        anchors = with_rows_out_of_order(view, items, anchors)
    rows = [_printed(labels.text, tokens, anchors, k, end, last=k + 1 == len(anchors)) for k in range(len(anchors))]
    return blank_cells_settled(labels.text, tokens, rows, sections.active, end)


def find_request_rows(labels: LabelView, tokens: Sequence[Token], version: str,
                      sections: Sections) -> Optional[list[PrintedRow]]:
    """三's rows found (the 2019 single （六）其他处理 row among them where a 2021 table prints it),
    from the table's opening on (本年新收, then 上年结转); None where there is none."""
    if sections.requests is None:
        return None
    end, norm = sections.requests_end, labels.text
    labels = grid_rows_only(labels, tokens, sections.requests, end, len(spec.COLUMNS))  # labels only: blanked text
    _, end, anchors = _first_copy(labels, tokens, request_search_rows(version), sections.requests, end)
    anchors = heads_pulled_back(norm, tokens, anchors)
    rows = [_printed(norm, tokens, anchors, k, end) for k in range(len(anchors))]
    return blank_cells_settled(norm, tokens, rows, sections.requests, end)


def _first_copy(labels: LabelView, tokens: Sequence[Token], rows: Sequence[Row], start: int,
                end: int) -> tuple[LabelView, int, list[Anchor]]:
    """The table's window, its end and its rows' labels: those of its first copy where it is
    printed twice and both copies agree, else of the whole window."""
    view = labels.window(start, end)
    anchors = find_anchors(view, rows)
    copy = copy_start(view, anchors)
    if copy is None or not _copies_agree(tokens, start, copy, end):
        return view, end, anchors
    view = labels.window(start, copy)
    return view, copy, find_anchors(view, rows)


def _copies_agree(tokens: Sequence[Token], start: int, copy: int, end: int) -> bool:
    """A table printed twice (as lines of text, then as a grid) is read from its first copy only
    where the second prints the same numbers and blanks in the same order: then either copy says it all.
    Where they differ, both stay in the way of a clean reading, and the record is left in doubt."""
    def cells(lo: int, hi: int) -> list[tuple[str, object]]:
        """The numbers and printed blanks of the lines that print a number (not a header's blanks)."""
        span = tokens[bisect_left(tokens, lo, key=_START):bisect_left(tokens, hi, key=_START)]
        numbered = {t.line for t in span if t.kind == NUM}
        return [(t.kind, t.value) for t in span if t.line in numbered and t.kind != TEXT and t.text != EMPTY_LINE]
    return cells(start, copy) == cells(copy, end)


def find_appeals_row(norm: str, tokens: Sequence[Token], version: str, sections: Sections) -> Optional[PrintedRow]:
    """四's numbers and blanks, between its heading and the end of the tables. Numbers glued to
    words are part of the words ('第1页'), except right after the header's last word
    (…尚未审结总计000000000000000, a table run together with its header)."""
    if sections.appeals is None:
        return None
    start, end = sections.appeals, sections.end
    region = tokens[bisect_left(tokens, start, key=_START):bisect_left(tokens, end, key=_START)]
    transposed = transposed_appeals(norm, region) if region else None
    if transposed is not None:
        return PrintedRow(appeals_row(version), None, end, transposed)
    blank = _all_blank_row(norm, start, end, len(appeals_row(version).keys))
    if blank is not None and not any(t.kind == NUM for t in region):
        return PrintedRow(appeals_row(version), None, end, blank)
    values = row_values(norm, [t for t in region if t.kind == TEXT or not t.glued or spec.APPEAL_HEADER_WORDS.search(
        norm, max(start, t.start - 6), t.start)], start)
    return blank_cells_settled(norm, tokens, [PrintedRow(appeals_row(version), None, end, values)], start, end)[0]


def _all_blank_row(norm: str, start: int, end: int, width: int) -> Optional[list[Token]]:
    """四 as a grid row of its cells (or more: a padding column), every one empty ('| | | … |'), the
    only such row of a region that prints no number: whichever cell is whose, each is a blank, 0
    by the template's convention."""
    rows = [m for m in _EMPTY_GRID_ROW.finditer(norm, start, end) if m.group().count("|") > width] \
        if norm.find("|", start, end) >= 0 else []
    if len(rows) != 1:
        return None
    at, line = rows[0].start(), norm.count("\n", 0, rows[0].start()) + 1
    pipes = [at + i for i, ch in enumerate(rows[0].group()) if ch == "|"]
    return [_new(Token, (BLANK, "", a + 1, b, line, 0, "", "", False, True)) for a, b in zip(pipes, pipes[1:width + 1])]


_EMPTY_GRID_ROW = re.compile(r"^[^\S\n]*\|(?:[^\S\n]*\|)+[^\S\n]*$", re.M)


def _printed(norm: str, tokens: Sequence[Token], anchors: list[Anchor], k: int, end: int,
             last: bool = False) -> PrintedRow:
    span_end = anchors[k + 1].start if k + 1 < len(anchors) else end
    return _new(PrintedRow, (anchors[k].row, anchors[k], span_end, span_values(norm, tokens, anchors[k], span_end, last)))


def span_values(norm: str, tokens: Sequence[Token], anchor: Anchor, end: int, last: bool = False) -> list[Token]:
    """The numbers and blanks printed after a label and before `end`.

    A number glued to the text before it ('数据1', a placeholder header) is part of that text,
    unless it starts right where the label ends ('规章000', a row run together with its label).
    The `last` row of a table ends with its numbers: text after them is no longer the table.
    """
    first, stop = bisect_left(tokens, anchor.end, key=_START), bisect_left(tokens, end, key=_START)
    label_end = anchor.end
    span = [t for t in tokens[first:stop] if t.kind == TEXT or t.start == label_end or not t.glued]
    if last:  # the table's last row ends with its numbers: cut at the first text after one
        printed = next((i for i, t in enumerate(span) if t.kind != TEXT), len(span))
        del span[next((i for i in range(printed, len(span)) if span[i].kind == TEXT), len(span)):]
    return row_values(norm, span, label_end)


def row_values(norm: str, tokens: Sequence[Token], label_end: int) -> list[Token]:
    """The numbers and blanks a row prints after its label (which ends at `label_end`): a header
    line's blanks dropped, empty lines kept as cells only where the label stands on its own line."""
    if BLANK not in map(_KIND, tokens):  # the common row: its numbers, nothing to drop or keep
        return [t for t in tokens if t.kind == NUM]
    values = drop_header_blanks(tokens)
    printed = next((t for t in values if t.text != EMPTY_LINE), None)
    return keep_blank_lines_as_cells(values, printed is not None and "\n" in norm[label_end:printed.start])


def drop_header_blanks(tokens: Sequence[Token]) -> list[Token]:
    """The numbers and blanks of `tokens`, less the blanks of lines that print words but no
    number: those are a heading's or a header's empty cells ('第二十条第（五）项\t\t\t')."""
    worded, numbered = set(), set()
    for t in tokens:
        if t.kind == TEXT:
            worded.add(t.line)
        elif t.kind == NUM:
            numbered.add(t.line)
    wordy = worded - numbered
    return [t for t in tokens if t.kind == NUM or (t.kind == BLANK and t.line not in wordy)]


def keep_blank_lines_as_cells(values: Sequence[Token], label_alone: bool) -> list[Token]:
    """Empty lines may be blank cells only in a row printed one cell per line (its label alone
    on its line, then one cell a line); there the row's width and sum decide which of them are
    cells (edge ones may be layout). Anywhere else they are layout."""
    printed = [t for t in values if t.text != EMPTY_LINE]
    lines = [t.line for t in printed]
    if not label_alone or not printed or len(set(lines)) < len(lines):
        return printed
    return list(values)
