"""What a reviewer needs to know about each cell of a record: its value, where it was printed, how
it was read, and why it needs a look. One model for every review surface (the review pages, the
CSV of `review --cells`), so that they flag the same cells for the same reasons.

States (a cell can have several):
    read        printed plainly (or printed blank) and read as printed; or in a bare row (its label
                lost) where every bare row of its place prints the same value there
    split       cut out of a run of digits printed without separators, pinned by the relations
    llm         read by the LLM only (printed in order at its row)
    copy        left open by this text (several readings), printed plainly by a copy of the same report
    inferred    read with a guess: placed by position (flagged, unless the LLM placed every such
                row alike), a blank at a row's edge or an empty line taken as 0, or not printed
                at all and forced by arithmetic
    disputed    the parsers and the LLM read it differently, both printed there
    relation    a relation the verifier checks fails through it
    missing     no value
    doubt       a reader's doubt names it (its issues say which)
    options     the printed text has several readings of it: pick one
    proposal    a value nobody could confirm (the LLM's), shown pre-filled, never exported
    human       decided by a person (`govreport correct`)
    stale       a person's correction made against a reading that has since changed
    audit       the record was sampled for audit: every cell is to be confirmed
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from extract.reading import (BLANK, COPY, HUMAN, LLM, NOT_READ, POSITIONAL_CONFIRMED, READ, SPLIT, SPLIT_CONFIRMED,
                             UNLABELLED, Number)
from extract.template import bounds, cells_named, labels, numeric_keys, relations

# The states that flag a cell; how it was read (split, llm, inferred) is shown, and flags it only
# through an issue that names it.
NEEDS_A_LOOK = frozenset({"disputed", "relation", "missing", "doubt", "options", "proposal", "stale", "audit"})
_HOW = {READ: "read", BLANK: "read", UNLABELLED: "read", SPLIT: "split", SPLIT_CONFIRMED: "split", LLM: "llm",
        HUMAN: "human", COPY: "copy", NOT_READ: "missing", POSITIONAL_CONFIRMED: "inferred"}


@dataclass
class CellState:
    key: str
    label: str                       # the template's Chinese label (row / column)
    value: Optional[Number]
    method: str                      # how the value was read (extract.reading's methods)
    start: Optional[int] = None      # where in the stored text it was printed
    end: Optional[int] = None
    line: Optional[int] = None
    note: str = ""
    states: set[str] = field(default_factory=set)
    issues: list[dict] = field(default_factory=list)   # the record's issues that name this cell
    options: tuple[Number, ...] = ()                   # the readings the printed text allows
    proposal: Optional[Number] = None                  # a value nobody could confirm

    @property
    def flagged(self) -> bool:
        return not NEEDS_A_LOOK.isdisjoint(self.states)


def cell_states(record: dict[str, Any], audit: bool = False) -> list[CellState]:
    """Every cell of a stored record (as `corrections.records` gives it), in template order;
    `audit` flags all of them for a person to confirm. A record without a template version has none."""
    version = record.get("format")
    if not version:
        return []
    names = labels(version)
    provenance = record.get("provenance") or {}
    options = record.get("options") or {}
    proposals = record.get("proposals") or {}
    stale = {c.key for c in record.get("stale") or ()}
    named = _issues_by_cell(version, record.get("issues") or [])
    checked = {r.code for r in relations(version)} | {b.code for b in bounds(version)}
    out = []
    for key in numeric_keys(version):
        where = provenance.get(key) or {}
        method = where.get("method", NOT_READ)
        cell = CellState(key, names.get(key, key), record["values"].get(key), method, where.get("start"),
                         where.get("end"), where.get("line"), where.get("note", ""), issues=named.get(key, []))
        cell.states.add(_HOW.get(method, "inferred"))
        if cell.value is None:
            cell.states.add("missing")
        codes = {i["code"] for i in cell.issues}
        if "methods_disagree" in codes:
            cell.states.add("disputed")
        if any(i["code"] in checked and i["severity"] != "info" for i in cell.issues):
            cell.states.add("relation")
        if key in options:
            cell.options = tuple(options[key])
            cell.states.add("options")
        if key in proposals:
            cell.proposal = proposals[key]
            cell.states.add("proposal")
        if key in stale:
            cell.states.add("stale")
        if audit:
            cell.states.add("audit")
        if any(i["severity"] != "info" for i in cell.issues) and not cell.flagged and "human" not in cell.states:
            cell.states.add("doubt")
        out.append(cell)
    return out


def flagged_cells(record: dict[str, Any], audit: bool = False) -> Iterator[CellState]:
    yield from (c for c in cell_states(record, audit) if c.flagged)


def _issues_by_cell(version: str, issues: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for issue in issues:
        for name in issue.get("keys") or ():
            for key in cells_named(version, name):
                out.setdefault(key, []).append(issue)
    return out
