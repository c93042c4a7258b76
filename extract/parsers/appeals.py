"""四、行政复议、行政诉讼: 15 numbers in three groups of five (维持/纠正/其他/尚未审结/总计)."""
from __future__ import annotations

from extract.document import Document
from extract.document.tokens import NUM
from extract.parsers.cells import doubt, fit_row
from extract.parsers.solve import agreed_cells, readings_of
from extract.reading import MISSING, Cell, Doubt, Number
from extract.template import appeals_row


def parse_appeals(document: Document) -> tuple[dict[str, Cell], list[Doubt], dict[str, tuple[Number, ...]]]:
    """Read the numbers printed between the section's heading and the end of the tables; the
    readings of the cells several readings leave empty."""
    printed = document.appeals
    if printed is None:
        return ({k: MISSING for k in appeals_row().keys},
                [doubt("section_missing", [], "四、appeals table not found in the text")], {})
    row, values = printed.row, printed.values
    fit = fit_row(values, row)
    doubts: list[Doubt] = []
    if not fit.candidates:
        reason = "too many readings" if "too_many_readings" in fit.doubts else \
            f"{sum(t.kind == NUM for t in values)} printed cells for {len(row.keys)} columns"
        doubts.append(doubt("appeals_unreadable", ["review.*", "litigation.*"], f"四、appeals table: {reason}"))
        return {k: MISSING for k in row.keys}, doubts, {}
    if "extra_cells" in fit.doubts:
        doubts.append(doubt("extra_cells", ["review.*", "litigation.*"],
                            f"四、more than {len(row.keys)} numbers; the group sums picked which of them are the cells"))
    if fit.unique is not None:
        return dict(zip(row.keys, fit.unique)), doubts, {}
    agreed = agreed_cells(row.keys, fit.candidates)
    doubts.append(doubt("ambiguous_cells", [k for k in row.keys if k not in agreed],
                        f"四、appeals: {len(fit.candidates)} readings of the printed digits"))
    return {k: agreed.get(k, MISSING) for k in row.keys}, doubts, readings_of(row.keys, fit.candidates, agreed)
