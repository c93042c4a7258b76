"""The deterministic reader ("regex fallback"): text → Extraction, no LLM involved.

One front end for every layout: the three tables' regions are found by their labels in the
character stream (not by line structure), tokenized once, and each table reader aligns the
printed cells between its row labels with the template.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Optional, cast

from extract import template
from extract.parsers import active, appeals, meta, requests
from extract.parsers.anchors import LabelView
from extract.parsers.cells import doubt
from extract.record import MISSING, Extraction
from extract.text import normalize
from extract.tokens import Token, tokenize

# How far (in label characters) the first 第二十条 item may follow the article's mention.
_ACTIVE_REACH: Final = 300


@dataclass(frozen=True)
class Regions:
    """Text offsets of the three tables: [active, requests) [requests, appeals) [appeals, end)."""

    active: Optional[int]
    requests: Optional[int]
    appeals: Optional[int]
    end: int

    @property
    def start(self) -> int:
        return min(x for x in (self.active, self.requests, self.appeals, self.end) if x is not None)

    @property
    def active_end(self) -> int:
        return next((x for x in (self.requests, self.appeals) if x is not None), self.end)

    @property
    def requests_end(self) -> int:
        return self.appeals if self.appeals is not None else self.end


def front_end(norm: str, fmt: str) -> tuple[LabelView, Regions, list[Token]]:
    """What every table reader starts from: the label view, the tables' regions, their tokens."""
    labels = LabelView.of(norm, tables_from(norm))
    regions = find_regions(norm, fmt, labels)
    return labels, regions, tokenize(norm, regions.start, regions.end)


def parse_report(text: str) -> Extraction:
    """Read every table cell and the meta of one report. `text` is the decoded source."""
    return parse_normalized(normalize(text))


def find_regions(norm: str, fmt: str, view: Optional[LabelView] = None) -> Regions:
    view = view or LabelView.of(norm, tables_from(norm))
    active_at = _find_active(view, fmt)
    opening = requests.find_start(view if active_at is None else view.window(active_at), fmt)
    requests_at = view.offset(opening) if opening is not None else None
    after = requests_at if requests_at is not None else (active_at or 0)
    appeal = template.APPEALS_START.search(norm, after)
    appeals_at = appeal.start() if appeal else None
    five = template.SECTION_FIVE.search(norm, appeals_at if appeals_at is not None else after)
    return Regions(active_at, requests_at, appeals_at, five.start() if five else len(norm))


_TABLE_WORDS: Final = ("二十条", "本年新", "新收")


def tables_from(norm: str) -> int:
    """Where the tables can begin at the earliest: the label view need not cover the prose before."""
    found = [i for i in (norm.find(w) for w in _TABLE_WORDS) if i >= 0]
    return max(min(found) - 40, 0) if found else 0


def _find_active(view: LabelView, fmt: str) -> Optional[int]:
    """The 第二十条 that opens the active-disclosure table (one of its items follows closely)."""
    first_item = template.any_active_item(fmt)
    pos = view.lo
    while True:
        match = view.search(template.ACTIVE_START, pos)
        if match is None:
            return None
        if view.search(first_item, match.end(), match.end() + _ACTIVE_REACH) is not None:
            return view.offset(match.start())
        pos = match.end()


def parse_normalized(norm: str) -> Extraction:
    """As parse_report, for text already passed through `extract.text.normalize`."""
    year = meta.find_year(norm)
    agency = meta.find_agency(norm)
    fmt, why = meta.detect_format(norm, cast("Optional[int]", year.value))  # find_year's value is a year
    result = Extraction(method="parsers", format=fmt, year=year, agency=agency)
    if fmt is None:
        result.doubts.append(doubt("format_unknown", [], why))
        return result
    if "by year" in why:
        result.doubts.append(doubt("format_guessed", [], why))
    labels, regions, tokens = front_end(norm, fmt)
    active_at = regions.active if regions.active is not None else regions.active_end
    active_cells, active_doubts = active.parse_active(labels, tokens, fmt, active_at, regions.active_end)
    request_at = regions.requests if regions.requests is not None else regions.requests_end
    table = requests.parse_requests(labels, tokens, fmt, request_at, regions.requests_end)
    if regions.appeals is not None:
        appeal_cells, appeal_doubts = appeals.parse_appeals(norm, tokens, regions.appeals, regions.end)
    else:
        appeal_cells = {k: MISSING for k in template.appeals_row().keys}
        appeal_doubts = [doubt("section_missing", [], "四、appeals table not found in the text")]
    result.cells = {**active_cells, **table.cells, **appeal_cells}
    result.doubts += active_doubts + table.doubts + appeal_doubts
    return result
