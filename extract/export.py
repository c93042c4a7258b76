"""Stored records → the export interface (JSONL and CSV) that downstream users rely on."""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Optional, TextIO, Union

from extract import corrections, template
from extract.across import agency_keys, report_groups
from extract.agency import agency_key
from extract.policy import FAILED, HUMAN_VERIFIED, NEEDS_REVIEW, SOURCE_INCONSISTENT, VERIFIED
from extract.store import Store


@dataclass(frozen=True)
class ExportMeta:
    year: Optional[int] = None          # the year reported on, not the year published
    agency: Optional[str] = None        # the publishing agency's name
    format: Optional[str] = None        # the template version under its first name, kept for existing users
    template_version: Optional[str] = None  # '2019' | '2021', from the tables' headers (the same as `format`)
    agency_key: Optional[str] = None    # the agency across years and copies (extract/agency.py)


@dataclass(frozen=True)
class ExportIssue:
    code: str
    keys: list[str]
    message: str
    severity: str = "error"
    expected: Optional[float] = None
    found: Optional[float] = None
    origin: Optional[str] = None        # 'source': the agency's own text; 'extraction': our reading


@dataclass(frozen=True)
class ExportWhere:
    """Where a cell's value came from: how it was read, and the text at its span of the stored text."""

    method: str                          # extract.reading's methods: table, blank, split, positional, …
    line: Optional[int] = None
    start: Optional[int] = None
    end: Optional[int] = None
    printed: Optional[str] = None        # text[start:end]; None where the value is not printed at one place


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
    provenance: dict[str, ExportWhere] = field(default_factory=dict)
    copies: list[str] = field(default_factory=list)   # --dedupe: the other paths of the same report

    def to_dict(self, copies: bool = False) -> dict[str, Any]:
        out = asdict(self)
        if not copies:
            del out["copies"]
        return out


def export(store: Store, out: TextIO, format: str = "jsonl", labels: str = "keys", long: bool = False,
           statuses: Optional[set[str]] = None, dedupe: bool = False) -> int:
    """The store's records (of these statuses) written to `out`; how many. `dedupe`: one per report
    (a content under several paths, copies of one report: the best, the others' paths named)."""
    errors = store.iter_file_errors() if statuses is None or FAILED in statuses else iter(())
    # Each record's text is read once (not once per cell); a document stored under several paths
    # whose paths sort near each other, once for them all.
    rows = with_agency_keys(store, deduped(store, statuses) if dedupe else corrections.records(store, statuses))
    records = export_records(rows, errors, lru_cache(maxsize=16)(store.get_text))
    if long:
        return write_long(records, out)
    if format == "csv":
        return write_csv(records, out, labels=labels, copies=dedupe)
    return write_jsonl(records, out, copies=dedupe)


