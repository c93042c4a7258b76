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

import time
from dataclasses import dataclass
from collections import OrderedDict
from typing import Any, Collection, Iterable, Iterator, Optional, Union

from extract import __version__
from extract.document import build_document
from extract.packing import encode_json, load_json
from extract.policy import HUMAN_VERIFIED, STATUSES, VERIFIED, decide_status
from extract.reading import COPY, HUMAN, MISSING, Cell, Doubt, MetaField, Number, Reading
from extract.store import Store
from extract.template import VERSIONS, cells_named, numeric_keys
from verify import Issue, Report, check_codes, verify_reading
from verify.numbers import same
from verify.report import EXTRACTION, INFO, WARNING

_CHECKED = check_codes()  # what verifying the corrected reading gives anew (the rest is carried over)
_KEEP = 64  # corrected records held for a document's other paths (paths come in path order, not by document)
HUMAN_CONFIDENCE = "human"
COPY_CONFIDENCE = "copy"
_CROSS_DOUBTS = frozenset({"copies_disagree"})   # what `check` found that weighs on a record's status
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
    store.add_corrections([(c.sha256, c.key, encode_json(c.value), encode_json(c.was), c.note, c.by,
                            c.at or time.time(), c.tool_version, c.source) for c in corrections])


def by_document(store: Store) -> dict[str, list[Correction]]:
    """Every document's corrections, oldest first."""
    out: dict[str, list[Correction]] = {}
    for row in store.iter_corrections():
        out.setdefault(row[0], []).append(Correction(row[0], row[1], load_json(row[2]), load_json(row[3]), *row[4:]))
    return out


def records(store: Store, statuses: Optional[Iterable[str]] = None,
            shas: Optional[Collection[str]] = None, across: bool = True) -> Iterator[dict[str, Any]]:
    """The stored records as they stand after the corrections and, with `across`, the cells copies
    of the same report fill (`govreport check`); one per input path, as `Store.iter_results` gives
    them, of these statuses and, if given, of these documents only. A corrected record also says its
    machine status (`machine_status`)."""
    return _records(store, _Revisits.of(store, across), statuses, shas)


@dataclass
class _Revisits:
    """What makes a stored record stand otherwise than the machine left it: people's corrections,
    the cells copies of the same report fill (`govreport check`), and copies that disagree."""

    corrections: dict[str, list[Correction]]
    fills: dict[str, dict[str, tuple[Any, str]]]
    disputed: set[str]   # documents a copy disagrees with

    @classmethod
    def of(cls, store: Store, across: bool = True) -> "_Revisits":
        """`across`: with what the last `check` found (without: the records as people left them)."""
        if not across:
            return cls(by_document(store), {}, set())
        disputed = {sha for sha, issues in store.cross_issue_map().items()
                    if any(i["code"] in _CROSS_DOUBTS for i in issues)}
        return cls(by_document(store), store.copy_fill_map(), disputed)

    def __contains__(self, sha: str) -> bool:
        return sha in self.corrections or sha in self.fills or sha in self.disputed

    def __bool__(self) -> bool:
        return bool(self.corrections or self.fills or self.disputed)

    def shas(self) -> set[str]:
        return set(self.corrections) | set(self.fills) | self.disputed


def _records(store: Store, revisits: _Revisits, statuses: Optional[Iterable[str]],
             shas: Optional[Collection[str]]) -> Iterator[dict[str, Any]]:
    wanted = set(statuses) if statuses is not None else None
    # The status is the store's to filter unless a correction may have changed it.
    machine = wanted if not revisits else None
    done: OrderedDict[str, dict[str, Any]] = OrderedDict()  # a document under several paths: corrected once
    for record in store.iter_results(machine, shas):
        sha = record["sha256"]
        if sha in revisits:
            if sha not in done:
                done[sha] = corrected(record, revisits.corrections.get(sha, []), store.get_text(sha),
                                      revisits.fills.get(sha, {}))
                if len(done) > _KEEP:
                    done.popitem(last=False)
            record = dict(done[sha], path=record["path"])
        if wanted is None or record["status"] in wanted:
            yield record


