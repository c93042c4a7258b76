"""四、行政复议、行政诉讼: 15 numbers in three groups of five (维持/纠正/其他/尚未审结/总计)."""
from __future__ import annotations

from typing import Optional, Sequence

from extract import fields
from extract.parsers.cells import doubt, fit_row
from extract.parsers.labels import APPEAL_HEADER_CHARS, SECTION_FIVE, compact
from extract.record import MISSING, Cell, Doubt
from extract.tokens import TEXT, Token

GROUPS = [5, 5, 5]


def find_start(tokens: Sequence[Token], start: int) -> Optional[int]:
    for i in range(start, len(tokens)):
        tok = tokens[i]
        if tok.kind == TEXT and "行政复议" in tok.text and len(tok.text) <= 40:
            return i
    return None


def parse_appeals(tokens: Sequence[Token], start: Optional[int]) -> tuple[dict[str, Cell], list[Doubt]]:
    keys = fields.appeal_keys()
    if start is None:
        return {k: MISSING for k in keys}, [doubt("section_missing", [], "四、appeals table not found in the text")]
    values: list[Token] = []
    for tok in tokens[start + 1:]:
        if tok.kind == TEXT:
            if values and not _is_header(tok.text):
                break  # the row of numbers is over
            if SECTION_FIVE.search(tok.text) or not _is_header(tok.text):
                break
            continue
        values.append(tok)
    fit = fit_row(values, GROUPS)
    doubts: list[Doubt] = []
    if fit.unique is None:
        reason = "several readings fit" if fit.candidates else f"{sum(t.kind != TEXT for t in values)} printed cells for 15 columns"
        doubts.append(doubt("appeals_unreadable", ["review.*", "litigation.*"], f"四、appeals table: {reason}"))
        return {k: MISSING for k in keys}, doubts
    if "extra_cells" in fit.doubts:
        doubts.append(doubt("extra_cells", ["review.*", "litigation.*"], "四、more than 15 numbers; took the first 15"))
    return dict(zip(keys, fit.unique)), doubts


def _is_header(text: str) -> bool:
    return set(compact(text)) <= APPEAL_HEADER_CHARS
