"""The review pages: a static site (`govreport review --html DIR`) that opens from disk, with no
server and nothing fetched, where a person decides the cells that need a look and saves the
decisions as the JSONL `govreport correct` applies.

    site           writes the folder: review.css, review.js, a page per document, index.html last
    document_page  one document: its tables beside its text, issues, legend, keys, the page's data
    index_page     the flagged documents, filterable by status, issue code and agency
    grid           the template's tables as a reviewer sees them (rows × columns, Chinese labels)
    tables         those tables as HTML, each cell marked by its states (`extract.cell_states`)
    source         the stored text, each printed cell's span marked
    page_data      what a page's script knows of its record (values, was, readings, issues, relations)
    markup         how store text enters a page: escaped, or as script-safe JSON
    style, script_shared, script_document   review.css and review.js
"""
from __future__ import annotations

from extract.pages.site import Site, write_site

__all__ = ["Site", "write_site"]
