"""Serialisation for the store: records packed where they are made, and unpacked for reading.

    columns   the packed forms of a record's values, provenance, confidence and issue keys
    jsontext  JSON as the store keeps it
    record    the Record a document's processing hands the store's writer
"""
from __future__ import annotations

from extract.packing.columns import (METHODS, PACKED, Packed, pack_attempt_result, pack_cell_provenance,
                                     pack_confidence, pack_issue, pack_keys, pack_provenance, pack_record, pack_values,
                                     unpack_confidence, unpack_keys, unpack_provenance, unpack_values)
from extract.packing.jsontext import JSONText, dump_json, encode_json, load_json
from extract.packing.record import Record

__all__ = ["METHODS", "PACKED", "JSONText", "Packed", "Record", "dump_json", "encode_json", "load_json",
           "pack_attempt_result", "pack_cell_provenance", "pack_confidence", "pack_issue", "pack_keys",
           "pack_provenance", "pack_record", "pack_values", "unpack_confidence", "unpack_keys", "unpack_provenance",
           "unpack_values"]
