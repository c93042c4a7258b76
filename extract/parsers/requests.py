"""三、收到和处理政府信息公开申请: the request table, 23 or 25 rows × 7 applicant columns.

Rows are found by their labels in template order. Values that follow no recognisable label
(rows whose labels the scraper lost) are mapped by position onto the rows that are missing
between two labelled rows, but only when the count of printed numbers leaves no doubt.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from extract import fields
from extract.parsers.cells import RowFit, cell_of, doubt, fit_row, resolve
from extract.parsers.labels import REQUEST_ROW_PATTERNS, SECTION_FIVE, is_label_like, strip_ordinal
from extract.record import MISSING, POSITIONAL, Cell, Doubt
from extract.tokens import BLANK, NUM, TEXT, Token

WIDTH = 7  # six applicant columns and 总计


@dataclass
class RequestTable:
    cells: dict[str, Cell] = field(default_factory=dict)
    doubts: list[Doubt] = field(default_factory=list)
    end: Optional[int] = None  # token index just past the table
    found: bool = False


def find_anchor(tokens: Sequence[Token], start: int = 0) -> Optional[int]:
    """Index of the 本年新收 row label that opens the request table."""
    new, carried = REQUEST_ROW_PATTERNS["requests.new"], REQUEST_ROW_PATTERNS["requests.carried_over"]
    for i in range(start, len(tokens)):
        tok = tokens[i]
        if tok.kind != TEXT or not is_label_like(tok.text) or not new.search(strip_ordinal(tok.text)):
            continue
        ahead = tokens[i + 1:i + 40]
        if any(t.kind == TEXT and carried.search(strip_ordinal(t.text)) for t in ahead):
            return i
        if sum(t.kind == NUM for t in ahead[:12]) >= 5:
            return i
    return None


def parse_requests(tokens: Sequence[Token], fmt: str, anchor: Optional[int]) -> RequestTable:
    table = RequestTable()
    rows = fields.request_rows(fmt)
    if anchor is None:
        table.cells = {f"{row}.{col}": MISSING for row in rows for col in fields.columns()}
        table.doubts.append(doubt("section_missing", [], "三、request table not found in the text"))
        return table
    table.found = True
    segments, table.end = _segments(tokens, anchor)
    matched, orphans = _match_rows(segments, rows)
    fits = {rows[i]: fit_row(seg_values, [WIDTH]) for i, (_, seg_values) in matched.items()}
    positional = _fill_gaps(rows, matched, orphans, table)
    chosen, open_rows = resolve(fits, lambda trial: _columns_hold(rows, {**positional, **trial}))
    chosen.update(positional)
    for row_index, row in enumerate(rows):
        reading = chosen.get(row)
        fit = fits.get(row)
        if fit is not None:
            _note_fit(table, row, fit, row in open_rows)
        for col_index, col in enumerate(fields.columns()):
            table.cells[f"{row}.{col}"] = reading[col_index] if reading else MISSING
    return table


def _segments(tokens: Sequence[Token], anchor: int) -> tuple[list[tuple[Optional[Token], list[Token]]], int]:
    """Split the table into (label, values) runs; stop at the next section.

    A row printed whole on its label's line ends there: numbers on the following lines
    with no label of their own belong to rows whose labels were lost.
    """
    segments: list[tuple[Optional[Token], list[Token]]] = []
    current: tuple[Optional[Token], list[Token]] = (None, [])
    carried_forward = REQUEST_ROW_PATTERNS["requests.carried_forward"]
    seen_last_row = False
    i = len(tokens)
    for index in range(anchor, len(tokens)):
        tok = tokens[index]
        if tok.kind == TEXT:
            if "行政复议" in tok.text or "行政诉讼" in tok.text or SECTION_FIVE.search(tok.text) or seen_last_row:
                i = index
                break
            if not is_label_like(tok.text):
                i = index
                break
            segments.append(current)
            current = (tok, [])
            seen_last_row = bool(carried_forward.search(strip_ordinal(tok.text)))
            continue
        label, values = current
        if label is not None and tok.line != label.line and _row_complete_on_label_line(label, values):
            segments.append(current)
            current = (None, [])
        current[1].append(tok)
    segments.append(current)
    return [s for s in segments if s[0] is not None or s[1]], i


def _row_complete_on_label_line(label: Token, values: list[Token]) -> bool:
    return sum(1 for t in values if t.line == label.line) >= WIDTH - 1


def _match_rows(segments, rows: Sequence[str]):
    """Assign labelled segments to template rows in order; collect unlabelled values per gap."""
    matched: dict[int, tuple[Token, list[Token]]] = {}
    orphans: dict[int, list[Token]] = {}  # gap after row index → values with no row label
    next_row = 0
    for label, values in segments:
        hit = None
        if label is not None:
            name = strip_ordinal(label.text)
            for j in range(next_row, len(rows)):
                if REQUEST_ROW_PATTERNS[rows[j]].search(name):
                    hit = j
                    break
        if hit is not None:
            matched[hit] = (label, values)
            next_row = hit + 1
        elif any(t.kind == NUM for t in values):
            orphans.setdefault(next_row - 1, []).extend(values)
    return matched, orphans


def _fill_gaps(rows, matched, orphans, table: RequestTable) -> dict[str, list[Cell]]:
    """Map values that lost their row labels onto the unmatched rows of the same gap."""
    filled: dict[str, list[Cell]] = {}
    for after, values in orphans.items():
        following = [j for j in matched if j > after]
        gap_end = min(following) if following else len(rows)
        gap = [rows[j] for j in range(after + 1, gap_end) if j not in matched]
        nums = [t for t in values if t.kind == NUM]
        if not gap:
            table.doubts.append(doubt("unplaced_values", [], f"{len(nums)} numbers after row {rows[after] if after >= 0 else 'header'} fit no row"))
            continue
        lines = _group_by_line([t for t in values if t.kind in (NUM, BLANK)])
        readings: Optional[list[list[Cell]]] = None
        if len(lines) == len(gap):
            readings = [_fit_line(line) for line in lines]
            if any(r is None for r in readings):
                readings = None
        if readings is None and len(nums) == len(gap) * WIDTH:
            readings = [[cell_of(t) for t in nums[k * WIDTH:(k + 1) * WIDTH]] for k in range(len(gap))]
        if readings is None and len(nums) >= len(gap) * WIDTH and all(t.value == 0 for t in nums):
            # Every printed number is 0, so every cell is 0 whatever the alignment.
            readings = [[cell_of(t) for t in nums[k * WIDTH:(k + 1) * WIDTH]] for k in range(len(gap))]
        if readings is None:
            table.doubts.append(doubt("rows_unlabelled", [f"{r}.*" for r in gap],
                                      f"{len(nums)} numbers in {len(lines)} lines lost their row labels; "
                                      f"cannot place them on {len(gap)} rows"))
            continue
        for row, cells in zip(gap, readings):
            filled[row] = [Cell(c.value, POSITIONAL, c.start, c.end, c.line, "row label lost; placed by position")
                           for c in cells]
    return filled


def _fit_line(line: list[Token]) -> Optional[list[Cell]]:
    """One unlabelled printed row; extra numbers on its left are what is left of its label."""
    nums = [t for t in line if t.kind == NUM]
    if len(nums) > WIDTH:
        line = nums[-WIDTH:]
    return fit_row(line, [WIDTH]).unique


def _group_by_line(nums: list[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = []
    for t in nums:
        if lines and lines[-1][-1].line == t.line:
            lines[-1].append(t)
        else:
            lines.append([t])
    return lines


def _note_fit(table: RequestTable, row: str, fit: RowFit, still_open: bool) -> None:
    keys = [f"{row}.*"]
    if still_open:
        table.doubts.append(doubt("ambiguous_row", keys, f"{len(fit.candidates)} readings of row {row} fit the relations; cells left empty"))
    elif not fit.candidates:
        table.doubts.append(doubt("cells_missing", keys, f"row {row}: too few printed cells"))
    elif "extra_cells" in fit.doubts:
        table.doubts.append(doubt("extra_cells", keys, f"row {row}: more printed numbers than columns; took the first {WIDTH}"))


def _columns_hold(rows: Sequence[str], chosen: dict[str, list[Cell]]) -> bool:
    """R1 and R2 for every column whose cells are all known."""
    outcome = [r for r in rows if r.startswith(("requests.granted", "requests.partly_granted", "requests.refused",
                                                "requests.unable", "requests.not_processed", "requests.other"))]
    for c in range(WIDTH):
        def val(row: str) -> Optional[float]:
            reading = chosen.get(row)
            return None if reading is None else reading[c].value

        r1 = [val(r) for r in ("requests.new", "requests.carried_over", "requests.total", "requests.carried_forward")]
        if None not in r1 and abs(r1[0] + r1[1] - r1[2] - r1[3]) > 1e-9:
            return False
        parts = [val(r) for r in outcome]
        total = val("requests.total")
        if total is not None and None not in parts and abs(total - sum(parts)) > 1e-9:
            return False
    return True
