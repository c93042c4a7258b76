"""Checks across two reports of one agency in consecutive years (the template's chains: spec's
CARRY_OVER_CHAIN and STOCK_CHAIN). Pure: records in, breaks out; neither record is changed. A
break between cells both read plainly (printed, or decided by a person) is the sources' own
inconsistency; otherwise one of the readings may be at fault."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from extract.reading import BLANK, HUMAN, READ
from extract.template import columns, spec
from verify.report import EXTRACTION, INFO, SOURCE, Issue

PLAIN = frozenset({READ, BLANK, HUMAN})


@dataclass(frozen=True)
class Break:
    code: str                  # Y1, Y2
    says: str                  # the relation, in the template's words
    earlier_keys: tuple[str, ...]
    later_keys: tuple[str, ...]
    expected: float            # what the earlier year (with the later's flows) makes the later cell
    found: float               # what the later record holds
    plain: bool                # every cell of it read plainly in both records

    def issue(self, keys: tuple[str, ...], message: str) -> Issue:
        """The break as an issue of one of its two records (noted: the status stays)."""
        return Issue("year_chain_break", keys, message, INFO, SOURCE if self.plain else EXTRACTION, self.expected,
                     self.found)

    @property
    def message(self) -> str:
        who = ("both reports print these cells plainly: the sources disagree" if self.plain
               else "a reading of one of the reports may be at fault")
        return f"{self.code} {self.says}: {self.later_keys[0]} is {_n(self.found)}, the year before makes it " \
               f"{_n(self.expected)} ({who})"


def year_breaks(earlier: dict[str, Any], later: dict[str, Any]) -> list[Break]:
    """The chains' breaks between a record of year N−1 and one of year N (stored records: values,
    provenance, format). A chain with a cell missing on either side is not checked."""
    out: list[Break] = []
    code, over, forward, says = spec.CARRY_OVER_CHAIN
    for column in columns():
        now, before = f"{over}.{column}", f"{forward}.{column}"
        _compare(out, earlier, later, code, says, (before,), (now,), _value(earlier, before), _value(later, now))
    code, version, groups, stock, issued, repealed, says = spec.STOCK_CHAIN
    if earlier.get("format") == later.get("format") == version:
        for group in groups:
            keys = (f"{group}.{stock}", f"{group}.{issued}", f"{group}.{repealed}")
            previous, added, removed = _value(earlier, keys[0]), _value(later, keys[1]), _value(later, keys[2])
            expected = None if None in (previous, added, removed) else previous + added - removed  # type: ignore[operator]
            _compare(out, earlier, later, code, says, (keys[0],), (keys[0], keys[1], keys[2]), expected,
                     _value(later, keys[0]))
    return out


def _compare(out: list[Break], earlier: dict, later: dict, code: str, says: str, earlier_keys: tuple[str, ...],
             later_keys: tuple[str, ...], expected: Optional[float], found: Optional[float]) -> None:
    if expected is None or found is None or abs(expected - found) < 1e-9:
        return
    plain = all(_method(earlier, k) in PLAIN for k in earlier_keys) and all(_method(later, k) in PLAIN
                                                                          for k in later_keys)
    out.append(Break(code, says, earlier_keys, later_keys, expected, found, plain))


def _value(record: dict, key: str) -> Optional[float]:
    value = (record.get("values") or {}).get(key)
    return value if isinstance(value, (int, float)) else None


def _method(record: dict, key: str) -> Optional[str]:
    return ((record.get("provenance") or {}).get(key) or {}).get("method")


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
