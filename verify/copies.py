"""Two copies of one report (the same agency, year and template: a page and its text, a page and
its PDF): where they disagree, and which cells one leaves open that the other prints plainly.
Pure: records in, findings out. A cell is filled from a copy only where this copy's own text
allows that value (it is one of its readings) and the copy printed it plainly."""
from __future__ import annotations

import re
from typing import Any, NamedTuple, Optional

from extract import template
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


def fills(mine: dict[str, Any], theirs: dict[str, Any], text: str) -> dict[str, Number]:
    """The cells `mine` leaves open (no value; several readings of its text) that `theirs` prints
    plainly with one of those readings, row by row: a row's open cells are filled only together,
    and only where their digits, one value after the other, are the whole of a number `mine`'s text
    prints (the cells of one digit run: each value being one of its cell's readings is not enough)."""
    version = mine.get("format")
    if version not in template.VERSIONS:
        return {}
    options, values = mine.get("options") or {}, mine.get("values") or {}
    # The digits of each number the text prints ('39573802895.90' → '3957380289590'): a row's cells
    # run together are one of them, whatever scale an amount was printed in (元 for 万元 moves the point).
    runs = [run.replace(".", "") for run in re.findall(r"[0-9.]+", text)]
    rows: dict[str, list[str]] = {}
    for key in template.numeric_keys(version):
        if values.get(key) is None and key in options:
            rows.setdefault(key.rsplit(".", 1)[0], []).append(key)
    out: dict[str, Number] = {}
    for keys in rows.values():
        offered = [(theirs.get("values") or {}).get(key) for key in keys]
        if any(value is None or _method(theirs, key) not in PLAIN or not any(_same(value, r) for r in options[key])
               for key, value in zip(keys, offered)):
            continue
        found: list[Number] = [value for value in offered if value is not None]
        digits = "".join(_digits(v) for v in found)
        # The whole of one printed number; an amount's printed form may end in zeros ('…5.90').
        decimal = not float(found[-1]).is_integer()
        if any(run == digits or (decimal and run.startswith(digits) and not run[len(digits):].strip("0"))
               for run in runs):
            out.update(zip(keys, found))
    return out


def _digits(value: Number) -> str:
    """A value's digits as a run prints them: no sign, no point, no leading zeros."""
    text = str(abs(int(value))) if float(value).is_integer() else repr(abs(float(value)))
    return text.replace(".", "").lstrip("0") or "0"


def _same(a: Number, b: Number) -> bool:
    return abs(float(a) - float(b)) < 1e-9


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
