"""The deterministic extractor ("regex fallback"): text → Extraction, no LLM involved."""
from __future__ import annotations

from extract.parsers import active, appeals, meta, requests
from extract.parsers.cells import doubt
from extract.record import Extraction
from extract.text import normalize
from extract.tokens import tokenize


def parse_report(text: str) -> Extraction:
    """Read every table cell and the meta of one report. `text` is the decoded source."""
    return parse_normalized(normalize(text))


def table_tokens(norm: str) -> list:
    """The cells of the tables: from section 二 (第二十条) on; the prose before it holds none."""
    return tokenize(norm, max(norm.find("第二十条"), 0))


def parse_normalized(norm: str) -> Extraction:
    """As parse_report, for text already passed through `extract.text.normalize`."""
    tokens = table_tokens(norm)
    year = meta.find_year(norm)
    agency = meta.find_agency(norm)
    fmt, why = meta.detect_format(norm, year.value)
    result = Extraction(method="parsers", format=fmt, year=year, agency=agency)
    if fmt is None:
        result.doubts.append(doubt("format_unknown", [], why))
        return result
    if "by year" in why:
        result.doubts.append(doubt("format_guessed", [], why))
    anchor = requests.find_anchor(tokens)
    active_end = anchor if anchor is not None else len(tokens)
    active_cells, active_doubts = active.parse_active(tokens, fmt, active.find_start(tokens, active_end), active_end)
    table = requests.parse_requests(tokens, fmt, anchor)
    appeal_from = table.end if table.end is not None else active_end
    appeal_cells, appeal_doubts = appeals.parse_appeals(tokens, appeals.find_start(tokens, appeal_from))
    result.cells = {**active_cells, **table.cells, **appeal_cells}
    result.doubts += active_doubts + table.doubts + appeal_doubts
    return result
