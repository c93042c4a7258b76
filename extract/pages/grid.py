"""The template's three tables as a reviewer sees them, each cell named by its canonical key: 二 (its
small tables of items × columns), 三 (its rows × the applicant columns, under the headings the form
prints) and 四 (three groups of five cells under a two-level header). Derived from the template's
description (`extract.template.spec`), so a page lays out exactly the cells the records have."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from extract.template import keys, spec


@dataclass(frozen=True)
class Head:
    """A label cell: its text and how many columns and rows it spans."""
    text: str
    cols: int = 1
    rows: int = 1
    upright: bool = False   # a narrow heading over many rows, its characters one under another


@dataclass(frozen=True)
class Line:
    """A row of values: the label cells printed before them, and the cells' keys."""
    labels: tuple[Head, ...]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    head: tuple[tuple[Head, ...], ...]
    body: tuple[Line, ...]
    label_columns: int            # the columns of labels before the values


@dataclass(frozen=True)
class Section:
    title: str                    # as the template titles it: 二、主动公开政府信息情况
    tables: tuple[Table, ...]


# A row's number as the spec writes it: '三(三)1' is section 三, item (三), sub-row 1; '一、' a section.
_NUMBER = re.compile(r"(?P<section>.+?)(?P<item>\(.+\))?(?P<sub>\d*)")


@lru_cache(maxsize=None)
def sections(version: str) -> tuple[Section, ...]:
    """二, 三 and 四 of one template version, in the template's order."""
    return (Section(spec.SECTIONS["active"], _active_tables(version)),
            Section(spec.SECTIONS["requests"], (_request_table(version),)),
            Section(spec.SECTIONS["appeals"], (_appeals_table(),)))


@lru_cache(maxsize=None)
def cell_names(version: str) -> dict[str, tuple[str, str]]:
    """Each cell's row and column, as the page names them (the row first: 行政许可, 本年处理决定数量)."""
    out: dict[str, tuple[str, str]] = {}
    for table in spec.ACTIVE[version]:
        for item in table.items:
            for column in table.columns:
                out[f"active.{item.key}.{column.key}"] = (item.label, keys.column_label(column))
    for row in spec.REQUEST_ROWS:
        if version in row.versions:
            for column in spec.COLUMNS:
                out[f"{row.key}.{column.key}"] = (keys.row_label(row), column.label)
    for group, label in spec.APPEAL_GROUPS:
        for column in spec.APPEAL_COLUMNS:
            out[f"{group}.{column.key}"] = (label, column.label)
    return out


def _active_tables(version: str) -> tuple[Table, ...]:
    return tuple(Table(f"t2-{n}", table.clause,
                       ((Head(spec.ACTIVE_ITEM_HEADING),) + tuple(Head(keys.column_label(c)) for c in table.columns),),
                       tuple(Line((Head(item.label),), tuple(f"active.{item.key}.{c.key}" for c in table.columns))
                             for item in table.items), 1)
                 for n, table in enumerate(spec.ACTIVE[version], start=1))


def _request_table(version: str) -> Table:
    # The form prints 法人或其他组织 (the 其他 column's note) over the organisations' columns.
    noted = next(i for i, c in enumerate(spec.COLUMNS) if c.note)
    first, orgs, rest = spec.COLUMNS[:1], spec.COLUMNS[1:noted + 1], spec.COLUMNS[noted + 1:]
    head = ((Head(spec.COLUMN_HEADING, 3, 2),) + tuple(Head(c.label, 1, 2) for c in first)
            + (Head(spec.COLUMNS[noted].note, len(orgs)),) + tuple(Head(c.label, 1, 2) for c in rest),
            tuple(Head(c.label) for c in orgs))
    rows = [r for r in spec.REQUEST_ROWS if version in r.versions]
    parts = [_NUMBER.fullmatch(r.number).groupdict("") for r in rows]  # type: ignore[union-attr]
    groups = [_group(version, p) for p in parts]
    outcomes = sum(1 for p in parts if p["item"])
    body, seen_outcome, seen_groups = [], False, set()
    for row, part, group in zip(rows, parts, groups):
        labels: list[Head] = []
        if not part["item"]:
            labels.append(Head(row.number + row.label, 3))
        else:
            if not seen_outcome:
                labels.append(Head(spec.OUTCOMES_HEADING, 1, outcomes, upright=True))
                seen_outcome = True
            if group is None:
                labels.append(Head(f"{part['item']} {row.label}", 2))
            else:
                if group.key not in seen_groups:
                    labels.append(Head(f"{part['item']} {group.label}", 1, groups.count(group), upright=True))
                    seen_groups.add(group.key)
                labels.append(Head(f"{part['sub']}. {row.label}"))
        body.append(Line(tuple(labels), tuple(f"{row.key}.{c}" for c in keys.columns())))
    return Table("t3", spec.SECTIONS["requests"], head, tuple(body), 3)


def _group(version: str, part: dict[str, str]) -> Optional[spec.Group]:
    if not part["sub"]:
        return None
    return next((g for g in spec.GROUPS if version in g.versions and g.number == part["section"] + part["item"]), None)


def _appeals_table() -> Table:
    """A group labelled 'A B' prints A over B (行政诉讼 over 未经复议直接起诉), its columns under B; a
    group of one word prints its columns right under it."""
    width = len(spec.APPEAL_COLUMNS)
    paths = [label.split(" ") for _, label in spec.APPEAL_GROUPS]
    columns = tuple(c.label for c in spec.APPEAL_COLUMNS)
    top = list(dict.fromkeys(p[0] for p in paths))
    row1 = tuple(Head(word, width * sum(1 for p in paths if p[0] == word)) for word in top)
    row2: list[Head] = []
    row3: list[Head] = []
    for path in paths:
        if len(path) == 1:
            row2.extend(Head(c, 1, 2) for c in columns)
        else:
            row2.append(Head(" ".join(path[1:]), width))
            row3.extend(Head(c) for c in columns)
    return Table("t4", spec.SECTIONS["appeals"], (row1, tuple(row2), tuple(row3)),
                 (Line((), keys.appeal_keys()),), 0)
