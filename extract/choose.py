"""Per-cell choice between the parsers' reading and the LLM's, each judged by where it is printed.

Both readings are grounded the same way (`verify.grounding`: a row's values printed in order
at the row's own label; the LLM's reading arrives grounded, each cell printed in order there
carrying its span). Then, cell by cell:

- both readers agree → `agree` (a cell the parsers cut out of a digit run, confirmed by the
  other reader, no longer needs a human; nor do rows whose labels the text lost, placed by the
  grid's order, where the LLM read every such row of the record the same, cell for cell);
- one reader only, grounded in order at its row → accepted (`llm_grounded`), unless the
  parsers found several readings of that printed text: the model merely picked one, which is a
  proposal (flagged) — or a relation it takes part in fails (flagged);
- grounded elsewhere or printed nowhere → never chosen: a proposal;
- readers disagree → the parsers' reading stays; it is flagged only when the LLM's value is
  also printed in order there and the relations cannot tell the two apart.

The two readings are never averaged or "fixed"; a value the LLM invented is never chosen. Its
values that are not the record's are kept as proposals: shown to a person, never exported.
"""
from __future__ import annotations

from typing import Optional

from extract.document import Document
from extract.reading import (LLM, MISSING, POSITIONAL, POSITIONAL_CONFIRMED, SPLIT, SPLIT_CONFIRMED, UNLABELLED, Cell,
                             Doubt, MetaField, Number, Reading)
from extract.template import VERSIONS, cells_named, numeric_keys, relations
from verify.numbers import same

AGREE, PARSERS_ONLY, LLM_GROUNDED, DISAGREE = "agree", "parsers_only", "llm_grounded", "disagree"
# Parser doubts that mean "this printed text has several readings": a pick among them is not a reading.
_AMBIGUOUS = frozenset({"ambiguous_row", "ambiguous_cells", "too_many_readings", "appeals_unreadable"})


def choose(parsed: Reading, llm: Reading, document: Document) -> tuple[Reading, dict[str, str]]:
    """The merged reading and a confidence per field: agree / parsers_only / llm_grounded / disagree.
    The LLM's cells printed in order at their rows carry their spans (`extract.llm.round`)."""
    version = parsed.version
    theirs_values = {k: c.value for k, c in llm.cells.items() if c.value is not None}
    ambiguous = _keys_of(version, parsed.doubts, _AMBIGUOUS)
    placed = _placed_alike(parsed, theirs_values)
    merged: dict[str, Cell] = {}
    confidence: dict[str, str] = {}
    taken: list[str] = []
    picked: list[str] = []
    proposals: dict[str, Number] = {}  # the LLM's values that are not the cells': shown to a person, never exported
    for key in numeric_keys(version):
        mine = parsed.cells.get(key, MISSING)
        theirs = theirs_values.get(key)
        if theirs is None or (mine.value is not None and same(mine.value, theirs)):
            merged[key] = _confirmed(mine, placed) if theirs is not None else mine
            if mine.value is not None:
                confidence[key] = AGREE if theirs is not None else PARSERS_ONLY
            continue
        where = llm.cells[key]
        in_order = where.start is not None
        if mine.value is None:
            if in_order and key not in ambiguous:
                merged[key] = Cell(theirs, LLM, where.start, where.end, where.line, "read by the LLM, printed here")
                confidence[key] = LLM_GROUNDED
                taken.append(key)
            else:
                # Printed elsewhere or nowhere, or one pick among the readings the text allows:
                # a value nobody could confirm.
                merged[key] = mine
                proposals[key] = theirs
                if in_order:
                    picked.append(key)
            continue
        merged[key] = mine
        proposals[key] = theirs
        confidence[key] = DISAGREE if in_order else PARSERS_ONLY
    disputed = [k for k, c in confidence.items() if c == DISAGREE and _both_fit(version, merged, k, theirs_values[k])]
    for key in [k for k, c in confidence.items() if c == DISAGREE and k not in disputed]:
        confidence[key] = PARSERS_ONLY  # the LLM's value would break a relation the parsers' reading keeps
    norm = document.text
    result = Reading("merged", version, _meta(parsed.year, llm.year, norm), _meta(parsed.agency, llm.agency, norm),
                     merged, _settled(parsed, merged, set(taken)),
                     {k: v for k, v in parsed.options.items() if k not in taken}, proposals)
    if picked:
        result.doubts.append(Doubt("llm_picked_a_reading", tuple(picked), f"{len(picked)} cells: the printed text has "
                                   f"several readings and the LLM picked one, shown as a proposal for a person to "
                                   f"accept: {', '.join(picked[:5])}"))
    if disputed:
        result.doubts.append(Doubt("methods_disagree", tuple(disputed), f"parsers and LLM read {len(disputed)} cells "
                                   f"differently, both printed there and both fitting the relations (parsers' "
                                   f"reading kept): {', '.join(disputed[:5])}"))
    return result, confidence


