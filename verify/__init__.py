"""Verify a reading: relations, completeness, grounding in the source, narrative vs table.

    report = verify_reading(reading, document)
    report.errors, report.by_origin("source"), report.to_dicts()

Deterministic and side-effect free; never raises on odd data. Stands on the template
(`extract.template`: the relations it checks) and the document model (`extract.document`:
where each row's cells are printed, what the prose states); imports no reader and never the
LLM stack. What to do about the issues is the policy's call (`extract.policy`).
"""
from __future__ import annotations

from typing import Mapping, Optional, Union

from extract.document import Document
from extract.reading import READ, Cell, Reading

from verify import checks
from verify.checks import check_codes, check_meta
from verify.report import Issue, Report

__all__ = ["Issue", "Report", "check_codes", "check_meta", "verify_cells", "verify_reading", "verify_values"]

Number = Union[int, float]


def verify_cells(version: Optional[str], cells: Mapping[str, Cell], document: Optional[Document] = None) -> Report:
    """Every cell-level check; the `document` enables grounding and the narrative check."""
    return Report.of(_run_cell_checks(version, cells, document))


def verify_reading(reading: Reading, document: Optional[Document]) -> Report:
    """The full verification of one reader's reading of one document."""
    issues = checks.check_meta(reading)
    issues += _run_cell_checks(getattr(reading, "version", None), getattr(reading, "cells", None) or {}, document)
    issues += checks.check_doubts(getattr(reading, "doubts", None) or ())
    return Report.of(issues)


def verify_values(version: str, values: Mapping[str, Optional[Number]], document: Optional[Document] = None) -> Report:
    """A bare record without provenance: every value counts as read from the table, no span."""
    return verify_cells(version, {key: Cell(value, READ) for key, value in (values or {}).items()}, document)


def _run_cell_checks(version: Optional[str], cells: Mapping[str, object], document: Optional[Document]) -> list[Issue]:
    # Odd input (a bare number where a Cell belongs) is read as a printed cell, not an error.
    # (Type sets first: a reading's own cells need no copy.)
    if not ({*map(type, cells)} <= {str} and {*map(type, cells.values())} <= {Cell}):
        cells = {str(k): c if isinstance(c, Cell) else Cell(c, READ) for k, c in cells.items()}
    if isinstance(document, str):
        raise TypeError("verify reads a document model (extract.document.build_document), not its text")
    document = document if isinstance(document, Document) else None
    values = checks.numeric_values(cells)
    # A fixed order; the report is sorted afterwards anyway.
    return [
        *checks.check_numbers(cells, values),
        *checks.check_unknown_keys(version, cells),
        *checks.check_completeness(version, cells),
        *checks.check_signs(version, cells, values),
        *checks.check_integers(version, values),
        *checks.check_relations(version, cells, values),
        *checks.check_bounds(version, values),
        *checks.check_provenance(version, cells, values),
        *checks.check_grounding(version, cells, values, document),
        *checks.ground_llm_cells(version, cells, values),
        *checks.check_narrative(version, cells, values, document),
    ]
