"""The document model: what every stage needs from one report's text, built once.

    document = build_document(decoded_text)
    document.text          the normalised text (offsets are the decoded source's)
    document.version       the template version its headers show (None: not a template report)
    document.sections      where its three tables lie
    document.active / .requests / .appeals   the candidate rows with their printed cells
    document.requests_received() / .document_counts()   what its prose states

The parsers read the rows; the grounding of any reading, the LLM excerpt and the narrative
check read the same object, so no stage re-derives bounds or re-scans the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, cast

from extract.document import meta, narrative
from extract.document.anchors import LabelView
from extract.document.rows import PrintedRow, find_active_rows, find_appeals_row, find_request_rows
from extract.document.sections import Sections, find_sections, tables_from
from extract.document.tokens import Token, tokenize
from extract.reading import MetaField
from extract.template import request_row_keys, spec
from extract.text import normalize

__all__ = ["Document", "PrintedRow", "Sections", "build_document", "build_normalized"]


@dataclass
class Document:
    text: str                          # normalised: full-width → ASCII, one character for one
    year: MetaField                    # the year and the agency as the text prints them
    agency: MetaField
    version: Optional[str]             # '2019' | '2021' from the tables' headers, or None
    version_why: str                   # how the version was decided ('headers: …', '…chosen by year')
    version_guessed: bool = False      # the headers did not decide it: the report's year did
    sections: Optional[Sections] = None
    tokens: list[Token] = field(default_factory=list)      # the tables' region, tokenized
    active: list[PrintedRow] = field(default_factory=list)
    requests: Optional[list[PrintedRow]] = None            # None: the table's opening is not there
    appeals: Optional[PrintedRow] = None
    # What the prose states, read once when asked. Init fields: compiled (mypyc), a class has no
    # class-level default to fall back on, so __init__ must set them.
    _received: Optional[list[narrative.Statement]] = field(default=None, repr=False, compare=False)
    _counts: Optional[dict[str, set[int]]] = field(default=None, repr=False, compare=False)

    @property
    def looks_like_report(self) -> bool:
        """It names open government information and has the template's headings or labels."""
        return (any(word in self.text for word in spec.REPORT_WORDS)
                and any(word in self.text for word in spec.TEMPLATE_WORDS))

    @property
    def names_open_information(self) -> bool:
        return any(word in self.text for word in spec.REPORT_WORDS)

    def requests_received(self) -> list[narrative.Statement]:
        """The prose's statements of how many requests were received this year (read once)."""
        if self._received is None:
            self._received = narrative.find_requests_received(self.text)
        return self._received

    def document_counts(self) -> dict[str, set[int]]:
        """What the prose says of this year's normative documents (read once)."""
        if self._counts is None:
            self._counts = narrative.find_document_counts(self.text)
        return self._counts

    def printed_rows(self) -> list[PrintedRow]:
        """Every row found whose cells are the version's, in printed order (not the 2019 single
        （六）其他处理 row that a 2021 table may print in place of its sub-rows)."""
        if self.version is None:
            return []
        own = request_row_keys(self.version)
        return [*self.active, *(r for r in self.requests or () if r.row.key in own),
                *([self.appeals] if self.appeals is not None else [])]


def build_document(text: str) -> Document:
    """The model of a decoded report's text."""
    return build_normalized(normalize(text))


def build_normalized(norm: str) -> Document:
    """As build_document, for text passed through `extract.text.normalize` already."""
    year = meta.find_year(norm)
    agency = meta.find_agency(norm)
    version, why, guessed = meta.detect_version(norm, cast("Optional[int]", year.value))  # find_year's value is a year
    document = Document(norm, year, agency, version, why, guessed)
    if version is None:
        return document
    labels = LabelView.of(norm, tables_from(norm))
    sections = document.sections = find_sections(labels, version)
    tokens = document.tokens = tokenize(norm, sections.start, sections.end)
    document.active = find_active_rows(labels, tokens, version, sections)
    document.requests = find_request_rows(labels, tokens, version, sections)
    document.appeals = find_appeals_row(norm, tokens, version, sections)
    return document
