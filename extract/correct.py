"""`govreport correct FILE`: a reviewer's decisions read, checked and kept.

A file is JSONL (a line `{"sha256", "key", "value", "was", "note"}` per decision, as the review
pages save it) or the CSV `govreport review --cells` writes, with its `corrected` column (and
`note`) filled in: a row whose `corrected` is empty is no decision. Every line is checked before
anything is kept: a malformed line, a document not in the store, a key that is not a cell of the
document's template version, a value that is not a number are each said on one line naming the
file and line, and then nothing of the file is applied.
"""
from __future__ import annotations

import getpass
import json
import time
from pathlib import Path
from typing import Any, Optional, Union

from extract import corrections, template
from extract.cells_csv import read_rows
from extract.corrections import Correction
from extract.store import Store
from verify.numbers import is_number

def read_file(path: Path, store: Store, by: str) -> tuple[list[Correction], list[str]]:
    """The file's corrections, and one line per problem (when there is any, apply none)."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot read it: {getattr(exc, 'strerror', None) or exc}"]
    versions = store.template_versions()
    rows = read_rows(raw) if _looks_like_csv(path, raw) else _jsonl_rows(raw)
    found, problems, now = [], [], time.time()
    for line, row in rows:
        where = f"{path}:{line}"
        if isinstance(row, str):
            problems.append(f"{where}: {row}")
            continue
        sha, key = row.get("sha256"), row.get("key")
        if not isinstance(sha, str) or not isinstance(key, str):
            problems.append(f"{where}: needs a document's sha256 and a cell's key")
        elif sha not in versions:
            problems.append(f"{where}: no document {sha[:16]}… in the store")
        elif versions[sha] not in template.VERSIONS:
            problems.append(f"{where}: document {sha[:16]}… has no record to correct (its template was not recognised)")
        elif key not in template.numeric_key_set(versions[sha]):
            problems.append(f"{where}: {key!r} is not a cell of the {versions[sha]} template")
        elif not _number(row.get("value")) or not _number(row.get("was")):
            problems.append(f"{where}: value and was must be numbers or null, not {row.get('value')!r}, {row.get('was')!r}")
        else:
            found.append(Correction(sha, key, row.get("value"), row.get("was"), str(row.get("note") or ""), by, now,
                                    source=where))
    return found, problems


def apply_file(path: Path, store: Store, by: Optional[str] = None) -> tuple[list[Correction], list[str]]:
    """Keep a file's corrections (all of them, or none when a line has a problem)."""
    found, problems = read_file(path, store, by or _user())
    if not problems:
        corrections.add(store, found)
    return found, problems


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container's bare user)
        return "unknown"


def _number(value: Any) -> bool:
    return value is None or is_number(value)


def _looks_like_csv(path: Path, raw: str) -> bool:
    return path.suffix.lower() == ".csv" or raw.lstrip().startswith("sha256,")


def _jsonl_rows(raw: str) -> list[tuple[int, Union[dict, str]]]:
    out: list[tuple[int, Union[dict, str]]] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append((number, f"not JSON ({exc.msg})"))
            continue
        out.append((number, row if isinstance(row, dict) else "not an object {\"sha256\", \"key\", \"value\", \"was\"}"))
    return out
