"""The relations (勾稽关系) and plausibility bounds of spec/format.md, declared as data.

Everything is generated per template version from `extract.fields`, so a key renamed in
fields.json cannot drift out of the rules. A Relation reads sum(left) == sum(right); an
AtLeast reads value(key) >= value(floor). An unknown format has no rules (never an error).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Mapping, Optional

from extract import fields
from extract.record import Number


@dataclass(frozen=True)
class Relation:
    code: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    description: str

    @cached_property
    def keys(self) -> tuple[str, ...]:  # asked thousands of times per document: made once
        return tuple(dict.fromkeys(self.left + self.right))

    @cached_property
    def _pick(self) -> itemgetter:
        """The cells' values, left then right, in one C call (two keys at least: a tuple)."""
        return itemgetter(*self.left, *self.right)

    def sums(self, values: Mapping[str, Optional[Number]]) -> Optional[tuple[Number, Number]]:
        """sum(left) and sum(right) over `values`; None while any of its cells has no value."""
        try:
            printed = self._pick(values)  # asked ~40 times per document: no Python loop per cell
        except KeyError:
            return None
        if None in printed:
            return None
        return sum(printed[:len(self.left)]), sum(printed[len(self.left):])


@dataclass(frozen=True)
class AtLeast:
    """A plausibility bound, not a law: `key` is usually >= `floor`."""

    code: str
    key: str
    floor: str
    description: str


# The request table's row groups: new + carried_over == total + carried_forward (R1); the
# handling rows (everything else) add up to total (R2).
_R1_LEFT, _R1_RIGHT = ("requests.new", "requests.carried_over"), ("requests.total", "requests.carried_forward")
_NOT_HANDLING = frozenset(_R1_LEFT + _R1_RIGHT)
_APPEAL_PARTS = ("upheld", "corrected", "other", "pending")


def _row_label(fmt: str, row: str) -> str:
    return fields.labels(fmt).get(f"{row}.total", row).split(" / ")[0]


def _column_labels() -> dict[str, str]:
    # labels() writes request cells as "row label / column label"; read the column half back.
    sample = fields.labels("2021")
    return {c: sample[f"requests.new.{c}"].split(" / ")[-1] for c in fields.columns()}


@lru_cache(maxsize=None)
def relations(fmt: str) -> tuple[Relation, ...]:
    """R1–R4 for one template version, in a fixed order."""
    if fmt not in fields.FORMATS:
        return ()
    return _request_column_relations(fmt) + _request_row_relations(fmt) + _appeal_relations(fmt)


def _request_column_relations(fmt: str) -> tuple[Relation, ...]:
    handling = tuple(r for r in fields.request_rows(fmt) if r not in _NOT_HANDLING)
    col_label = _column_labels()
    out = []
    for c in fields.columns():
        out.append(Relation(
            "R1", tuple(f"{r}.{c}" for r in _R1_LEFT), tuple(f"{r}.{c}" for r in _R1_RIGHT),
            f"column {col_label[c]}: 本年新收 + 上年结转 == 总计 + 结转下年度",
        ))
    for c in fields.columns():
        out.append(Relation(
            "R2", (f"requests.total.{c}",), tuple(f"{r}.{c}" for r in handling),
            f"column {col_label[c]}: 三(七)总计 == sum of the handling rows 三(一)…(六)",
        ))
    return tuple(out)


def _request_row_relations(fmt: str) -> tuple[Relation, ...]:
    parts = tuple(c for c in fields.columns() if c != "total")
    return tuple(
        Relation("R3", (f"{r}.total",), tuple(f"{r}.{c}" for c in parts),
                 f"row {_row_label(fmt, r)}: 总计 == sum of the six applicant columns")
        for r in fields.request_rows(fmt)
    )


def _appeal_relations(fmt: str) -> tuple[Relation, ...]:
    labels = fields.labels(fmt)
    groups = dict.fromkeys(k.rsplit(".", 1)[0] for k in fields.appeal_keys(fmt))
    return tuple(
        Relation("R4", (f"{g}.total",), tuple(f"{g}.{p}" for p in _APPEAL_PARTS),
                 f"{labels.get(f'{g}.total', g).removesuffix(' 总计')}: 总计 == 维持 + 纠正 + 其他 + 尚未审结")
        for g in groups
    )


@lru_cache(maxsize=None)
def bounds(fmt: str) -> tuple[AtLeast, ...]:
    """Plausibility: a document stock is not smaller than what was added to it this year."""
    if fmt == "2021":
        code, floor, key = "in_force_below_issued", "issued", "in_force"
    elif fmt == "2019":
        code, floor, key = "total_below_new", "new_published", "total_published"
    else:
        return ()
    labels = fields.labels(fmt)
    groups = dict.fromkeys(k.rsplit(".", 1)[0] for k in fields.active_keys(fmt) if k.endswith(f".{key}"))
    return tuple(
        AtLeast(code, f"{g}.{key}", f"{g}.{floor}", f"{labels[f'{g}.{key}']} >= {labels[f'{g}.{floor}']}")
        for g in groups
    )
