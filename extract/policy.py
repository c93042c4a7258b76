"""Policy: which reading a document's record keeps, and the status it earns. The one place that
decides; the readers propose, the verifier reports.

- verified            complete, grounded, every relation holds; a promise, so any doubt at all
                      (a lost cell filled by arithmetic, a row placed by position) withholds it
- source_inconsistent faithful to the source, but the source itself breaks a relation
- needs_review        anything uncertain; the issues say what to look at
- failed              unreadable, or not such a report
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Optional

from extract.choose import PARSERS_ONLY, choose
from extract.document import Document
from extract.reading import Reading
from verify import Issue, Report, verify_reading
from verify.report import ERROR, EXTRACTION, INFO, SOURCE, WARNING

VERIFIED: Final = "verified"
SOURCE_INCONSISTENT: Final = "source_inconsistent"
NEEDS_REVIEW: Final = "needs_review"
FAILED: Final = "failed"
STATUSES: Final = (VERIFIED, SOURCE_INCONSISTENT, NEEDS_REVIEW, FAILED)
_SERIOUS: Final = (ERROR, WARNING)


@dataclass
class Assessment:
    """One document's chosen reading, its verification, and the status they earn."""

    reading: Reading
    report: Optional[Report]
    status: str
    reason: str
    confidence: dict[str, str] = field(default_factory=dict)


def assess(document: Document, parsed: Reading, llm_reading: Optional[Reading] = None,
           llm_unavailable: Optional[str] = None) -> Assessment:
    """Choose between the readings cell by cell, verify the result, decide its status.
    `llm_unavailable` says why the LLM could not be asked (noted on the record, not a doubt)."""
    if llm_reading is not None:
        chosen, confidence = choose(parsed, llm_reading, document)
    else:
        chosen = parsed
        confidence = {key: PARSERS_ONLY for key, cell in parsed.cells.items() if cell.value is not None}
    not_report = why_not_a_report(document, chosen)
    if not_report:
        return Assessment(chosen, None, FAILED, not_report)
    report = verify_reading(chosen, document)
    status, reason = decide_status(report)
    if llm_unavailable:
        note = Issue("llm_unavailable", (), f"the LLM was not asked: {llm_unavailable}", INFO, EXTRACTION)
        report = Report.of([*report.issues, note])
    return Assessment(chosen, report, status, reason, confidence)


def why_not_a_report(document: Document, reading: Reading) -> str:
    """A one-line reason when the text is not an annual report we can read at all."""
    if any(cell.value is not None for cell in reading.cells.values()):
        return ""
    if not document.names_open_information:
        return "not an annual report on open government information (no 政府信息公开, no template tables)"
    if reading.version is None:
        return "no report tables found (no 第二十条 / 申请 / 复议 table headers): not a template annual report"
    return "no table values could be read: the text holds the headings but none of the tables' numbers"


def decide_status(report: Report) -> tuple[str, str]:
    """The status and a one-line reason: any doubt of ours withholds a promise; the source's own
    inconsistency is said as such."""
    doubtful = [i for i in report.issues if i.origin == EXTRACTION and i.severity in _SERIOUS]
    if doubtful:
        return NEEDS_REVIEW, summarize(doubtful)
    source = [i for i in report.issues if i.origin == SOURCE and i.severity in _SERIOUS]
    if source:
        return SOURCE_INCONSISTENT, "the source itself: " + summarize(source)
    return VERIFIED, ""


def summarize(issues: list[Issue], limit: int = 3) -> str:
    parts = [i.message if i.message.startswith(i.code) else f"{i.code}: {i.message}" for i in issues[:limit]]
    more = f" (+{len(issues) - limit} more)" if len(issues) > limit else ""
    return "; ".join(parts) + more
