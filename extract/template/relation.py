"""The kinds of relation the template's cells keep (勾稽关系): the verifier checks them, the readers
ask them; neither restates them.

A Relation reads sum(left) == sum(right) over canonical keys; a RowSum is the same relation
inside one printed row (its `total` cell is the sum of its `parts`), which is how a reader
meets it while it decides which printed number sits in which cell; an AtLeast is a
plausibility bound, not a law. Plain classes: they are asked thousands of times per document.
"""
from __future__ import annotations

from operator import itemgetter
from typing import Mapping, NamedTuple, Optional, Sequence, Union

Number = Union[int, float]
_EPSILON = 1e-9


class Relation:
    __slots__ = ("code", "left", "right", "description", "keys", "_pick")

    def __init__(self, code: str, left: tuple[str, ...], right: tuple[str, ...], description: str) -> None:
        self.code, self.left, self.right, self.description = code, left, right, description
        self.keys: tuple[str, ...] = tuple(dict.fromkeys(left + right))
        # The cells' values, left then right, in one C call (two keys at least: a tuple).
        self._pick = itemgetter(*left, *right)

    def sums(self, values: Mapping[str, Optional[Number]]) -> Optional[tuple[Number, Number]]:
        """sum(left) and sum(right) over `values`; None while any of its cells has no value."""
        try:
            printed = self._pick(values)
        except KeyError:
            return None
        if None in printed:
            return None
        return sum(printed[:len(self.left)]), sum(printed[len(self.left):])

    def __repr__(self) -> str:
        return f"Relation({self.code!r}, {self.left!r}, {self.right!r}, {self.description!r})"


class RowSum:
    """Within a printed row: cell `total` == the sum of the cells `parts` (positions in the row),
    which the template prints as one run of cells."""

    __slots__ = ("code", "total", "parts", "description", "_first", "_stop")

    def __init__(self, code: str, total: int, parts: tuple[int, ...], description: str) -> None:
        if not parts or parts != tuple(range(parts[0], parts[0] + len(parts))):
            raise ValueError(f"{code}: the parts of a row's sum are one run of cells, not {parts}")
        self.code, self.total, self.parts, self.description = code, total, parts, description
        self._first, self._stop = parts[0], parts[-1] + 1

    def holds(self, cells: Sequence[Number]) -> bool:
        return abs(cells[self.total] - sum(cells[self._first:self._stop])) < _EPSILON

    def fill(self, cells: Sequence[Number], position: int) -> Number:
        """The value the cell at `position` must have for the sum to hold, the others as they are."""
        if position == self.total:
            return sum([cells[p] for p in self.parts])
        return cells[self.total] - sum([cells[p] for p in self.parts if p != position])

    def relation(self, keys: Sequence[str]) -> Relation:
        """The same relation over the canonical keys of the row's cells."""
        return Relation(self.code, (keys[self.total],), tuple(keys[p] for p in self.parts), self.description)

    def __repr__(self) -> str:
        return f"RowSum({self.code!r}, {self.total!r}, {self.parts!r})"


class AtLeast(NamedTuple):
    """A plausibility bound, not a law: `key` is usually >= `floor`."""

    code: str
    key: str
    floor: str
    description: str
