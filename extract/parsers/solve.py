"""Choose among the readings of a table's rows with the template's relations, as a whole.

Each row arrives with the readings its printed cells allow (one for a plainly printed row,
several where digits ran together). The relations are the template's (`extract.template`),
the same the verifier checks: the reader asks them instead of restating them. The search lays one reading per open row,
prunes with interval bounds on every relation, and collects the readings of the table that
satisfy them all. A cell is decided where every surviving reading agrees on it; the rest stay
empty. When no reading survives (the source itself may break a relation), only what each
row's own readings agree on is kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Optional, Sequence

from extract.reading import Cell, Number
from extract.template import Relation

SOLUTIONS_LIMIT: Final = 64
NODES_LIMIT: Final = 200_000


@dataclass
class Solution:
    cells: dict[str, Cell] = field(default_factory=dict)   # decided cells of the open rows
    undecided: list[str] = field(default_factory=list)      # rows with at least one cell left empty
    readings: int = 0                                        # table readings that survived (0: none did)
    options: dict[str, tuple[Number, ...]] = field(default_factory=dict)  # a cell left empty: its readings


def solve_table(rows: dict[str, tuple[str, ...]], candidates: dict[str, list[list[Cell]]],
                relations: Sequence[Relation]) -> Solution:
    """Decide the cells of rows with several readings; rows with one reading are taken as read."""
    open_rows = [row for row, readings in candidates.items() if len(readings) > 1]
    result = Solution()
    if not open_rows:
        return result  # the common table: every row read one way
    fixed: dict[str, Number] = {}
    for row, readings in candidates.items():
        if len(readings) == 1:
            fixed.update((k, c.value) for k, c in zip(rows[row], readings[0]) if c.value is not None)
    known = set(fixed) | {k for row in open_rows for k in rows[row]}
    usable = [r for r in relations if set(r.keys) <= known and set(r.keys) & {k for row in open_rows for k in rows[row]}]
    found = _search(rows, candidates, open_rows, fixed, usable)
    result.readings = len(found) if found is not None else SOLUTIONS_LIMIT + 1
    if not found:
        # None survive (or too many to list): keep what each row's own readings agree on.
        found = None
    for row in open_rows:
        pool = [sol[row] for sol in found] if found else candidates[row]
        decided = agreed_cells(rows[row], pool)
        result.cells.update(decided)
        if len(decided) < len(rows[row]):
            result.undecided.append(row)
            result.options.update(readings_of(rows[row], pool, decided))
    return result


def readings_of(keys: Sequence[str], readings: list[list[Cell]], decided: dict[str, Cell]) -> dict[str, tuple[Number, ...]]:
    """The values the readings give each cell they do not agree on, for a person to pick from."""
    out: dict[str, tuple[Number, ...]] = {}
    for i, key in enumerate(keys):
        if key not in decided:
            found: set[Number] = set()
            for reading in readings:
                value = reading[i].value
                if value is not None:
                    found.add(value)
            values = sorted(found)
            if len(values) > 1:
                out[key] = tuple(values)
    return out


def agreed_cells(keys: Sequence[str], readings: list[list[Cell]]) -> dict[str, Cell]:
    """The cells every reading gives the same value: what the printed text settles."""
    out = {}
    for i, key in enumerate(keys):
        values = {r[i].value for r in readings}
        if len(values) == 1 and None not in values:
            out[key] = readings[0][i]
    return out


def _search(rows, candidates, open_rows, fixed, relations) -> Optional[list[dict[str, list[Cell]]]]:
    """Every table reading that satisfies the relations; None if there are too many to list."""
    ranges: dict[str, tuple[Number, Number]] = {}
    for row in open_rows:
        for i, key in enumerate(rows[row]):
            values = [r[i].value for r in candidates[row] if r[i].value is not None]
            ranges[key] = (min(values), max(values)) if values else (0.0, float("inf"))
    assigned: dict[str, Number] = dict(fixed)
    chosen: dict[str, list[Cell]] = {}
    solutions: list[dict[str, list[Cell]]] = []
    nodes = 0

    def bounds(keys: Sequence[str]) -> tuple[Number, Number]:
        lo = hi = 0.0
        for key in keys:
            if key in assigned:
                lo += assigned[key]
                hi += assigned[key]
            else:
                a, b = ranges.get(key, (0.0, float("inf")))
                lo += a
                hi += b
        return lo, hi

    def feasible() -> bool:
        for rel in relations:
            l_lo, l_hi = bounds(rel.left)
            r_lo, r_hi = bounds(rel.right)
            if l_hi < r_lo - 1e-9 or r_hi < l_lo - 1e-9:
                return False
        return True

    def lay(depth: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > NODES_LIMIT:
            return False
        if depth == len(open_rows):
            solutions.append(dict(chosen))
            return len(solutions) <= SOLUTIONS_LIMIT
        row = open_rows[depth]
        for reading in candidates[row]:
            for key, cell in zip(rows[row], reading):
                if cell.value is not None:
                    assigned[key] = cell.value
            chosen[row] = reading
            if feasible() and not lay(depth + 1):
                return False
        for key in rows[row]:
            assigned.pop(key, None)
        chosen.pop(row, None)
        return True

    if not lay(0):
        return None
    return solutions
