"""Fit the printed cells that follow a row label to the template's columns.

Scraped rows carry structural blanks, lose a cell, or run their digits together. A row is
fitted by listing the readings that are possible (which blanks are cells, where a lost cell
was, how a digit run splits) and keeping those the row's own relation allows. One reading
left: take it. Several: the table-level relations may still decide (see `resolve`). None of
this ever changes a printed number; it only decides which printed number sits in which cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Callable, Optional, Sequence

from extract.record import BLANK, INFERRED, READ, SPLIT, Cell, Doubt
from extract.tokens import BLANK as BLANK_TOKEN
from extract.tokens import NUM, Token

Check = Callable[[Sequence[float]], bool]


def last_is_sum(values: Sequence[float]) -> bool:
    """The template's row shape: the last cell (总计) is the sum of the others."""
    return abs(values[-1] - sum(values[:-1])) < 1e-9


@dataclass
class RowFit:
    candidates: list[list[Cell]] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)

    @property
    def unique(self) -> Optional[list[Cell]]:
        return self.candidates[0] if len(self.candidates) == 1 else None


def cell_of(token: Token) -> Cell:
    method = BLANK if token.kind == BLANK_TOKEN else READ
    return Cell(token.value, method, token.start, token.end, token.line)


def fit_row(tokens: Sequence[Token], sizes: Sequence[int], sums: bool = True) -> RowFit:
    """All readings of `tokens` (NUM/BLANK after a row label) as groups of cells.

    `sizes` are the groups the row holds (a request row is [7]; the appeals row [5, 5, 5]);
    with `sums`, each group's last cell is the total of the group, which prunes readings.
    """
    n = sum(sizes)
    check = _group_check(sizes) if sums else None
    values = [t for t in tokens if t.kind in (NUM, BLANK_TOKEN)]
    nums = [t for t in values if t.kind == NUM]
    fit = RowFit()
    if len(nums) == n == len(values):  # the common case: exactly the printed cells the row needs
        fit.candidates = [[cell_of(t) for t in nums]]
        return fit
    if not nums:
        if values and len(values) >= n:
            fit.candidates = [[cell_of(t) for t in values[:n]]]
        return fit
    # Cutting a run of digits is only safe where a sum pins the cut; otherwise it is a guess.
    if sums and n > 1 and len(nums) == 1 and len(nums[0].digits) >= n and all(
        t.kind == BLANK_TOKEN for t in values if t is not nums[0]
    ):
        fit.candidates = [_split_cells(nums[0], parts) for parts in split_run(nums[0].digits, sizes, last_is_sum)]
        fit.doubts.append("digits_run_together")
        return _dedupe(fit)
    readings = _windows(values, n)
    if not readings and len(nums) > n:
        readings = [[cell_of(t) for t in nums[:n]]]
        fit.doubts.append("extra_cells")
    if not readings and check is not None:
        readings = _with_one_lost_cell(values, sizes, check)
        if readings:
            fit.doubts.append("cell_lost")
    if not readings:
        fit.doubts.append("cells_missing")
        return fit
    if check is not None:
        passing = [r for r in readings if check([c.value for c in r])]
        readings = passing or readings[:1]
    fit.candidates = readings
    return _dedupe(fit)


def _group_check(sizes: Sequence[int]) -> Check:
    def check(values: Sequence[float]) -> bool:
        start = 0
        for size in sizes:
            if not last_is_sum(values[start:start + size]):
                return False
            start += size
        return True
    return check


def _windows(values: list[Token], n: int) -> list[list[Cell]]:
    """Drop leading/trailing blanks (structure, not cells) until n cells remain."""
    lead_max = _count_blanks(values)
    trail_max = _count_blanks(values[::-1])
    readings = []
    for trail in range(0, trail_max + 1):
        for lead in range(0, lead_max + 1):
            window = values[lead:len(values) - trail]
            if len(window) == n:
                readings.append([cell_of(t) for t in window])
    # Prefer readings that treat fewer blanks as printed zeros.
    readings.sort(key=lambda r: sum(c.method == BLANK for c in r))
    return readings


def _count_blanks(values: list[Token]) -> int:
    count = 0
    for t in values:
        if t.kind != BLANK_TOKEN:
            break
        count += 1
    return count


