"""Per-field choice between the parsers' reading and the LLM's, grounded in the source.

A value counts only where it is printed: an LLM value is looked for among the printed cells
of the same row (or, when the parsers found no such row, of the same table). A value the LLM
invented is never chosen. Where both readings are printed but differ, the parsers' reading
is kept and the cell is named for review; the two readings never get averaged or "fixed".
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional, Sequence

from extract import fields
from extract.parsers.cells import doubt
from extract.record import GROUNDED_METHODS, LLM, MISSING, Cell, Extraction, MetaField
from extract.tokens import BLANK, NUM, Token

AGREE, PARSERS_ONLY, LLM_ONLY, DISAGREE = "agree", "parsers_only", "llm_only", "disagree"


def row_of(key: str) -> str:
    section = key.split(".")[0]
    if section == "requests":
        return key.rsplit(".", 1)[0]
    if section == "active":
        return ".".join(key.split(".")[:2])
    return "appeals"  # the 15 appeal numbers share one printed row


def section_of(key: str) -> str:
    section = key.split(".")[0]
    return "appeals" if section in ("review", "litigation") else section


class PrintedCells:
    """Where numbers are printed, indexed by line, to ground values that came without a span."""

    def __init__(self, tokens: Sequence[Token], parser_cells: dict[str, Cell]) -> None:
        self.by_line: dict[int, list[Token]] = defaultdict(list)
        for tok in tokens:
            if tok.kind in (NUM, BLANK):
                self.by_line[tok.line].append(tok)
        self.row_lines: dict[str, set[int]] = defaultdict(set)
        self.section_lines: dict[str, set[int]] = defaultdict(set)
        for key, cell in parser_cells.items():
            if cell.line is not None:
                self.row_lines[row_of(key)].add(cell.line)
                self.section_lines[section_of(key)].add(cell.line)

    def find(self, key: str, value: float) -> Optional[Token]:
        """A printed cell holding `value` in the row of `key` (or its table, if the row is unknown)."""
        lines = self.row_lines.get(row_of(key))
        if not lines:
            section = self.section_lines.get(section_of(key))
            if not section:
                return None
            lines = set(range(min(section), max(section) + 1))
        for line in sorted(lines):
            for tok in self.by_line.get(line, ()):
                if tok.value is not None and abs(tok.value - value) < 1e-9:
                    return tok
        return None


def ground_llm(llm: Extraction, printed: PrintedCells) -> Extraction:
    """Give each LLM value the span where it is printed in its row; values printed nowhere keep none."""
    cells = {}
    for key, cell in llm.cells.items():
        if cell.value is None:
            cells[key] = cell
            continue
        tok = printed.find(key, cell.value)
        cells[key] = Cell(cell.value, LLM, tok.start, tok.end, tok.line) if tok else Cell(cell.value, LLM)
    return Extraction(llm.method, llm.format, llm.year, llm.agency, cells, list(llm.doubts))


def choose(parsed: Extraction, llm: Extraction, norm: str) -> tuple[Extraction, dict[str, str]]:
    """The merged reading and a confidence per field: agree / parsers_only / llm_only / disagree."""
    fmt = parsed.format
    merged: dict[str, Cell] = {}
    confidence: dict[str, str] = {}
    disagree, llm_only = [], []
    for key in fields.numeric_keys(fmt):
        mine = parsed.cells.get(key, MISSING)
        theirs = llm.cells.get(key, MISSING)
        if theirs.value is None or (mine.value is not None and abs(mine.value - theirs.value) < 1e-9):
            merged[key] = mine
            if mine.value is not None:
                confidence[key] = AGREE if theirs.value is not None else PARSERS_ONLY
            continue
        printed = theirs.start is not None  # grounded by `ground_llm`
        if mine.value is None:
            merged[key] = theirs if printed else MISSING
            if printed:
                confidence[key] = LLM_ONLY
                llm_only.append(key)
            continue
        merged[key] = mine
        if printed or mine.method not in GROUNDED_METHODS:
            confidence[key] = DISAGREE
            disagree.append(key)
        else:
            confidence[key] = PARSERS_ONLY  # the LLM's number is printed nowhere in that row: invented
    result = Extraction("merged", fmt, _meta(parsed.year, llm.year, norm), _meta(parsed.agency, llm.agency, norm),
                        merged, list(parsed.doubts))
    if disagree:
        result.doubts.append(doubt("methods_disagree", disagree, f"parsers and LLM read {len(disagree)} cells "
                                   f"differently (parsers' reading kept): {', '.join(disagree[:5])}"))
    if llm_only:
        result.doubts.append(doubt("llm_only", llm_only, f"{len(llm_only)} cells only the LLM read (printed in "
                                   f"their rows, but unconfirmed): {', '.join(llm_only[:5])}"))
    return result, confidence


def _meta(mine: MetaField, theirs: MetaField, norm: str) -> MetaField:
    if mine.value is not None or theirs.value is None:
        return mine
    if str(theirs.value) in norm:  # the LLM's year or agency, but only if the text prints it
        return MetaField(theirs.value, LLM, norm.find(str(theirs.value)), None)
    return mine
