"""The export as Parquet (`export --format parquet`, the optional `parquet` extra: pyarrow), wide
(one row per input path, a column per cell key) or long (one row per input path and cell: agency
key, printed agency, year, template, table, row, column, value, state, confidence, status, sha256,
path). Written in row groups of BATCH records, to a temporary file renamed at the end."""
from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from extract import corrections, template
from extract.errors import OutputError, UsageError
from extract.export import ExportRecord, deduped, export_records, with_agency_keys
from extract.policy import FAILED
from extract.store import Store

BATCH = 500
WIDE_HEAD = ("path", "sha256", "status", "reason", "year", "agency", "agency_key", "template_version", "issue_codes")
LONG_HEAD = ("agency_key", "agency", "year", "template_version", "table", "row", "column", "key", "value", "state",
             "confidence", "status", "sha256", "path")


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UsageError("Parquet needs pyarrow: pip install 'govreport[parquet]'") from None
    return pyarrow


def export_parquet(store: Store, path: Path, long: bool = False, statuses: Optional[set[str]] = None,
                   dedupe: bool = False) -> int:
    """The store's records (of these statuses; one per report with `dedupe`) written to `path` as
    Parquet; how many records."""
    pa = _pyarrow()
    errors = store.iter_file_errors() if statuses is None or FAILED in statuses else iter(())
    get_text = lru_cache(maxsize=16)(store.get_text)
    rows = deduped(store, statuses) if dedupe else corrections.records(store, statuses)
    records = export_records(with_agency_keys(store, rows), errors, get_text)
    keyed = ((r, r.meta.agency_key) for r in records)
    schema = _long_schema(pa) if long else _wide_schema(pa)
    rows = _long_rows if long else _wide_rows
    target = Path(os.path.realpath(path))
    temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    count = 0
    try:
        with pa.parquet.ParquetWriter(str(temporary), schema) as writer:
            for batch in _batches(keyed, BATCH):
                columns = rows(batch)
                writer.write_table(pa.table(columns, schema=schema))
                count += len(batch)
            if not count:
                writer.write_table(pa.table({name: [] for name in schema.names}, schema=schema))
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _wide_schema(pa: Any) -> Any:
    text = [(name, pa.string()) for name in WIDE_HEAD if name != "year"]
    return pa.schema([*text[:4], ("year", pa.int64()), *text[4:],
                      *[(key, pa.float64()) for key in template.template_order()]])


def _wide_rows(batch: list[tuple[ExportRecord, Optional[str]]]) -> dict[str, list]:
    out: dict[str, list] = {name: [] for name in WIDE_HEAD}
    for key in template.template_order():
        out[key] = []
    for r, key in batch:
        for name, value in (("path", r.path), ("sha256", r.sha256), ("status", r.status), ("reason", r.reason),
                            ("year", r.meta.year), ("agency", r.meta.agency), ("agency_key", key),
                            ("template_version", r.meta.template_version),
                            ("issue_codes", ";".join(sorted({i.code for i in r.issues})))):
            out[name].append(value)
        for cell in template.template_order():
            value = r.values.get(cell)
            out[cell].append(None if value is None else float(value))
    return out


def _long_schema(pa: Any) -> Any:
    return pa.schema([(name, pa.int64() if name == "year" else pa.float64() if name == "value" else pa.string())
                      for name in LONG_HEAD])


def _long_rows(batch: list[tuple[ExportRecord, Optional[str]]]) -> dict[str, list]:
    out: dict[str, list] = {name: [] for name in LONG_HEAD}
    keys = template.template_order()
    for r, agency in batch:
        version = r.meta.template_version or ""
        own = template.numeric_key_set(version) if version in template.VERSIONS else frozenset()
        for key in keys:
            value = r.values.get(key)
            row, column = key.rsplit(".", 1)
            state = "not_in_template" if key not in own else ("printed" if value is not None else "not_printed")
            for name, item in (("agency_key", agency), ("agency", r.meta.agency), ("year", r.meta.year),
                               ("template_version", version or None), ("table", key.split(".")[0]), ("row", row),
                               ("column", column), ("key", key), ("value", None if value is None else float(value)),
                               ("state", state), ("confidence", r.confidence.get(key)), ("status", r.status),
                               ("sha256", r.sha256), ("path", r.path)):
                out[name].append(item)
    return out
