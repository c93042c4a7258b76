"""Two copies of one report (the same agency, year and template: a page and its text, a page and
its PDF): where they disagree, and which cells one leaves open that the other prints plainly.
Pure: records in, findings out. A cell is filled from a copy only where this copy's own text
allows that value (it is one of its readings) and the copy printed it plainly."""
from __future__ import annotations

from typing import Any, NamedTuple, Optional

from extract.reading import BLANK, HUMAN, READ, Number
from verify.checks import label, show
from verify.report import EXTRACTION, SOURCE, WARNING, Issue

PLAIN = frozenset({READ, BLANK, HUMAN})


class Difference(NamedTuple):
    key: str
    mine: Number
    theirs: Number
    plain: bool        # both copies print it plainly: the sources disagree


def differences(mine: dict[str, Any], theirs: dict[str, Any]) -> list[Difference]:
    """The cells both copies give a value for, and give different ones."""
    out = []
    for key, value in (mine.get("values") or {}).items():
        other = (theirs.get("values") or {}).get(key)
        if value is None or other is None or abs(float(value) - float(other)) < 1e-9:
            continue
        out.append(Difference(key, value, other, _method(mine, key) in PLAIN and _method(theirs, key) in PLAIN))
    return out


def fills(mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Number]:
    """The cells `mine` leaves open (no value; several readings of its text) that `theirs` prints
    plainly with one of those readings."""
    out = {}
    for key, readings in (mine.get("options") or {}).items():
        value = (theirs.get("values") or {}).get(key)
        if (mine.get("values") or {}).get(key) is None and value is not None and _method(theirs, key) in PLAIN \
                and any(abs(float(value) - float(r)) < 1e-9 for r in readings):
            out[key] = value
    return out


def difference_issue(version: Optional[str], found: Difference, other: str) -> Issue:
    """A difference as an issue of one copy (the one holding `found.mine`)."""
    whose = ("both print it plainly: the copies themselves differ" if found.plain
             else "a reading of one of the copies may be at fault")
    return Issue("copies_disagree", (found.key,),
                 f"{label(version, found.key)} is {show(found.mine)} here, {show(found.theirs)} in a copy of the same "
                 f"report ({other}); {whose}", WARNING, SOURCE if found.plain else EXTRACTION,
                 expected=found.theirs, found=found.mine)


def _method(record: dict[str, Any], key: str) -> Optional[str]:
    return ((record.get("provenance") or {}).get(key) or {}).get("method")