def with_agency_keys(store: Store, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The records with their agency keys, as `check` groups them (`across.agency_keys`)."""
    keys = agency_keys(store)
    for row in rows:
        yield dict(row, agency_key=keys.get(row["sha256"]) or agency_key(row.get("agency")))


_RANK = {HUMAN_VERIFIED: 0, VERIFIED: 0, SOURCE_INCONSISTENT: 1, NEEDS_REVIEW: 2, FAILED: 3}


def deduped(store: Store, statuses: Optional[set[str]] = None) -> Iterator[dict[str, Any]]:
    """One record per report: of the paths of one content and of the copies of one report
    (`across.report_groups`), the best (its status, then the most values, then the first path),
    with the others' paths as `copies`."""
    groups = report_groups(store)
    members: dict[str, list[tuple[tuple, str]]] = {}
    for record in corrections.records(store, statuses):
        sha = record["sha256"]
        filled = sum(v is not None for v in record["values"].values())
        members.setdefault(groups.get(sha, sha), []).append(
            ((_RANK.get(record["status"], 9), -filled, record["path"]), record["path"]))
    best = {group: min(found)[1] for group, found in members.items()}
    for record in corrections.records(store, statuses):
        group = groups.get(record["sha256"], record["sha256"])
        if record["path"] == best[group]:
            yield dict(record, copies=sorted(path for _, path in members[group] if path != record["path"]))


CSV_HEAD = ["path", "sha256", "status", "reason", "year", "agency", "template_version", "issue_codes"]
CSV_HEAD_ZH = ["文件", "sha256", "状态", "原因", "年度", "机关", "模板版本", "问题代码"]
LONG_HEAD = ["path", "sha256", "status", "template_version", "key", "label", "value", "state", "confidence",
             "method", "line", "printed"]


def export_records(results: Iterable[dict[str, Any]], file_errors: Iterable[dict[str, Any]],
                   get_text: Optional[Callable[[str], Optional[str]]] = None) -> Iterator[ExportRecord]:
    """Each stored result, then each unreadable input, as the export's record; `get_text` (a
    document's stored text by sha256) gives each cell's printed text."""
    for row in results:
        version = row.get("format")
        values = _values_for(version, row.get("values") or {})
        yield ExportRecord(
            path=row["path"], sha256=row["sha256"], status=row["status"], reason=row.get("reason"),
            meta=ExportMeta(row.get("year"), row.get("agency"), version, version, row.get("agency_key")),
            values=values,
            issues=[ExportIssue(issue["code"], list(issue["keys"]), issue["message"], issue.get("severity") or "error",
                                _float(issue.get("expected")), _float(issue.get("found")), issue.get("origin"))
                    for issue in row.get("issues") or []],
            confidence=row.get("confidence") or {},
            provenance=_where(values, row.get("provenance") or {}, get_text, row["sha256"]),
            copies=list(row.get("copies") or ()),
        )
    for row in file_errors:
        # An input that could not even be read still gets its record, with the reason.
        yield ExportRecord(path=row["path"], sha256="", status=FAILED, reason=row.get("error"), meta=ExportMeta(),
                           values={})


def _where(values: dict[str, Any], provenance: dict[str, Any], get_text: Optional[Callable[[str], Optional[str]]],
           sha256: str) -> dict[str, ExportWhere]:
    """The provenance of each cell with a value, with the text printed at its span."""
    out: dict[str, ExportWhere] = {}
    text: Optional[str] = None
    read = False
    for key in values:
        entry = provenance.get(key)
        if not entry:
            continue
        start, end = entry.get("start"), entry.get("end")
        printed = None
        if isinstance(start, int) and isinstance(end, int):
            if not read:  # only a record with a printed cell reads its text, and once
                text, read = get_text(sha256) if get_text else None, True
            printed = None if text is None else text[start:end]
        out[key] = ExportWhere(entry.get("method") or "", entry.get("line"), start, end, printed)
    return out


def _float(value: Optional[float]) -> Optional[float]:
    return None if value is None else float(value)


def _values_for(version: str | None, values: dict[str, Any]) -> dict[str, Any]:
    if version not in template.VERSIONS:
        return {}
    return {key: values.get(key) for key in template.numeric_keys(version)}


def write_jsonl(records: Iterable[ExportRecord], out: TextIO, copies: bool = False) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record.to_dict(copies), ensure_ascii=False) + "\n")
        count += 1
    return count


def _blank(value: Any) -> Any:
    return "" if value is None else value


BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it


def chinese_labels() -> dict[str, str]:
    """Each column's Chinese label, with its unit where it has one ('本年收费金额（万元）')."""
    out: dict[str, str] = {}
    for version in reversed(template.VERSIONS):  # a key of both versions: its 2021 label
        for key, label in template.labels(version).items():
            out.setdefault(key, label.replace(" / ", " "))
    return out


def write_csv(records: Iterable[ExportRecord], out: TextIO, labels: str = "keys", copies: bool = False) -> int:
    """One row per document; the canonical keys of both versions as columns, in template order."""
    keys = template.template_order()
    writer = csv.writer(out, lineterminator="\n")
    out.write(BOM)
    names = chinese_labels() if labels == "zh" else {}
    head = CSV_HEAD_ZH if labels == "zh" else CSV_HEAD
    writer.writerow(head + [names.get(k, k) for k in keys] + (["copies"] if copies else []))
    count = 0
    for r in records:
        codes = ";".join(sorted({i.code for i in r.issues}))
        row: list[Any] = [r.path, r.sha256, r.status, r.reason or "", r.meta.year or "", r.meta.agency or "",
                          r.meta.template_version or "", codes]
        writer.writerow(row + ["" if r.values.get(k) is None else r.values[k] for k in keys]
                        + ([";".join(r.copies)] if copies else []))
        count += 1
    return count


def write_long(records: Iterable[ExportRecord], out: TextIO) -> int:
    """One row per document and cell of either template: `state` says whether the cell is
    'printed' (a value), 'not_printed' (the template has it, the source gives no value) or
    'not_in_template' (the document follows the other version); `method`, `line` and `printed`
    say how the value was read and where (`printed`: the text at its span)."""
    keys = template.template_order()
    names = chinese_labels()
    writer = csv.writer(out, lineterminator="\n")
    out.write(BOM)
    writer.writerow(LONG_HEAD)
    count = 0
    for r in records:
        version = r.meta.template_version or ""
        own = set(template.numeric_keys(version)) if version in template.VERSIONS else set()
        for key in keys:
            value = r.values.get(key)
            state = "not_in_template" if key not in own else ("printed" if value is not None else "not_printed")
            where = r.provenance.get(key)
            writer.writerow([r.path, r.sha256, r.status, version, key, names.get(key, key),
                             "" if value is None else value, state, r.confidence.get(key, ""),
                             where.method if where else "", _blank(where.line if where else None),
                             _blank(where.printed if where else None)])
        count += 1
    return count
