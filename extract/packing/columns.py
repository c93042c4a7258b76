"""A record's cells, provenance, confidence and issue keys packed for the store, and unpacked.

Dicts keyed by 200 long canonical keys would make a record ten times larger: values and
confidence are arrays in the template's key order (the version says which keys), each cell's
provenance a short array [method code, start, end, line, note index] with each distinct note
written once. Unpacking gives back exactly the dicts the rest of the package uses, and reads
the old dict form too (stores written before packing).
"""
from __future__ import annotations

import json
from functools import lru_cache
from itertools import repeat
from typing import Any, Final, Iterable, NamedTuple, Optional, cast

from extract import template
from extract.packing.jsontext import encode_json

PACKED: Final = 1  # format marker of a packed record (a dict has no such first element)
METHODS: Final = ("table", "blank", "positional", "split", "inferred", "llm", "missing", "edge_blank", "blank_line",
           "forced", "split_confirmed", "claimed", "unlabelled", "positional_confirmed")
_METHOD_CODE: Final = {m: i for i, m in enumerate(METHODS)}
# One character per cell. A code once shipped keeps its meaning (stores hold it): new values get
# new characters. 'l' (llm_only) is no longer written; older stores may hold it.
CONFIDENCE: Final = {"agree": "a", "parsers_only": "p", "llm_grounded": "g", "disagree": "d", "llm_only": "l",
                     "read": "r", "split": "s", "positional": "o", "inferred": "i", "forced": "f", "blank_or_lost": "b"}
_CONFIDENCE_BACK: Final = {v: k for k, v in CONFIDENCE.items()}
_CONFIDENCE_NAMES: Final = frozenset(CONFIDENCE)


def _keys(version: Optional[str]) -> tuple[str, ...]:
    return template.numeric_keys(version) if version in template.VERSIONS else ()




def _in_key_order(version: Optional[str], values: dict) -> Optional[list]:
    """[PACKED, values in the template's key order], or None for an unknown format or key."""
    keys = _keys(version)
    if not keys or not template.numeric_key_set(version).issuperset(values):
        return None
    return [PACKED, list(map(values.get, keys))]


def pack_values(version: Optional[str], values: Optional[dict]) -> Optional[str]:
    if values is None:
        return None
    packed = _in_key_order(version, values)
    return encode_json(values if packed is None else packed)  # an unknown format or key: kept as it is


def unpack_values(version: Optional[str], text: Optional[str]) -> dict:
    data = json.loads(text) if text else {}
    if isinstance(data, list) and data and data[0] == PACKED:
        return dict(zip(_keys(version), data[1]))
    return data or {}


def pack_provenance(version: Optional[str], provenance: Optional[dict]) -> Optional[str]:
    if provenance is None:
        return None
    keys = _keys(version)
    cells = {k: v for k, v in provenance.items() if not k.startswith("meta.")}
    if (not keys or not template.numeric_key_set(version).issuperset(cells)
            or any(v.get("method") not in METHODS for v in cells.values())):
        return encode_json(provenance)
    notes: dict[str, int] = {}
    packed: list[Any] = []
    for key in keys:
        entry = cells.get(key)
        if entry is None:
            packed.append(0)
            continue
        note = entry.get("note")
        packed.append([_METHOD_CODE[entry["method"]], entry.get("start"), entry.get("end"), entry.get("line"),
                       notes.setdefault(note, len(notes)) if note else -1])
    meta = {k: v for k, v in provenance.items() if k.startswith("meta.")}
    return encode_json([PACKED, packed, list(notes), meta])


def pack_cell_provenance(version: Optional[str], cells: dict, meta: dict) -> Optional[str]:
    """pack_provenance(version, {**provenance of `cells`, **meta}) made straight from the cells
    (`extract.reading.Cell`s), without the dicts in between: the same text."""
    keys = _keys(version)
    if not keys:
        return None
    notes: dict[str, int] = {}
    # Each cell a template that one % fills in at the end, not a % per cell.
    parts: list[str] = []
    fills: list[Any] = []
    append, extend = parts.append, fills.extend
    for cell in map(cells.get, keys):
        if cell is None or cell.value is None:
            append("0")
            continue
        _, method, start, end, line, note = cell
        code = _METHOD_CODE.get(method)
        if code is None:
            return None  # not packable: the caller stores the dict form
        note = notes.setdefault(note, len(notes)) if note else -1
        append("[%s,%s,%s,%s,%s]")
        if start is not None and end is not None and line is not None:
            extend((code, start, end, line, note))
        elif start is None:
            extend((code, "null", "null", "null", note))
        else:
            extend((code, encode_json(start), encode_json(end), encode_json(line), note))
    if not template.numeric_key_set(version).issuperset(cells):
        placed = len(parts) - parts.count("0")
        if placed != sum(1 for cell in cells.values() if cell.value is not None):
            return None  # a key outside the template holds a value: likewise
    return f"[{PACKED},[{','.join(parts) % tuple(fills)}],{encode_json(list(notes))},{encode_json(meta)}]"


