"""What a reader proposes: a Reading of one document, its cells with where each was printed, and
the doubts it had while reading.

Every reader (the parsers, the LLM) hands on a Reading; the verifier judges them all the same
way and the policy chooses among them. Offsets index the decoded source text: normalisation
maps one character to one character, so an offset into the normalised text is an offset into
the source too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, NamedTuple, Optional, Union

Number = Union[int, float]

# How a cell's value was obtained. Only READ methods count as grounded in the source.
READ: Final = "table"          # read from a printed cell at [start, end)
BLANK: Final = "blank"         # a printed but empty cell (blank, -, /, —): 0 by convention
EDGE_BLANK: Final = "edge_blank"  # a blank at a row's edge read as 0: it may be the row's end, not a cell
BLANK_LINE: Final = "blank_line"  # an empty line read as a blank cell (0): it may as well be a lost cell
POSITIONAL: Final = "positional"  # row label lost: mapped by position against the template
# Row label lost, and every bare row of its place prints this value in its column: each of those
# rows has it, whichever printed row is whose. No doubt by itself, but not printed under its own
# label either: a relation failing through it is not blamed on the source.
UNLABELLED: Final = "unlabelled"
SPLIT: Final = "split"         # cut out of a run of digits with no separators, pinned by the relations
INFERRED: Final = "inferred"   # not printed; forced by arithmetic (a part of a zero total, …)
FORCED: Final = "forced"       # a template cell the report folds into a printed row of zeros: 0 by arithmetic
LLM: Final = "llm"             # proposed by the model (grounding is checked separately)
HUMAN: Final = "human"         # a person's correction (`govreport correct`): wins over every reading
SPLIT_CONFIRMED: Final = "split_confirmed"  # cut out of a digit run by the parsers, the same value read by the LLM
# Placed by the grid's order (its row's label lost), and the LLM, reading whatever of the labels
# the text keeps, read every such row of the record the same: no label the text keeps says otherwise.
POSITIONAL_CONFIRMED: Final = "positional_confirmed"
CLAIMED: Final = "claimed"     # a value a record claims that the parsers did not read at a printed place
NOT_READ: Final = "missing"    # no value
COPY: Final = "copy"           # left open here (several readings), printed plainly by another copy of the report
GROUNDED_METHODS: Final = frozenset({READ, BLANK, HUMAN, COPY})  # printed plainly (here or in a copy), or by a person


class Cell(NamedTuple):
    """A value and where it came from. A NamedTuple: immutable, and cheap by the hundred."""

    value: Optional[Number]
    method: str = READ
    start: Optional[int] = None
    end: Optional[int] = None
    line: Optional[int] = None
    note: str = ""


MISSING: Final = Cell(None, method=NOT_READ)


@dataclass(frozen=True, slots=True)
class Doubt:
    """Something the reader itself was unsure of; the verifier reports it as an issue."""

    code: str
    keys: tuple[str, ...]
    message: str


@dataclass(frozen=True, slots=True)
class MetaField:
    value: Optional[Union[int, str]]
    method: str = READ
    start: Optional[int] = None
    end: Optional[int] = None


@dataclass(slots=True)
class Reading:
    """One reader's reading of one document (or the merge of two: "merged")."""

    method: str                                # "parsers" | "llm" | "merged"
    version: Optional[str]                     # the template version it read the tables as
    year: MetaField = field(default_factory=lambda: MetaField(None, "missing"))
    agency: MetaField = field(default_factory=lambda: MetaField(None, "missing"))
    cells: dict[str, Cell] = field(default_factory=dict)
    doubts: list[Doubt] = field(default_factory=list)
    # For a person to pick from, never values of the record: the readings the printed text
    # allows where several remain (the cell is left empty), and the LLM's values where they are
    # not the cell's (its proposal where the cell is empty, its other reading where not).
    options: dict[str, tuple[Number, ...]] = field(default_factory=dict)
    proposals: dict[str, Number] = field(default_factory=dict)

