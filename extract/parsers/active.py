"""二、主动公开政府信息情况: the 第二十条 items (documents, decisions, fees, procurement).

No relation ties these cells together, so where digits run together only what every reading
agrees on is kept (a minus sign can only open the 本年增/减 cell; a cell never starts with 0),
and the narrative ("现行有效规范性文件698件") may pick the one reading it confirms.
"""
from __future__ import annotations

import re
from typing import Final, Sequence

from extract.document import Document
from extract.document.tokens import NUM
from extract.parsers.cells import doubt, fit_row
from extract.parsers.solve import agreed_cells, readings_of
from extract.reading import MISSING, SPLIT, Cell, Doubt, Number
from extract.template import active_keys, active_rows, money_keys


def parse_active(document: Document) -> tuple[dict[str, Cell], list[Doubt], dict[str, tuple[Number, ...]]]:
    """二's items: their cells, the doubts, and the readings of the cells several readings leave empty."""
    version = document.version
    norm = document.text
    cells: dict[str, Cell] = {k: MISSING for k in active_keys(version)}
    printed = document.active
    if not printed:
        return cells, [doubt("section_missing", [], "二、active-disclosure table (第二十条) not found in the text")], {}
    doubts: list[Doubt] = []
    options: dict[str, tuple[Number, ...]] = {}
    found = {p.row.key for p in printed}
    for row in active_rows(version):
        if row.key not in found:
            doubts.append(doubt("row_missing", row.keys, f"二、row {row.label} not found"))
    for row, anchor, _, values in printed:
        assert anchor is not None  # an item's row is found by its label
        fit = fit_row(values, row)
        if not fit.candidates:
            doubts.append(doubt("cells_missing", row.keys, f"二、{row.label}: {sum(t.kind == NUM for t in values)} "
                                f"printed cells for {len(row.keys)} columns"))
            continue
        readings = fit.candidates
        if len(readings) > 1:
            said = document.document_counts()
            confirmed = [r for r in readings if _confirmed(row.keys, r, said)]
            if len(confirmed) == 1:
                readings = [[Cell(c.value, c.method, c.start, c.end, c.line, "split; the narrative confirms it")
                             for c in confirmed[0]]]
        agreed = agreed_cells(row.keys, readings)
        if len(agreed) < len(row.keys):
            # Nothing ties these cells together, so nothing can pick among the readings.
            doubts.append(doubt("ambiguous_cells", [k for k in row.keys if k not in agreed],
                                f"二、{row.label}: {len(readings)} readings of the printed digits"))
            options.update(readings_of(row.keys, readings, agreed))
        if "extra_cells" in fit.doubts:
            doubts.append(doubt("extra_cells", row.keys, f"二、{row.label}: more numbers than columns"))
        for key, cell in agreed.items():
            cells[key] = _as_unit(key, cell, norm, anchor.start)
    return cells, doubts, options


def _confirmed(keys: Sequence[str], reading: list[Cell], said: dict[str, set[int]]) -> bool:
    """Every cut cell that the narrative states agrees with it, and it states at least one."""
    hits = 0
    for key, cell in zip(keys, reading):
        if key in said:
            if cell.value not in said[key]:
                return False
            hits += cell.method == SPLIT
    return hits > 0


_YUAN_HEADER: Final = re.compile(r"单位\s*[:：]?\s*元")


def _as_unit(key: str, cell: Cell, norm: str, label_start: int) -> Cell:
    """Money cells are 万元; a header that prints (单位:元) means the plain numbers are 元."""
    if key not in money_keys() or cell.value is None:
        return cell
    value = float(cell.value)
    header = norm[max(0, label_start - 80):label_start]
    printed = norm[cell.start:cell.end] if cell.start is not None else ""
    if _YUAN_HEADER.search(header) and "元" not in printed:
        return Cell(value / 10000, cell.method, cell.start, cell.end, cell.line, "元 converted to 万元")
    return Cell(value, cell.method, cell.start, cell.end, cell.line, cell.note)