def unpack_provenance(version: Optional[str], text: Optional[str]) -> Optional[dict]:
    if text is None:
        return None
    data = json.loads(text) if text else {}
    if not (isinstance(data, list) and data and data[0] == PACKED):
        return data or {}
    _, packed, notes, meta = data
    out: dict[str, Any] = {}
    for key, cell in zip(_keys(version), packed):
        if not cell:
            continue
        method, start, end, line, note = cell
        entry: dict[str, Any] = {"method": METHODS[method]}
        if start is not None:
            entry.update(start=start, end=end, line=line)
        if note >= 0:
            entry["note"] = notes[note]
        out[key] = entry
    out.update(meta)
    return out


def pack_confidence(version: Optional[str], confidence: Optional[dict]) -> Optional[str]:
    if confidence is None:
        return None
    keys = _keys(version)
    if (not keys or not template.numeric_key_set(version).issuperset(confidence)
            or not _CONFIDENCE_NAMES.issuperset(confidence.values())):
        return encode_json(confidence)
    return encode_json([PACKED, "".join(map(CONFIDENCE.get, map(confidence.get, keys), repeat("-")))])  # type: ignore[arg-type]  # '-': no value


def unpack_confidence(version: Optional[str], text: Optional[str]) -> Optional[dict]:
    if text is None:
        return None
    data = json.loads(text) if text else {}
    if isinstance(data, list) and data and data[0] == PACKED:
        return {k: _CONFIDENCE_BACK[c] for k, c in zip(_keys(version), data[1]) if c != "-"}
    return data or {}


def pack_attempt_result(result: Optional[dict]) -> Optional[dict]:
    """A parsers' attempt keeps its values as an array in key order too."""
    if not result or not isinstance(result.get("values"), dict):
        return result
    packed = _in_key_order(result.get("format"), result["values"])
    return result if packed is None else {**result, "values": packed}


def pack_keys(keys: list[str]) -> Any:
    """An issue's keys: as ranges of positions in the template's key order when they follow it
    (the long lists do: 181 cut cells, 150 missing ones), else as they are."""
    if len(keys) < 8:
        return keys
    found = list(map(_positions().get, keys))
    if None in found:  # not all template keys
        return keys
    at = cast("list[int]", found)
    if at != sorted(set(at)):  # not strictly in the template's order
        return keys
    ranges: list[list[int]] = []
    for i in at:
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    return [PACKED, ranges]


def unpack_keys(data: Any) -> list[str]:
    if isinstance(data, list) and data and data[0] == PACKED:
        every = template.template_order()
        return [every[i] for a, b in data[1] for i in range(a, b + 1)]
    return list(data or [])


@lru_cache(maxsize=None)
def _positions() -> dict[str, int]:
    return {k: i for i, k in enumerate(template.template_order())}


def pack_issue(issue: dict) -> tuple:
    """An issue as the store's row holds it, its document aside: (code, keys as packed JSON,
    message, severity, origin, expected, found)."""
    return (issue["code"], encode_json(pack_keys(list(issue.get("keys", ())))), issue.get("message", ""),
            issue.get("severity", "error"), issue.get("origin"), issue.get("expected"), issue.get("found"))


class Packed(NamedTuple):
    """A record's packed columns and issue rows, made where the record is made (a worker
    process), so that the store's single writer only inserts them. (A tuple pickles the same
    compiled or not.)"""

    values: Optional[str]
    provenance: Optional[str]
    confidence: Optional[str]
    issues: tuple = ()   # pack_issue's rows


def pack_record(version: Optional[str], values: Optional[dict], provenance: Optional[dict],
                confidence: Optional[dict], issues: Iterable[dict] = ()) -> Packed:
    return Packed(pack_values(version, values), pack_provenance(version, provenance), pack_confidence(version, confidence),
                  tuple(map(pack_issue, issues)))
