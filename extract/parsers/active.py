"""二、主动公开政府信息情况: the 第二十条 items (documents, decisions, fees, procurement)."""
from __future__ import annotations

import re
from typing import Optional, Sequence

from extract import fields
from extract.parsers.cells import doubt, fit_row
from extract.parsers.labels import ACTIVE_ITEMS, compact, is_label_like, strip_ordinal
from extract.record import MISSING, Cell, Doubt
from extract.tokens import NUM, TEXT, Token

_ITEM_PATTERNS = {fmt: [(re.compile(p), keys) for p, keys in items] for fmt, items in ACTIVE_ITEMS.items()}


def find_start(tokens: Sequence[Token], end: int) -> Optional[int]:
    for i in range(0, end):
        tok = tokens[i]
        if tok.kind == TEXT and "第二十条" in compact(tok.text) and len(tok.text) <= 40:
            return i
    return None


def parse_active(tokens: Sequence[Token], fmt: str, start: Optional[int], end: int) -> tuple[dict[str, Cell], list[Doubt]]:
    cells: dict[str, Cell] = {k: MISSING for k in fields.active_keys(fmt)}
    if start is None:
        return cells, [doubt("section_missing", [], "二、active-disclosure table (第二十条) not found in the text")]
    doubts: list[Doubt] = []
    pos = start
    for pattern, keys in _ITEM_PATTERNS[fmt]:
        found = _find_label(tokens, pattern, pos, end)
        if found is None:
            doubts.append(doubt("row_missing", keys, f"二、row for {pattern.pattern} not found"))
            continue
        values = []
        for tok in tokens[found + 1:end]:
            if tok.kind == TEXT:
                break
            values.append(tok)
        fit = fit_row(values, [len(keys)], sums=False)
        if not fit.candidates:
            doubts.append(doubt("cells_missing", keys, f"二、{tokens[found].text}: {sum(t.kind == NUM for t in values)} printed cells for {len(keys)} columns"))
            pos = found + 1
            continue
        if len(fit.candidates) > 1:
            # No relation ties these cells together, so nothing can pick a reading: leave them empty.
            doubts.append(doubt("ambiguous_cells", keys, f"二、{tokens[found].text}: {len(fit.candidates)} readings of the printed cells"))
            pos = found + 1
            continue
        if "extra_cells" in fit.doubts:
            doubts.append(doubt("extra_cells", keys, f"二、{tokens[found].text}: more numbers than columns"))
        for key, cell in zip(keys, fit.candidates[0]):
            cells[key] = _as_unit(key, cell, tokens, start, found)
        pos = found + 1
    return cells, doubts


def _find_label(tokens: Sequence[Token], pattern: re.Pattern, start: int, end: int) -> Optional[int]:
    for i in range(start, end):
        tok = tokens[i]
        if tok.kind == TEXT and is_label_like(tok.text) and pattern.fullmatch(strip_ordinal(tok.text)):
            return i
    return None


def _as_unit(key: str, cell: Cell, tokens: Sequence[Token], start: int, found: int) -> Cell:
    """Money cells are 万元; a header that prints (单位:元) means the plain numbers are 元."""
    if key not in fields.money_keys() or cell.value is None:
        return cell
    value = float(cell.value)
    header = "".join(compact(t.text) for t in tokens[max(start, found - 6):found] if t.kind == TEXT)
    token_text = ""
    if cell.start is not None:
        token_text = next((t.text for t in tokens[found:found + 8] if t.start == cell.start), "")
    if "单位元" in header and not re.search(r"元", token_text):
        return Cell(value / 10000, cell.method, cell.start, cell.end, cell.line, "元 converted to 万元")
    return Cell(value, cell.method, cell.start, cell.end, cell.line, cell.note)
