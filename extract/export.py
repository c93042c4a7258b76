"""Stored records → the export interface (JSONL and CSV) that downstream users rely on."""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Iterator, Optional, TextIO, Union

from extract import template
from extract.policy import FAILED
from extract.store import Store


@dataclass(frozen=True)
class ExportMeta:
    year: Optional[int] = None          # the year reported on, not the year published
    agency: Optional[str] = None        # the publishing agency's name
    format: Optional[str] = None        # the template version ('2019' | '2021'), from the tables' headers


@dataclass(frozen=True)
class ExportIssue:
    code: str
    keys: list[str]
    message: str
    severity: str = "error"
    expected: Optional[float] = None
    found: Optional[float] = None


@dataclass(frozen=True)
class ExportRecord:
    """One document in the JSONL export; the interface downstream users rely on (its fields, in
    this order, are the JSON object's)."""

    path: str
    sha256: str
    status: str                          # verified | source_inconsistent | needs_review | failed
    reason: Optional[str]
    meta: ExportMeta
    values: dict[str, Optional[Union[int, float]]]
    issues: list[ExportIssue] = field(default_factory=list)
    confidence: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def export(store: Store, out: TextIO, format: str = "jsonl", labels: str = "keys", long: bool = False,
           statuses: Optional[set[str]] = None) -> int:
    """The store's records (of these statuses) written to `out`; how many."""
    errors = store.iter_file_errors() if statuses is None or FAILED in statuses else iter(())
    records = export_records(store.iter_results(statuses), errors)
    if long:
        return write_long(records, out)
    if format == "csv":
        return write_csv(records, out, labels=labels)
    return write_jsonl(records, out)

CSV_HEAD = ["path", "sha256", "status", "reason", "year", "agency", "format", "issue_codes"]
CSV_HEAD_ZH = ["文件", "sha256", "状态", "原因", "年度", "机关", "模板版本", "问题代码"]
LONG_HEAD = ["path", "sha256", "status", "format", "key", "label", "value", "state", "confidence"]


def export_records(results: Iterable[dict[str, Any]], file_errors: Iterable[dict[str, Any]]) -> Iterator[ExportRecord]:
    for row in results:
        yield ExportRecord(
            path=row["path"], sha256=row["sha256"], status=row["status"], reason=row.get("reason"),
            meta=ExportMeta(row.get("year"), row.get("agency"), row.get("format")),
            values=_values_for(row.get("format"), row.get("values") or {}),
            issues=[ExportIssue(issue["code"], list(issue["keys"]), issue["message"], issue.get("severity") or "error",
                                _float(issue.get("expected")), _float(issue.get("found")))
                    for issue in row.get("issues") or []],
            confidence=row.get("confidence") or {},
        )
    for row in file_errors:
        # An input that could not even be read still gets its record, with the reason.
        yield ExportRecord(path=row["path"], sha256="", status=FAILED, reason=row.get("error"), meta=ExportMeta(),
                           values={})


def _float(value: Optional[float]) -> Optional[float]:
    return None if value is None else float(value)


def _values_for(version: str | None, values: dict[str, Any]) -> dict[str, Any]:
    if version not in template.VERSIONS:
        return {}
    return {key: values.get(key) for key in template.numeric_keys(version)}


def write_jsonl(records: Iterable[ExportRecord], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it


def chinese_labels() -> dict[str, str]:
    """Each column's Chinese label, with its unit ('本年收费金额（万元）', counts in 件/项)."""
    out = {}
    for version in reversed(template.VERSIONS):
        for key, label in template.labels(version).items():
            unit = "（万元）" if key in template.money_keys() and "万元" not in label else ""
            out.setdefault(key, label.replace(" / ", " ").replace("（单位：万元）", "") + unit)
    return out


def write_csv(records: Iterable[ExportRecord], out: TextIO, labels: str = "keys") -> int:
    """One row per document; the canonical keys of both versions as columns, in template order."""
    keys = template.template_order()
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
    keys = template.template_order()
    names = chinese_labels()
    writer = csv.writer(out, lineterminator="\n")
    out.write(BOM)
    writer.writerow(LONG_HEAD)
    count = 0
    for r in records:
        version = r.meta.format or ""
        own = set(template.numeric_keys(version)) if version in template.VERSIONS else set()
        for key in keys:
            value = r.values.get(key)
            state = "not_in_template" if key not in own else ("printed" if value is not None else "not_printed")
            writer.writerow([r.path, r.sha256, r.status, version, key, names.get(key, key),
                             "" if value is None else value, state, r.confidence.get(key, "")])
        count += 1
    return count
