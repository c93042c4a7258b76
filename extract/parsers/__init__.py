"""The deterministic reader (the "regex fallback"): a document's candidate rows → a Reading.

The document model (`extract.document`) has found the tables, their row labels and the cells
printed between them; each table reader here fits those printed cells to the template's
columns, asking the template's relations where digits ran together, and says where it is in
doubt. No LLM involved.
"""
from __future__ import annotations

from extract.document import Document, build_document
from extract.parsers import active, appeals, requests
from extract.parsers.cells import doubt
from extract.reading import Reading

__all__ = ["parse_report", "read_tables"]


def read_tables(document: Document) -> Reading:
    """Every table cell and the meta of one document, as the parsers read them."""
    result = Reading("parsers", document.version, document.year, document.agency)
    if document.version is None:
        result.doubts.append(doubt("format_unknown", [], document.version_why))
        return result
    if document.version_guessed:
        result.doubts.append(doubt("format_guessed", [], document.version_why))
    active_cells, active_doubts, active_options = active.parse_active(document)
    table = requests.parse_requests(document)
    appeal_cells, appeal_doubts, appeal_options = appeals.parse_appeals(document)
    result.cells = {**active_cells, **table.cells, **appeal_cells}
    result.doubts += active_doubts + table.doubts + appeal_doubts
    result.options = {**active_options, **table.options, **appeal_options}
    return result


def parse_report(text: str) -> Reading:
    """The parsers' reading of a decoded report's text (its document model built on the way)."""
    return read_tables(build_document(text))
