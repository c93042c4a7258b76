"""四、行政复议、行政诉讼: 15 numbers in three groups of five (维持/纠正/其他/尚未审结/总计)."""
from __future__ import annotations

from typing import Final, Sequence

from extract import template
from extract.parsers.cells import doubt, fit_row, row_values
from extract.parsers.solve import agreed_cells
from extract.record import MISSING, Cell, Doubt
from extract.tokens import NUM, TEXT, Token

GROUPS: Final = [5, 5, 5]


def appeal_values(norm: str, tokens: Sequence[Token], start: int, end: int) -> list[Token]:
    """The numbers and blanks of the appeals row, between the section heading and `end`."""
    return row_values(norm, [t for t in tokens if start <= t.start < end and (
        t.kind == TEXT or not t.glued or template.APPEAL_HEADER_WORDS.search(norm, max(start, t.start - 6), t.start))],
        start)


def parse_appeals(norm: str, tokens: Sequence[Token], start: int, end: int) -> tuple[dict[str, Cell], list[Doubt]]:
    """Read the numbers printed between the section's heading (at `start`) and `end`.

    Numbers glued to words are part of the words ('第1页'), except right after the header's
    last word (…尚未审结总计000000000000000, a table run together with its header).
    """
    row = template.appeals_row()
    values = appeal_values(norm, tokens, start, end)
    fit = fit_row(values, GROUPS)
    doubts: list[Doubt] = []
    if not fit.candidates:
        reason = "too many readings" if "too_many_readings" in fit.doubts else f"{sum(t.kind == NUM for t in values)} printed cells for 15 columns"
        doubts.append(doubt("appeals_unreadable", ["review.*", "litigation.*"], f"四、appeals table: {reason}"))
        return {k: MISSING for k in row.keys}, doubts
    if "extra_cells" in fit.doubts:
        doubts.append(doubt("extra_cells", ["review.*", "litigation.*"],
                            "四、more than 15 numbers; the group sums picked which of them are the cells"))
    if fit.unique is not None:
        return dict(zip(row.keys, fit.unique)), doubts
    agreed = agreed_cells(row.keys, fit.candidates)
    doubts.append(doubt("ambiguous_cells", [k for k in row.keys if k not in agreed],
                        f"四、appeals: {len(fit.candidates)} readings of the printed digits"))
    return {k: agreed.get(k, MISSING) for k in row.keys}, doubts
