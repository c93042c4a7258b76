"""Verify an extraction: relations, completeness, grounding in the source, narrative vs table.

    report = verify_extraction(extraction, normalised_text)
    report.errors, report.by_origin("source"), report.to_dicts()

Deterministic and side-effect free; never raises on odd data and never imports the LLM stack
(only extract.fields / extract.record). What to do about the issues is the pipeline's call.
"""
from __future__ import annotations

from typing import Mapping, Optional, Union

from extract.record import READ, Cell, Extraction

from verify import checks
from verify.checks import check_meta
from verify.report import Issue, Report
from verify.rules import AtLeast, Relation, bounds, relations

__all__ = [
    "AtLeast", "Issue", "Relation", "Report", "bounds", "check_meta", "relations",
    "verify_cells", "verify_extraction", "verify_values",
]

Number = Union[int, float]


def verify_cells(fmt: Optional[str], cells: Mapping[str, Cell], text: Optional[str] = None) -> Report:
    """Every cell-level check; `text` (normalised) enables grounding and the narrative check."""
    return Report.of(_run_cell_checks(fmt, cells, text))


def verify_extraction(extraction: Extraction, text: Optional[str]) -> Report:
    """The full verification of one extractor's reading of one document."""
    issues = checks.check_meta(extraction)
    issues += _run_cell_checks(getattr(extraction, "format", None), getattr(extraction, "cells", None) or {}, text)
    issues += checks.check_doubts(getattr(extraction, "doubts", None) or ())
    return Report.of(issues)


def verify_values(fmt: str, values: Mapping[str, Optional[Number]], text: Optional[str] = None) -> Report:
    """A bare record without provenance: every value counts as read from the table, no span."""
    return verify_cells(fmt, {key: Cell(value, READ) for key, value in (values or {}).items()}, text)


def _run_cell_checks(fmt: Optional[str], cells: Mapping[str, object], text: Optional[str]) -> list[Issue]:
    # Odd input (a bare number where a Cell belongs) is read as a printed cell, not an error.
    # (Type sets first: an extraction's own cells need no copy.)
    if not ({*map(type, cells)} <= {str} and {*map(type, cells.values())} <= {Cell}):
        cells = {str(k): c if isinstance(c, Cell) else Cell(c, READ) for k, c in cells.items()}
    text = text if isinstance(text, str) else None
    values = checks.numeric_values(cells)
    # A fixed order; the report is sorted afterwards anyway.
    return [
        *checks.check_numbers(cells, values),
        *checks.check_unknown_keys(fmt, cells),
        *checks.check_completeness(fmt, cells),
        *checks.check_signs(fmt, cells, values),
        *checks.check_integers(fmt, values),
        *checks.check_relations(fmt, cells, values),
        *checks.check_bounds(fmt, values),
        *checks.check_provenance(fmt, cells, values),
        *checks.check_grounding(fmt, cells, values, text),
        *checks.ground_llm_cells(fmt, cells, values),
        *checks.check_narrative(fmt, cells, values, text),
    ]