def _with_one_lost_cell(values: list[Token], sizes: Sequence[int], check: Check) -> list[list[Cell]]:
    """A row printed with one cell fewer: put the lost cell anywhere the group sums allow."""
    core = _strip_blanks(values)
    n = sum(sizes)
    if len(core) != n - 1:
        return []
    readings = []
    for pos in range(n):
        cells = [cell_of(t) for t in core]
        cells.insert(pos, Cell(0, INFERRED))
        start = 0
        for size in sizes:
            if start <= pos < start + size:
                break
            start += size
        group = [c.value for c in cells[start:start + size]]
        if pos == start + size - 1:
            missing = sum(group[:-1])
        else:
            missing = group[-1] - sum(group[:-1])  # the placeholder at pos counts as 0
            if missing < 0:
                continue
        cells[pos] = Cell(missing, INFERRED, note="cell not printed; forced by its group total")
        if check([c.value for c in cells]):
            readings.append(cells)
    return readings


def _strip_blanks(values: list[Token]) -> list[Token]:
    lead, trail = _count_blanks(values), _count_blanks(values[::-1])
    return values[lead:len(values) - trail]


def _split_cells(token: Token, parts: Sequence[str]) -> list[Cell]:
    cells, offset = [], token.start
    for part in parts:
        cells.append(Cell(int(part), SPLIT, offset, offset + len(part), token.line, "split from a run of digits"))
        offset += len(part)
    return cells


def split_run(digits: str, sizes: Sequence[int], check: Optional[Check], limit: int = 64) -> list[list[str]]:
    """Every way to cut `digits` into groups of `sizes` numbers (no leading zeros) that pass `check`."""
    results: list[list[str]] = []

    def cut(rest: str, count: int) -> list[list[str]]:
        if count == 0:
            return [[]] if not rest else []
        out = []
        max_len = len(rest) - (count - 1)
        for length in range(1, max_len + 1):
            head = rest[:length]
            if len(head) > 1 and head[0] == "0":
                break
            for tail in cut(rest[length:], count - 1):
                out.append([head] + tail)
                if len(out) > 20000:
                    return out
        return out

    def groups(rest: str, remaining: Sequence[int], acc: list[str]) -> None:
        if len(results) >= limit:
            return
        if not remaining:
            if not rest:
                results.append(list(acc))
            return
        size = remaining[0]
        needed_after = sum(remaining[1:])
        lengths = [len(rest)] if len(remaining) == 1 else range(size, len(rest) - needed_after + 1)
        for length in lengths:
            for parts in cut(rest[:length], size):
                if check is None or check([int(p) for p in parts]):
                    groups(rest[length:], remaining[1:], acc + parts)

    groups(digits, list(sizes), [])
    return results


def _dedupe(fit: RowFit) -> RowFit:
    seen: dict[tuple, list[Cell]] = {}
    for reading in fit.candidates:
        seen.setdefault(tuple(c.value for c in reading), reading)
    fit.candidates = list(seen.values())
    return fit


def resolve(rows: dict[str, RowFit], relations_hold: Callable[[dict[str, list[Cell]]], bool],
            limit: int = 4096) -> tuple[dict[str, list[Cell]], list[str]]:
    """Pick one reading per row so that the table's relations hold; rows left open are returned."""
    chosen = {key: fit.unique for key, fit in rows.items() if fit.unique is not None}
    open_rows = [key for key, fit in rows.items() if len(fit.candidates) > 1]
    if not open_rows:
        return chosen, []
    options = [rows[key].candidates for key in open_rows]
    total = 1
    for o in options:
        total *= len(o)
    if total > limit:
        return chosen, open_rows
    winners = []
    for combo in product(*options):
        trial = dict(chosen)
        trial.update(zip(open_rows, combo))
        if relations_hold(trial):
            winners.append(combo)
            if len({tuple(tuple(c.value for c in r) for r in w) for w in winners}) > 1:
                return chosen, open_rows
    if not winners:
        return chosen, open_rows
    chosen.update(zip(open_rows, winners[0]))
    return chosen, []


def doubt(code: str, keys: Sequence[str], message: str) -> Doubt:
    return Doubt(code, tuple(keys), message)
