"""Stored records → the export interface (JSONL and CSV) that downstream users rely on."""
from __future__ import annotations

import csv
import json
from typing import Any, Iterable, Iterator, TextIO

from extract import fields
from extract.schema import ExportRecord

CSV_HEAD = ["path", "sha256", "status", "reason", "year", "agency", "format", "issue_codes"]
CSV_HEAD_ZH = ["文件", "sha256", "状态", "原因", "年度", "机关", "模板版本", "问题代码"]
LONG_HEAD = ["path", "sha256", "status", "format", "key", "label", "value", "state", "confidence"]


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


BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it


def chinese_labels() -> dict[str, str]:
    """Each column's Chinese label, with its unit ('本年收费金额（万元）', counts in 件/项)."""
    out = {}
    for fmt in reversed(fields.FORMATS):
        for key, label in fields.labels(fmt).items():
            unit = "（万元）" if key in fields.money_keys() and "万元" not in label else ""
            out.setdefault(key, label.replace(" / ", " ").replace("（单位：万元）", "") + unit)
    return out


def write_csv(records: Iterable[ExportRecord], out: TextIO, labels: str = "keys") -> int:
    """One row per document; the canonical keys of both versions as columns, in template order."""
    keys = fields.template_order()
    writer = csv.writer(out, lineterminator="\n")
    out.write(BOM)
    names = chinese_labels() if labels == "zh" else {}
    head = CSV_HEAD_ZH if labels == "zh" else CSV_HEAD
    writer.writerow(head + [names.get(k, k) for k in keys])
    count = 0
    for r in records:
        codes = ";".join(sorted({i.code for i in r.issues}))
        head = [r.path, r.sha256, r.status, r.reason or "", r.meta.year or "", r.meta.agency or "",
                r.meta.format or "", codes]
        writer.writerow(head + ["" if r.values.get(k) is None else r.values[k] for k in keys])
        count += 1
    return count


def write_long(records: Iterable[ExportRecord], out: TextIO) -> int:
    """One row per document and cell of either template: `state` says whether the cell is
    'printed' (a value), 'not_printed' (the template has it, the source gives no value) or
    'not_in_template' (the document follows the other version)."""
    keys = fields.template_order()
    names = chinese_labels()
    writer = csv.writer(out, lineterminator="\n")
    out.write(BOM)
    writer.writerow(LONG_HEAD)
    count = 0
    for r in records:
        fmt = r.meta.format or ""
        own = set(fields.numeric_keys(fmt)) if fmt in fields.FORMATS else set()
        for key in keys:
            value = r.values.get(key)
            state = "not_in_template" if key not in own else ("printed" if value is not None else "not_printed")
            writer.writerow([r.path, r.sha256, r.status, fmt, key, names.get(key, key),
                             "" if value is None else value, state, r.confidence.get(key, "")])
        count += 1
    return count
