"""Stored records → the export interface (JSONL and CSV) that downstream users rely on."""
from __future__ import annotations

import csv
import json
from typing import Any, Iterable, Iterator, TextIO

from extract import fields
from extract.schema import ExportRecord

CSV_HEAD = ["path", "sha256", "status", "reason", "year", "agency", "format", "issue_codes"]


def export_records(results: Iterable[dict[str, Any]], file_errors: Iterable[dict[str, Any]]) -> Iterator[ExportRecord]:
    for row in results:
        yield ExportRecord(
            path=row["path"], sha256=row["sha256"], status=row["status"], reason=row.get("reason"),
            meta={"year": row.get("year"), "agency": row.get("agency"), "format": row.get("format")},
            values=_values_for(row.get("format"), row.get("values") or {}),
            issues=[{k: issue.get(k) for k in ("code", "keys", "message", "severity", "expected", "found")}
                    for issue in row.get("issues") or []],
            confidence=row.get("confidence") or {},
        )
    for row in file_errors:
        # An input that could not even be read still gets its record, with the reason.
        yield ExportRecord(path=row["path"], sha256="", status="failed", reason=row.get("error"),
                           meta={}, values={}, issues=[])


def _values_for(fmt: str | None, values: dict[str, Any]) -> dict[str, Any]:
    if fmt not in fields.FORMATS:
        return {}
    return {key: values.get(key) for key in fields.numeric_keys(fmt)}


def write_jsonl(records: Iterable[ExportRecord], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record.model_dump(), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[ExportRecord], out: TextIO) -> int:
    """One row per document; the canonical keys of both versions as columns."""
    keys = fields.all_numeric_keys()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEAD + list(keys))
    count = 0
    for r in records:
        codes = ";".join(sorted({i.code for i in r.issues}))
        head = [r.path, r.sha256, r.status, r.reason or "", r.meta.year or "", r.meta.agency or "",
                r.meta.format or "", codes]
        writer.writerow(head + ["" if r.values.get(k) is None else r.values[k] for k in keys])
        count += 1
    return count