def count_by_status(store: Store) -> dict[str, int]:
    """The store's current records by status as they stand after the corrections: the machine's
    counts, each corrected record moved from its machine status to its status now."""
    counts = {**dict.fromkeys(STATUSES, 0), **store.count_by_status()}
    revisits = _Revisits.of(store)
    if not revisits:
        return counts
    for record in _records(store, revisits, None, revisits.shas()):
        counts[record.get("machine_status", record["status"])] -= 1
        counts[record["status"]] += 1
    return counts


def corrected(record: dict[str, Any], corrections: list[Correction], text: Optional[str],
              fills: Optional[dict[str, tuple[Any, str]]] = None) -> dict[str, Any]:
    """The record with the corrections that still apply and the cells copies fill, verified again;
    the stale corrections said. A person's decision on a cell wins over a copy's value."""
    version = record.get("format")
    if version not in VERSIONS:
        return record
    latest = {c.key: c for c in corrections}
    values = record["values"]
    applied = {k: c for k, c in latest.items() if k in values and _equal(values.get(k), c.was)}
    stale = [c for k, c in latest.items() if k not in applied]
    options = dict(record.get("options") or {})
    filled = {k: fill for k, fill in (fills or {}).items()
              if k not in applied and values.get(k) is None and any(_equal(fill[0], r) for r in options.get(k, ()))}
    out = dict(record, values=dict(values), provenance=dict(record.get("provenance") or {}),
               confidence=dict(record.get("confidence") or {}), corrections=list(applied.values()), stale=stale,
               options={k: v for k, v in options.items() if k not in filled})
    for key, (value, copy) in filled.items():
        out["values"][key] = value
        out["provenance"][key] = {"method": COPY, "copy_sha256": copy,
                                  "note": f"printed plainly by a copy of this report ({copy[:12]}); one of the "
                                          "readings of this text"}
        out["confidence"][key] = COPY_CONFIDENCE
    for key, c in applied.items():
        out["values"][key] = c.value
        out["provenance"][key] = {"method": HUMAN, "note": _note(c)}
        if c.value is None:
            out["confidence"].pop(key, None)
        else:
            out["confidence"][key] = HUMAN_CONFIDENCE
    reading = _reading(out, version, set(applied) | set(filled))
    report = verify_reading(reading, build_document(text) if text else None)
    issues = list(report.issues)
    issues += [Issue(i["code"], tuple(i["keys"]), i["message"], i["severity"], i.get("origin") or EXTRACTION,
                     i.get("expected"), i.get("found"))
               for i in record["issues"] if (i["severity"] == INFO and i["code"] not in _CHECKED)
               or i["code"] in _CROSS_DOUBTS]
    if stale:
        keys = tuple(c.key for c in stale)
        issues.append(Issue("correction_stale", keys, f"{len(keys)} corrections were made against another reading of these cells "
                            f"than the one now stored, so they are not applied: {', '.join(keys[:5])}",
                            WARNING, EXTRACTION))
    report = Report.of(issues)
    status, reason = decide_status(report)
    if status == VERIFIED and applied:
        status = HUMAN_VERIFIED
    out.update(machine_status=record["status"], status=status, reason=reason, issues=[dict(i.to_dict()) for i in report.issues])
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
              if i["severity"] != INFO and i["code"] not in _CHECKED and i["code"] != STALE
              and i["code"] not in _CROSS_DOUBTS
              and not (i["keys"] and {c for k in i["keys"] for c in cells_named(version, k)} <= decided)]
    meta = record.get("provenance") or {}
    year = MetaField(record.get("year"), (meta.get("meta.year") or {}).get("method", "table"))
    agency = MetaField(record.get("agency"), (meta.get("meta.agency") or {}).get("method", "table"))
    return Reading("corrected", version, year, agency, cells, doubts)


def _note(c: Correction) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(c.at)) if c.at else "?"
    said = "accepted" if c.accepts else f"corrected (was {c.was})"
    return f"{said} by {c.by or '?'} on {when}" + (f": {c.note}" if c.note else "")


def _equal(a: Union[Number, None], b: Union[Number, None]) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return same(a, b)
