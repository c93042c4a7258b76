"""The template's printed rows, as a reader looks for them: each row's cells, the pattern that
finds its label, the ordinal printed before it, and the sums that hold within it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Sequence

from extract.template import keys, spec
from extract.template.relation import Number, RowSum


@dataclass(frozen=True)
class Row:
    """One printed row of a template table."""

    key: str                      # 'requests.refused.state_secret', 'active.licensing', 'appeals'
    keys: tuple[str, ...]         # its cells' canonical keys, in printed order
    label: str                    # the label as the template prints it (ordinal stripped)
    pattern: re.Pattern           # matched on the label with whitespace and markup removed
    ordinal: str = ""             # '1'…'8' for the numbered sub-rows of 三, else ''
    sums: tuple[RowSum, ...] = ()  # the relations within the row (R3, R4), each closing a run of cells
    signed: frozenset[int] = frozenset()  # the cells that may be negative (本年增/减)

    def sums_hold(self, values: Sequence[Number]) -> bool:
        """Whether every relation within the row holds for these values of its cells."""
        for row_sum in self.sums:
            if not row_sum.holds(values):
                return False
        return True


def make_row(key: str, cells: tuple[str, ...], label: str, pattern: re.Pattern, ordinal: str = "",
             sums: tuple[RowSum, ...] = ()) -> Row:
    """A Row whose sums each close a run of consecutive cells (the template's shape: a group's
    total is printed last), so that a reader can lay a row's cells group by group."""
    start = 0
    for row_sum in sums:
        if row_sum.parts != tuple(range(start, row_sum.total)):
            raise ValueError(f"{key}: the sum {row_sum} does not close a run of consecutive cells")
        start = row_sum.total + 1
    signed = frozenset(i for i, cell in enumerate(cells) if cell in keys.signed_keys())
    return Row(key, cells, label, pattern, ordinal, sums, signed)


def _request_row(row: spec.RequestRow) -> Row:
    code, says = spec.ROW_SUM_REQUESTS
    width = len(spec.COLUMNS)
    total = RowSum(code, width - 1, tuple(range(width - 1)), f"row {keys.row_label(row)}: {says}")
    ordinal = row.number[-1] if row.number[-1].isdigit() else ""
    return make_row(row.key, tuple(f"{row.key}.{c}" for c in keys.columns()), row.label, re.compile(row.words),
                    ordinal, (total,))


@lru_cache(maxsize=None)
def request_rows(version: str) -> tuple[Row, ...]:
    """The request table's rows in printed order, each with its seven cells."""
    return tuple(_request_row(r) for r in spec.REQUEST_ROWS if version in r.versions)


@lru_cache(maxsize=None)
def request_search_rows(version: str) -> tuple[Row, ...]:
    """The rows a reader looks for: the template's own, and in a 2021 table also the 2019 single
    （六）其他处理 row, which some 2021 reports still print instead of its three sub-rows."""
    rows = request_rows(version)
    if any(r.key == spec.SINGLE_OTHER for r in rows):
        return rows
    single = next(_request_row(r) for r in spec.REQUEST_ROWS if r.key == spec.SINGLE_OTHER)
    at = next(i for i, r in enumerate(rows) if r.key.startswith(spec.SINGLE_OTHER + "."))
    return rows[:at] + (single,) + rows[at:]


@lru_cache(maxsize=None)
def active_rows(version: str) -> tuple[Row, ...]:
    """The 第二十条 items in printed order, each with its cells (no relations among them)."""
    return tuple(make_row(f"active.{item.key}", tuple(f"active.{item.key}.{c.key}" for c in table.columns),
                          item.label, re.compile(item.words))
                 for table in spec.ACTIVE[version] for item in table.items)


@lru_cache(maxsize=None)
def any_active_item(version: str) -> re.Pattern:
    """Any one of the 第二十条 items' labels."""
    return re.compile("|".join(r.pattern.pattern for r in active_rows(version)))


@lru_cache(maxsize=None)
def appeals_row(version: str = "2021") -> Row:
    """四、 one printed row of 15 numbers: three groups of 维持/纠正/其他/尚未审结/总计."""
    code, says = spec.ROW_SUM_APPEALS
    width = len(spec.APPEAL_COLUMNS)
    sums = tuple(RowSum(code, at + width - 1, tuple(range(at, at + width - 1)), f"{label}: {says}")
                 for at, (_, label) in zip(range(0, width * len(spec.APPEAL_GROUPS), width), spec.APPEAL_GROUPS))
    return make_row("appeals", keys.appeal_keys(version), spec.APPEALS_LABEL, spec.APPEALS_START, "", sums)


@lru_cache(maxsize=None)
def request_label_patterns() -> tuple[re.Pattern, ...]:
    """Every request row's label pattern, of both versions, once each."""
    rows = [r for version in spec.VERSIONS for r in request_rows(version)]
    return tuple({r.pattern.pattern: r.pattern for r in rows}.values())


@lru_cache(maxsize=None)
def active_label_pattern() -> re.Pattern:
    """Any 第二十条 item's label, of either version."""
    return re.compile("|".join(sorted({r.pattern.pattern for v in spec.VERSIONS for r in active_rows(v)})))


# --- label text ------------------------------------------------------------------------------
_LABEL_NOISE: Final = re.compile(r"[\s()（）【】\[\]“”\"'‘’:：,，;；、.。\-—|#*]")
_LEADING_ORDINAL: Final = re.compile(r"^(?:第?[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|\d+[.、])")


@lru_cache(maxsize=4096)
def compact(label: str) -> str:
    """Label without spaces, brackets and punctuation: '（二） 部分 公开' → '二部分公开'."""
    return _LABEL_NOISE.sub("", label)


@lru_cache(maxsize=4096)  # labels repeat from report to report
def strip_ordinal(label: str) -> str:
    """'(三) 不予公开' → '不予公开'; '1. 属于国家秘密' → '属于国家秘密'."""
    stripped = label.strip()
    while True:
        new = _LEADING_ORDINAL.sub("", stripped).strip()
        if new == stripped:
            return compact(new)
        stripped = new
