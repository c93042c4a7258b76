"""Where the three tables lie in a report's text, found by their own labels (not by the
narrative's numbering): 二 at the 第二十条 that one of its items follows closely, 三 at the
本年新收 that 上年结转 follows closely, 四 at its heading; the last ends where 五 or 六 begins.
Decided here once; the readers, the grounding and the LLM excerpt all take these bounds."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from extract.document.anchors import LabelView
from extract.template import any_active_item, request_rows, spec


@dataclass(frozen=True)
class Sections:
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

    @property
    def found(self) -> bool:
        """Whether the tables were found at all (二 or 三 by their labels)."""
        return self.start < self.end and (self.active is not None or self.requests is not None)


def tables_from(norm: str) -> int:
    """Where the tables can begin at the earliest: the label view need not cover the prose before."""
    found = [i for i in (norm.find(w) for w in spec.TABLES_BEGIN_WORDS) if i >= 0]
    return max(min(found) - 40, 0) if found else 0


def find_sections(view: LabelView, version: str) -> Sections:
    norm = view.text
    active_at = _find_active(view, version)
    opening = find_requests_start(view if active_at is None else view.window(active_at), version)
    requests_at = view.offset(opening) if opening is not None else None
    after = requests_at if requests_at is not None else (active_at or 0)
    appeal = spec.APPEALS_START.search(norm, after)
    appeals_at = appeal.start() if appeal else None
    five = spec.SECTION_FIVE.search(norm, appeals_at if appeals_at is not None else after)
    return Sections(active_at, requests_at, appeals_at, five.start() if five else len(norm))


def find_requests_start(view: LabelView, version: str) -> Optional[int]:
    """View index of the 本年新收 label that opens the request table (上年结转 follows it closely)."""
    rows = request_rows(version)
    new, carried = rows[0].pattern, rows[1].pattern
    pos = view.lo
    while True:
        match = view.search(new, pos)
        if match is None:
            return None
        if view.search(carried, match.end(), match.end() + spec.OPENING_REACH) is not None:
            return match.start()
        pos = match.end()


def _find_active(view: LabelView, version: str) -> Optional[int]:
    """The 第二十条 that opens the active-disclosure table (one of its items follows closely)."""
    first_item = any_active_item(version)
    pos = view.lo
    while True:
        match = view.search(spec.ACTIVE_START, pos)
        if match is None:
            return None
        if view.search(first_item, match.end(), match.end() + spec.ACTIVE_REACH) is not None:
            return view.offset(match.start())
        pos = match.end()
