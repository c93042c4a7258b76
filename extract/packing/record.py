"""The Record: what the store keeps of one document, serialised and packed where it is made (a
worker process sends a Record, not the objects behind it: the single writer only inserts)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, Optional, cast

from extract.packing.columns import (Packed, pack_attempt_result, pack_cell_provenance, pack_confidence, pack_issue,
                                     pack_provenance, pack_values)
from extract.packing.jsontext import JSONText, dump_json, encode_json
from extract.reading import Reading
from extract.template import VERSIONS, numeric_keys


class LLMTally(NamedTuple):
    """What asking the LLM about a document took, for the run's summary."""

    calls: int = 0
    requests: int = 0            # HTTP requests, retries included
    failed: int = 0              # calls that gave no usable answer
    cache_hits: int = 0
    tokens: tuple[tuple[str, int], ...] = ()
    unavailable: bool = False    # the record has no answer of the LLM's (llm_unavailable)


@dataclass(frozen=True)
class Record:
    """A document's text, the parsers' attempt, the LLM's new attempts and the chosen result."""

    text: Optional[str]          # the decoded text; None: the input's bytes are its text (UTF-8)
    encoding: str
    parse_s: float
    parser_attempt: JSONText     # the parsers' reading, packed
    result: dict[str, Any]       # the results row: status, reason, meta, packed cells and issues
    llm_attempts: tuple[dict, ...] = ()
    llm: LLMTally = LLMTally()

    @property
    def status(self) -> str:
        return self.result["status"]

    @property
    def reason(self) -> str:
        return self.result["reason"]


def parser_attempt(parsed: Reading) -> dict[str, Any]:
    """The parsers' reading as its attempt keeps it (values packed in the template's key order)."""
    return cast("dict[str, Any]", pack_attempt_result(reading_to_dict(parsed)))


def result_fields(chosen: Reading, status: str, reason: str, confidence: dict[str, str], issues: list[dict],
                  values_in_order: Optional[list] = None) -> dict[str, Any]:
    """What the store keeps of an assessed document, its cells packed. `values_in_order`: its
    values packed in the template's key order already (as `pack_attempt_result` packs them)."""
    version = chosen.version
    provenance = pack_cell_provenance(version, chosen.cells, meta_provenance(chosen)) \
        or pack_provenance(version, provenance_of(chosen))
    values = encode_json(values_in_order) if values_in_order is not None else pack_values(version, record_values(chosen))
    packed = Packed(values, provenance, pack_confidence(version, confidence), tuple(map(pack_issue, issues)))
    alternatives = encode_json({"options": {k: list(v) for k, v in chosen.options.items()},
                                "proposals": chosen.proposals}) if chosen.options or chosen.proposals else None
    return dict(status=status, reason=reason, format=version, year=chosen.year.value, agency=chosen.agency.value,
                chosen=chosen.method, packed=packed, alternatives=alternatives)


def record_values(reading: Reading) -> dict[str, Any]:
    """Exactly the keys of the reading's version, in the template's order."""
    if reading.version not in VERSIONS:
        return {}
    return {key: reading.cells[key].value if key in reading.cells else None for key in numeric_keys(reading.version)}


def provenance_of(reading: Reading) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, cell in reading.cells.items():
        if cell.value is None:
            continue
        entry: dict[str, Any] = {"method": cell.method}
        if cell.start is not None:
            entry.update(start=cell.start, end=cell.end, line=cell.line)
        if cell.note:
            entry["note"] = cell.note
        out[key] = entry
    out.update(meta_provenance(reading))
    return out


def meta_provenance(reading: Reading) -> dict[str, Any]:
    return {f"meta.{name}": {"method": meta.method, "start": meta.start, "end": meta.end}
            for name, meta in (("year", reading.year), ("agency", reading.agency))}


def reading_to_dict(reading: Reading) -> dict[str, Any]:
    """What an attempt produced, kept in full in the store."""
    return {
        "method": reading.method,
        "format": reading.version,
        "meta": {"year": reading.year.value, "agency": reading.agency.value},
        "values": {key: cell.value for key, cell in reading.cells.items()},
        "doubts": [{"code": d.code, "keys": list(d.keys), "message": d.message} for d in reading.doubts],
    }


__all__ = ["JSONText", "LLMTally", "Record", "dump_json", "meta_provenance", "parser_attempt", "provenance_of", "reading_to_dict",
           "record_values", "result_fields"]
