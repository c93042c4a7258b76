"""A person's corrections: kept append-only, applied over every automatic reading, and checked again.

A correction names a document (sha256) and a cell, the value the person decided and the machine
value they saw (`was`; accepting the machine's value is a correction with value == was). The
latest correction of a cell counts. It is applied only while the machine still reads `was`
there: a later extraction that reads the cell otherwise makes it stale, which is said (issue
`correction_stale`) and sends the record back to review. The corrected record is verified
again: `human_verified` when every check passes, `source_inconsistent` when what still fails is
the source's own (every cell in it printed plainly or confirmed by a person), else
`needs_review`. A reader's doubt is settled once a person decided every cell it names.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional, Union

from extract import __version__
from extract.document import build_document
from extract.packing import dump_json, load_json
from extract.policy import FAILED, HUMAN_VERIFIED, STATUSES, VERIFIED, decide_status
from extract.reading import HUMAN, MISSING, Cell, Doubt, MetaField, Number, Reading
from extract.store import Store
from extract.template import VERSIONS, numeric_keys
from verify import Issue, Report, check_codes, verify_reading
from verify.numbers import same
from verify.report import EXTRACTION, INFO, WARNING

HUMAN_CONFIDENCE = "human"
STALE = "correction_stale"


@dataclass(frozen=True)
class Correction:
    sha256: str
    key: str
    value: Optional[Number]
    was: Optional[Number]
    note: str = ""
    by: str = ""
    at: float = 0.0
    tool_version: str = __version__
    source: str = ""            # the file and line it came from

    @property
    def accepts(self) -> bool:
        """The person kept the machine's value."""
        return _equal(self.value, self.was)


def add(store: Store, corrections: Iterable[Correction]) -> None:
    """Append corrections (the log is never rewritten)."""
    store.add_corrections([(c.sha256, c.key, dump_json(c.value) or "null", dump_json(c.was) or "null", c.note, c.by,
                            c.at or time.time(), c.tool_version, c.source) for c in corrections])


def by_document(store: Store) -> dict[str, list[Correction]]:
    """Every document's corrections, oldest first."""
    out: dict[str, list[Correction]] = {}
    for row in store.iter_corrections():
        out.setdefault(row[0], []).append(Correction(row[0], row[1], load_json(row[2]), load_json(row[3]), *row[4:]))
    return out


def records(store: Store, statuses: Optional[Iterable[str]] = None) -> Iterator[dict[str, Any]]:
    """The stored records as they stand after the corrections (one per input path, as
    `Store.iter_results` gives them), of these statuses."""
    wanted = set(statuses) if statuses is not None else None
    corrections = by_document(store)
    texts: dict[str, Optional[str]] = {}
    for record in store.iter_results():
        if record["sha256"] in corrections:
            if record["sha256"] not in texts:  # one document under several paths: its text read once
                texts[record["sha256"]] = store.get_text(record["sha256"])
            record = corrected(record, corrections[record["sha256"]], texts[record["sha256"]])
        if wanted is None or record["status"] in wanted:
            yield record


def count_by_status(store: Store) -> dict[str, int]:
    """The store's current records by status as they stand after the corrections (the machine's
    counts where nobody corrected anything)."""
    if not store.has_corrections():
        return {**dict.fromkeys(STATUSES, 0), **store.count_by_status()}
    counts = dict.fromkeys(STATUSES, 0)
    for record in records(store):
        counts[record["status"]] += 1
    counts[FAILED] += sum(1 for _ in store.iter_file_errors())
    return counts


def corrected(record: dict[str, Any], corrections: list[Correction], text: Optional[str]) -> dict[str, Any]:
    """The record with the corrections that still apply, verified again; the stale ones said."""
    version = record.get("format")
    if version not in VERSIONS:
        return record
    latest = {c.key: c for c in corrections}
    values = record["values"]
    applied = {k: c for k, c in latest.items() if k in values and _equal(values.get(k), c.was)}
    stale = [c for k, c in latest.items() if k not in applied]
    out = dict(record, values=dict(values), provenance=dict(record.get("provenance") or {}),
               confidence=dict(record.get("confidence") or {}), corrections=list(applied.values()), stale=stale)
    for key, c in applied.items():
        out["values"][key] = c.value
        out["provenance"][key] = {"method": HUMAN, "note": _note(c)}
        if c.value is None:
            out["confidence"].pop(key, None)
        else:
            out["confidence"][key] = HUMAN_CONFIDENCE
    reading = _reading(out, version, set(applied))
    report = verify_reading(reading, build_document(text) if text else None)
    issues = list(report.issues)
    issues += [Issue(i["code"], tuple(i["keys"]), i["message"], i["severity"], i.get("origin") or EXTRACTION)
               for i in record["issues"] if i["severity"] == INFO and i["code"] not in check_codes()]
    if stale:
        keys = tuple(c.key for c in stale)
        issues.append(Issue("correction_stale", keys, f"{len(keys)} corrections were made against another reading of these cells "
                            f"than the one now stored, so they are not applied: {', '.join(keys[:5])}",
                            WARNING, EXTRACTION))
    report = Report.of(issues)
    status, reason = decide_status(report)
    if status == VERIFIED and applied:
        status = HUMAN_VERIFIED
    out.update(status=status, reason=reason, issues=[dict(i.to_dict()) for i in report.issues])
    return out


def _reading(record: dict[str, Any], version: str, decided: set[str]) -> Reading:
    """The record's cells as a reading again, with its reader's doubts that a person has not
    settled (a doubt is settled once every cell it names was decided by a person)."""
    cells = {}
    for key in numeric_keys(version):
        where = record["provenance"].get(key)
        value = record["values"].get(key)
        cells[key] = MISSING if where is None else Cell(value, where["method"], where.get("start"), where.get("end"),
                                                        where.get("line"), where.get("note", ""))
    doubts = [Doubt(i["code"], tuple(i["keys"]), i["message"]) for i in record["issues"]
              if i["severity"] != INFO and i["code"] not in check_codes() and i["code"] != STALE
              and not (i["keys"] and _cells_named(version, i["keys"]) <= decided)]
    meta = record.get("provenance") or {}
    year = MetaField(record.get("year"), (meta.get("meta.year") or {}).get("method", "table"))
    agency = MetaField(record.get("agency"), (meta.get("meta.agency") or {}).get("method", "table"))
    return Reading("corrected", version, year, agency, cells, doubts)


def _cells_named(version: str, keys: Iterable[str]) -> set[str]:
    """The cells of a doubt's keys, 'row.*' expanded to the cells under it."""
    out: set[str] = set()
    for key in keys:
        out.update((k for k in numeric_keys(version) if k.startswith(key[:-1])) if key.endswith(".*") else (key,))
    return out


def _note(c: Correction) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(c.at)) if c.at else "?"
    said = "accepted" if c.accepts else f"corrected (was {c.was})"
    return f"{said} by {c.by or '?'} on {when}" + (f": {c.note}" if c.note else "")


def _equal(a: Union[Number, None], b: Union[Number, None]) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return same(a, b)


def to_line(c: Correction) -> str:
    """A correction as the JSONL a review page saves."""
    return json.dumps({"sha256": c.sha256, "key": c.key, "value": c.value, "was": c.was, "note": c.note},
                      ensure_ascii=False)
