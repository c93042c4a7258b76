"""The national template, described once (`spec`), and what derives from it.

    keys      the canonical cell keys and labels of each version (= the spec's fields.json)
    rows      the printed rows a reader looks for: label patterns, ordinals, the sums within a row
    rules     the relations R1–R4 and the plausibility bounds the verifier checks
    relation  the kinds of relation (Relation, RowSum, AtLeast)
    schema    the pydantic models the LLM answers in (imported on its own: it loads pydantic)

The readers (`extract.parsers`), the document model (`extract.document`) and the verifier
(`verify`) all stand on this package; it imports none of them.
"""
from __future__ import annotations

from extract.template import spec
from extract.template.keys import (VERSIONS, active_keys, appeal_keys, cells_named, column_labels, columns,
                                   labels, money_keys, numeric_key_set, numeric_keys, request_row_keys, signed_keys,
                                   template_order)
from extract.template.relation import AtLeast, Number, Relation, RowSum
from extract.template.rows import (Row, active_label_pattern, active_rows, any_active_item, appeals_row, compact,
                                   request_label_patterns, request_rows, request_search_rows, strip_ordinal)
from extract.template.rules import bounds, relations

__all__ = [
    "VERSIONS", "AtLeast", "Number", "Relation", "Row", "RowSum", "active_keys", "active_label_pattern", "cells_named",
    "active_rows", "any_active_item", "appeal_keys", "appeals_row", "bounds", "column_labels",
    "columns", "compact", "labels", "money_keys", "numeric_key_set", "numeric_keys", "relations",
    "request_label_patterns", "request_row_keys", "request_rows", "request_search_rows", "signed_keys", "spec",
    "strip_ordinal", "template_order",
]
