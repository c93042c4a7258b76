"""Policy: read a file, extract, verify, decide the record's status, store everything.

The only module that decides. Extractors propose readings, the verifier reports issues, and
this module turns them into one record per document with a status a user can rely on:

- verified            complete, grounded, every relation holds; a promise, so any doubt at all
                      (a lost cell filled by arithmetic, a row placed by position) withholds it
- source_inconsistent faithful to the source, but the source itself breaks a relation
- needs_review        anything uncertain; the issues say what to look at
- failed              unreadable, or not such a report
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from extract import fields
from extract.errors import InputError
from extract.parsers import parse_normalized
from extract.record import Extraction
from extract.store import Store
from extract.text import MAX_BYTES_DEFAULT, decode_bytes, normalize
from verify import Report, verify_extraction

VERIFIED, SOURCE_INCONSISTENT, NEEDS_REVIEW, FAILED = "verified", "source_inconsistent", "needs_review", "failed"
# Provenance that is sound but not read straight off a printed cell: a human should glance.
REVIEW_INFO_CODES = frozenset({"cell_positional", "cell_split", "cell_inferred"})
_REPORT_WORDS = ("政府信息公开", "政务公开", "信息公开")


@dataclass(frozen=True)
class Settings:
    max_bytes: int = MAX_BYTES_DEFAULT
    force: bool = False


@dataclass
class Outcome:
    path: str
    status: str            # one of the four statuses, or "skipped" (already done)
    reason: str = ""
    sha256: Optional[str] = None
    llm_calls: int = 0
    cache_hits: int = 0
    tokens: dict[str, int] = field(default_factory=dict)


def process_file(path: Path, store: Store, run_id: int, settings: Settings = Settings()) -> Outcome:
    """One input file → one stored record (failures included), unless it is already done."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or exc}"
        store.record_file(name, None, None, reason)
        return Outcome(name, FAILED, reason)
    sha = hashlib.sha256(data).hexdigest()
    with store.transaction():
        store.record_file(name, sha, len(data))
        if store.is_done(sha) and not settings.force:
            return Outcome(name, "skipped", sha256=sha)
        try:
            decoded = decode_bytes(data, settings.max_bytes)
        except InputError as exc:
            store.add_document(sha, name, len(data), None, None)
            store.save_result(sha, status=FAILED, reason=str(exc), run_id=run_id)
            return Outcome(name, FAILED, str(exc), sha)
        store.add_document(sha, name, len(data), decoded.text, decoded.encoding)
        return extract_document(sha, name, decoded.text, store, run_id)


@dataclass
class Assessment:
    """One document's chosen reading, its verification, and the status they earn."""

    extraction: Extraction
    report: Optional[Report]
    status: str
    reason: str


def assess_text(text: str) -> Assessment:
    """Parse and verify a decoded report; no store involved."""
    norm = normalize(text)
    extraction = parse_normalized(norm)
    not_report = why_not_a_report(norm, extraction)
    if not_report:
        return Assessment(extraction, None, FAILED, not_report)
    report = verify_extraction(extraction, norm)
    status, reason = decide_status(report)
    return Assessment(extraction, report, status, reason)


def extract_document(sha: str, name: str, text: str, store: Store, run_id: int) -> Outcome:
    """Parse, verify, decide, store. `text` is the decoded (not yet normalised) source."""
    started = time.perf_counter()
    found = assess_text(text)
    extraction = found.extraction
    store.add_attempt(sha, run_id, "parsers", latency_s=time.perf_counter() - started,
                      result=extraction_to_dict(extraction))
    store.save_result(
        sha, status=found.status, reason=found.reason, format=extraction.format, year=extraction.year.value,
        agency=extraction.agency.value, chosen=extraction.method,
        values=record_values(extraction), provenance=provenance_of(extraction),
        confidence={key: "parsers_only" for key, cell in extraction.cells.items() if cell.value is not None},
        issues=found.report.to_dicts() if found.report else [], run_id=run_id)
    return Outcome(name, found.status, found.reason, sha)


def why_not_a_report(norm: str, extraction: Extraction) -> str:
    """A one-line reason when the text is not an annual report we can read at all."""
    has_values = any(cell.value is not None for cell in extraction.cells.values())
    if has_values:
        return ""
    if not any(word in norm for word in _REPORT_WORDS):
        return "not an annual report on open government information (no 政府信息公开, no template tables)"
    if extraction.format is None:
        return "no report tables found (no 第二十条 / 申请 / 复议 table headers): not a template annual report"
    return "no table values could be read: the text holds the headings but none of the tables' numbers"


def decide_status(report: Report) -> tuple[str, str]:
    """Policy over the verifier's report: the status and a one-line reason."""
    doubtful = [i for i in report.issues if i.origin == "extraction" and
                (i.severity in ("error", "warning") or i.code in REVIEW_INFO_CODES)]
    if doubtful:
        return NEEDS_REVIEW, summarize(doubtful)
    source = [i for i in report.issues if i.origin == "source" and i.severity in ("error", "warning")]
    if source:
        return SOURCE_INCONSISTENT, "the source itself: " + summarize(source)
    return VERIFIED, ""


def summarize(issues: list, limit: int = 3) -> str:
    parts = [i.message if i.message.startswith(i.code) else f"{i.code}: {i.message}" for i in issues[:limit]]
    more = f" (+{len(issues) - limit} more)" if len(issues) > limit else ""
    return "; ".join(parts) + more


def record_values(extraction: Extraction) -> dict[str, Any]:
    """Exactly the keys of fields.json for the record's format, in its order."""
    if extraction.format is None:
        return {}
    return {key: extraction.cells[key].value if key in extraction.cells else None
            for key in fields.numeric_keys(extraction.format)}


def provenance_of(extraction: Extraction) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, cell in extraction.cells.items():
        if cell.value is None:
            continue
        entry: dict[str, Any] = {"method": cell.method}
        if cell.start is not None:
            entry.update(start=cell.start, end=cell.end, line=cell.line)
        if cell.note:
            entry["note"] = cell.note
        out[key] = entry
    for name in ("year", "agency"):
        meta = getattr(extraction, name)
        out[f"meta.{name}"] = {"method": meta.method, "start": meta.start, "end": meta.end}
    return out


def extraction_to_dict(extraction: Extraction) -> dict[str, Any]:
    """What an attempt produced, kept in full in the store."""
    return {
        "method": extraction.method,
        "format": extraction.format,
        "meta": {"year": extraction.year.value, "agency": extraction.agency.value},
        "values": {key: cell.value for key, cell in extraction.cells.items()},
        "doubts": [{"code": d.code, "keys": list(d.keys), "message": d.message} for d in extraction.doubts],
    }