def _confirmed(cell: Cell, placed: bool) -> Cell:
    """A cell cut out of a digit run by the parsers and read the same by the LLM: two readers,
    one value, printed there — no longer a doubt. So is a cell of a bare row placed by the grid's
    order, where the LLM placed every bare row alike (`_placed_alike`)."""
    if cell.method == SPLIT:
        return Cell(cell.value, SPLIT_CONFIRMED, cell.start, cell.end, cell.line, "split; the LLM read the same value")
    if cell.method == POSITIONAL and placed:
        return Cell(cell.value, POSITIONAL_CONFIRMED, cell.start, cell.end, cell.line,
                    "row label lost; placed by the grid's order, and the LLM read the same row there")
    return cell


def _placed_alike(parsed: Reading, theirs: dict[str, Number]) -> bool:
    """Whether the LLM gives every cell of the bare rows the parsers placed (rows whose labels the
    text lost: by the grid's order, or where every bare row of the place prints the same) the same
    value. The order alone cannot tell a row printed out of its place; the LLM also reads what is
    left of the labels (a fragment, a label printed lines away), so its placing every such row
    alike says that nothing the text keeps contradicts the order. One cell otherwise, and none of
    them is taken: a reading that places some rows differently is evidence against the order."""
    bare = [k for k, c in parsed.cells.items() if c.method in _BARE and c.value is not None]
    return any(parsed.cells[k].method == POSITIONAL for k in bare) and all(
        k in theirs and same(parsed.cells[k].value, theirs[k]) for k in bare)


_BARE = frozenset({POSITIONAL, UNLABELLED})


def _both_fit(version: str, merged: dict[str, Cell], key: str, theirs: float) -> bool:
    """Whether the LLM's value for `key` keeps every complete relation through `key` holding,
    as the parsers' value does: then the sums cannot tell the two readings apart."""
    touching = [r for r in relations(version) if key in r.keys]
    if not touching:
        return True  # section 二: no relation can decide
    values = {k: c.value for k, c in merged.items()}
    values[key] = theirs
    for rel in touching:
        sums = rel.sums(values)
        if sums is not None and abs(sums[0] - sums[1]) > 1e-9:
            return False
    return True


def _keys_of(version: Optional[str], doubts: list, codes: Optional[frozenset[str]] = None) -> set[str]:
    """Canonical keys named by these doubts (of these codes, if given), 'row.*' expanded."""
    out: set[str] = set()
    all_keys = numeric_keys(version) if version in VERSIONS else ()
    for d in doubts:
        if codes is not None and d.code not in codes:
            continue
        for key in d.keys:
            out.update(cells_named(version, key) if all_keys else (key,))
    return out


def _settled(parsed: Reading, merged: dict[str, Cell], taken: set[str]) -> list:
    """The parsers' doubts, less those about cells the accepted reading now fills in order."""
    out = []
    for d in parsed.doubts:
        keys = _keys_of(parsed.version, [d])
        if keys and keys <= taken and d.code not in _AMBIGUOUS:
            continue
        out.append(d)
    return out


def _meta(mine: MetaField, theirs: MetaField, norm: str) -> MetaField:
    if mine.value is not None or theirs.value is None:
        return mine
    if str(theirs.value) in norm:  # the LLM's year or agency, but only if the text prints it
        at = norm.find(str(theirs.value))
        return MetaField(theirs.value, LLM, at, at + len(str(theirs.value)))
    return mine
