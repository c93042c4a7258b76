"""Policy: which reading a document's record keeps, and the status it earns. The one place that
decides; the readers propose, the verifier reports.

- verified            complete, grounded, every relation holds; a promise, so any doubt at all
                      (a lost cell filled by arithmetic, a row placed by position that the LLM
                      did not place alike) withholds it
- source_inconsistent faithful to the source, but the source itself breaks a relation
- needs_review        anything uncertain; the issues say what to look at
- failed              unreadable, or not such a report

and, after a person's corrections (`extract.corrections`): human_verified, every check passing
on the corrected record.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Optional

from extract.choose import AGREE, DISAGREE, LLM_GROUNDED, PARSERS_ONLY, choose
from extract.document import Document
from extract.reading import BLANK, BLANK_LINE, EDGE_BLANK, FORCED, INFERRED, POSITIONAL, READ, SPLIT, UNLABELLED, Reading
from verify import Issue, Report, verify_reading
from verify.report import EXTRACTION, INFO, SERIOUS, SOURCE

VERIFIED: Final = "verified"
SOURCE_INCONSISTENT: Final = "source_inconsistent"
NEEDS_REVIEW: Final = "needs_review"
FAILED: Final = "failed"
MACHINE_STATUSES: Final = (VERIFIED, SOURCE_INCONSISTENT, NEEDS_REVIEW, FAILED)  # what an extraction gives
# A record a person corrected and whose every check then passes (extract.corrections).
HUMAN_VERIFIED: Final = "human_verified"
STATUSES: Final = (VERIFIED, HUMAN_VERIFIED, SOURCE_INCONSISTENT, NEEDS_REVIEW, FAILED)
TRUSTED: Final = (VERIFIED, HUMAN_VERIFIED, SOURCE_INCONSISTENT)

# A cell's confidence with the parsers as its only reader says how they read it, in words a
# reader of the export understands. With the LLM asked, `choose` says how the two readers
# compare instead (AGREE, LLM_GROUNDED, DISAGREE; PARSERS_ONLY where the LLM gave nothing usable).
HOW_READ: Final = {
    READ: "read",                  # printed plainly in its cell
    BLANK: "read",                 # a printed empty cell: 0 by convention
    SPLIT: "split",                # cut out of digits printed run together, the cut pinned by the relations
    POSITIONAL: "positional",      # its row's label lost in the text: placed by position
    UNLABELLED: "read",            # its row's label lost, but every bare row of its place prints this value
    INFERRED: "inferred",          # not printed: forced by arithmetic (a part of a zero total)
    FORCED: "forced",              # a 2021 sub-row of a printed 2019 row of zeros: 0
    EDGE_BLANK: "blank_or_lost",   # a blank at a row's edge read as 0: it may be the row's end
    BLANK_LINE: "blank_or_lost",   # an empty line read as 0: it may be a cell the scrape lost
}
CONFIDENCES: Final = (*dict.fromkeys(HOW_READ.values()), AGREE, LLM_GROUNDED, DISAGREE, PARSERS_ONLY)


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
    `llm_unavailable` says why the LLM gave no usable answer (noted on the record, not a doubt;
    the next run asks again)."""
    if llm_reading is not None:
        chosen, confidence = choose(parsed, llm_reading, document)
    else:
        chosen = parsed
        confidence = parsers_confidence(parsed)
    not_report = why_not_a_report(document, chosen)
    if not_report:
        return Assessment(chosen, None, FAILED, not_report)
    report = verify_reading(chosen, document)
    status, reason = decide_status(report)
    if llm_unavailable:
        note = Issue("llm_unavailable", (), llm_unavailable, INFO, EXTRACTION)
        report = Report.of([*report.issues, note])
    return Assessment(chosen, report, status, reason, confidence)


def parsers_confidence(reading: Reading) -> dict[str, str]:
    """Each read cell's confidence from its method (a method the parsers never use: PARSERS_ONLY)."""
    return {key: HOW_READ.get(cell.method, PARSERS_ONLY) for key, cell in reading.cells.items()
            if cell.value is not None}


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
    doubtful = [i for i in report.issues if i.origin == EXTRACTION and i.severity in SERIOUS]
    if doubtful:
        return NEEDS_REVIEW, summarize(doubtful)
    source = [i for i in report.issues if i.origin == SOURCE and i.severity in SERIOUS]
    if source:
        return SOURCE_INCONSISTENT, "the source itself: " + summarize(source)
    return VERIFIED, ""


def summarize(issues: list[Issue], limit: int = 3) -> str:
    parts = [i.message if i.message.startswith(i.code) else f"{i.code}: {i.message}" for i in issues[:limit]]
    more = f" (+{len(issues) - limit} more)" if len(issues) > limit else ""
    return "; ".join(parts) + more
