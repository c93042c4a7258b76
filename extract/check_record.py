"""A record made elsewhere (an export line, a gold file, a hand-made record) checked as the
verifier checks a reading: its values are claims, judged against its source text when given.

The source goes through the same first stage as any input (`extract.process.read`: decoded,
its document model built, read by the parsers). A value the parsers read at a printed place
takes that place (and is grounded there); any other value is the record's claim, not the
source's print, and is said to be so.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from extract.document import Document
from extract.errors import InputError, UsageError
from extract.policy import decide_status
from extract.process import Parsed, read
from extract.progress import plural
from extract.settings import MAX_BYTES_DEFAULT
from extract.reading import CLAIMED, READ, Cell
from extract.template import VERSIONS
from verify import Issue, Report, verify_cells
from verify.numbers import is_number, same
from verify.report import EXTRACTION, SERIOUS, WARNING


@dataclass
class Verdict:
    name: str
    status: str
    reason: str
    report: Report

    @property
    def serious(self) -> bool:
        """Whether the verifier found an error or a warning."""
        return any(i.severity in SERIOUS for i in self.report.issues)


def read_records(path: Path) -> Union[list[Any], str]:
    """The records of a JSON file (one object), or of JSONL (any name: an export saved as .json
    holds one object a line); a string says why there are none."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}"
    try:
        whole = json.loads(raw)
    except json.JSONDecodeError:
        whole = None
        try:
            records = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            return f"{path} is neither JSON nor JSON lines ({exc.msg} at line {exc.lineno})"
    else:
        records = [whole]
    if whole is not None and isinstance(whole, list):
        return f"{path} holds a JSON array; pass one record, or JSON lines (one record a line)"
    if not records:
        return f"{path} holds no record"
    return records


def record_version(record: Any) -> Optional[str]:
    """The record's template version, if it is a record at all (meta.template_version, or
    meta.format as records written before it say, and values)."""
    if not isinstance(record, dict) or not isinstance(record.get("values"), dict):
        return None
    meta = record.get("meta") or {}
    version = str(meta.get("template_version") or meta.get("format") or "")
    return version if version in VERSIONS else None


def check_file(path: Path, text: Optional[Path] = None) -> Iterator[Union[Verdict, str]]:
    """Each record of the file's Verdict, in order (against the source `text`, if given); at the
    first that is no record, a line saying so, and no more. UsageError when the file holds no
    record or the text cannot be read."""
    records = read_records(path)
    if isinstance(records, str):
        raise UsageError(records)
    source: Optional[Parsed] = None
    if text is not None:
        try:
            source = read(text.name, text.read_bytes(), MAX_BYTES_DEFAULT)
        except (OSError, InputError) as exc:
            raise UsageError(f"cannot read --text {text}: {getattr(exc, 'strerror', None) or exc}") from exc
    yield from verify_records(records, source, str(path))


def verify_records(records: list[Any], source: Optional[Parsed], name: str) -> Iterator[Union[Verdict, str]]:
    """Each record's Verdict, in order; at the first that is no record, a line saying so, and no more."""
    document = source.document if source is not None else None
    read_cells = source.reading.cells if source is not None else None
    for number, record in enumerate(records, start=1):
        version = record_version(record)
        if version is None:
            yield f"{name}: record {number} is not a record (an object with meta.format 2019|2021 and values)"
            return
        yield verify_record(record, version, document, read_cells, name)


def verify_record(record: dict, version: str, document: Optional[Document], read: Optional[dict[str, Cell]],
                  name: str) -> Verdict:
    """The verifier's report on a record's values (with its source's document and the parsers'
    cells of it, if given), and the status the policy gives it."""
    cells = as_printed(record["values"], read)
    report = verify_cells(version, cells, document)
    differ = [k for k, c in cells.items() if c.method == CLAIMED and c.value is not None]
    if differ:
        note = Issue("not_as_printed", tuple(differ), f"{plural(len(differ), 'value')} of the record are not "
                     f"what the text prints there (or the text's cell was not read): {', '.join(differ[:5])}",
                     WARNING, EXTRACTION)
        report = Report.of([*report.issues, note])
    status, reason = decide_status(report)
    return Verdict(record.get("path") or name, status, reason, report)


def as_printed(values: dict, read: Optional[dict[str, Cell]]) -> dict[str, Cell]:
    """A bare record's values as cells: where the parsers read the same value, their cell."""
    if read is None:
        return {k: Cell(v, READ) for k, v in values.items()}
    out = {}
    for key, value in values.items():
        cell = read.get(key)
        printed = cell is not None and is_number(cell.value) and is_number(value) and same(cell.value, value)
        out[key] = cell if printed else Cell(value, CLAIMED)
    return out
