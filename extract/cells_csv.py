"""The CSV of `govreport review --cells`: one row per cell that needs a look, for a reviewer who
works in a spreadsheet; filled in (`corrected`, optionally `note`), it is read back by
`govreport correct`. This module owns both directions of the format."""
from __future__ import annotations

import csv
import io
from typing import Iterable, TextIO, Union

from extract.cell_states import flagged_cells
from extract.reading import Number
from extract.review import AUDIT, Flagged

HEAD = ["sha256", "path", "key", "label", "value", "issue", "corrected", "note"]
# What the `issue` column says of a cell's states, when no issue of the record names it.
_SAID = {"missing": "no value", "options": "several readings", "proposal": "a proposal to accept or not",
         "stale": "a correction made against another reading", "audit": "sampled for audit: confirm or correct"}


def write_cells(out: TextIO, documents: Iterable[Flagged]) -> int:
    """The flagged cells of these documents; how many rows were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEAD)
    rows = 0
    for found in documents:
        if found.record is None:
            continue
        for cell in flagged_cells(found.record, audit=found.status == AUDIT):
            writer.writerow([found.record["sha256"], found.path, cell.key, cell.label, _text(cell.value),
                             _why(cell), "", ""])
            rows += 1
    return rows


def _why(cell) -> str:
    said = list(dict.fromkeys(f"{i['code']}: {i['message']}" for i in cell.issues))
    said += [_SAID[s] for s in sorted(cell.states) if s in _SAID and not said]
    if cell.options:
        said.append("readings: " + " | ".join(_text(v) for v in cell.options))
    if cell.proposal is not None:
        said.append(f"proposal (the LLM's, unconfirmed): {_text(cell.proposal)}")
    return "; ".join(said)


def _text(value: Union[Number, None]) -> str:
    return "" if value is None else str(value)  # str, not a format: the exact value is `was` when read back


def read_rows(raw: str) -> list[tuple[int, Union[dict, str]]]:
    """The decisions of a filled-in CSV, each with its line: the rows whose `corrected` is filled
    in (`was` is the value column, as the reviewer saw it), or what is wrong with the row."""
    reader = csv.DictReader(io.StringIO(raw))
    missing = [c for c in ("sha256", "key", "value", "corrected") if c not in (reader.fieldnames or ())]
    if missing:
        return [(1, f"not the CSV of `govreport review --cells` (no {', '.join(missing)} column)")]
    out: list[tuple[int, Union[dict, str]]] = []
    for row in reader:
        line = reader.line_num
        decided = (row.get("corrected") or "").strip()
        if not decided:
            continue
        value, was = _cell(decided), _cell(row.get("value") or "")
        if isinstance(value, str) or isinstance(was, str):
            out.append((line, f"not a number: {decided if isinstance(value, str) else row.get('value')!r}"))
            continue
        out.append((line, {"sha256": row.get("sha256"), "key": row.get("key"), "value": value, "was": was,
                           "note": row.get("note") or ""}))
    return out


def _cell(text: str) -> Union[Number, None, str]:
    """A CSV cell as a number, None for an empty or 'null' cell, or the text itself when it is neither."""
    text = text.strip().replace(",", "")
    if text in ("", "null", "None"):
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number
