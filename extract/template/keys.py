"""The canonical cell keys and labels of both versions, derived from the spec.

They equal the project spec's fields.json (a test holds them to it): the keys are the
dataset's column names and the export's `values` keys; a request cell's label is its row's
label and its column's ('三(三)1 属于国家秘密 / 自然人').
"""
from __future__ import annotations

from functools import lru_cache

from extract.template import spec
from extract.template.spec import VERSIONS

__all__ = ["VERSIONS", "active_keys", "appeal_keys", "cells_named", "column_labels", "columns", "fields_json", "labels",
           "money_keys", "numeric_key_set", "numeric_keys", "request_row_keys", "signed_keys", "template_order"]


@lru_cache(maxsize=None)
def columns() -> tuple[str, ...]:
    """Applicant columns of the request table, in printed order (total last)."""
    return tuple(c.key for c in spec.COLUMNS)


@lru_cache(maxsize=None)
def column_labels() -> dict[str, str]:
    return {c.key: c.label for c in spec.COLUMNS}


def row_label(row: spec.RequestRow) -> str:
    """'三(三)1 属于国家秘密', '一、本年新收政府信息公开申请数量': as fields.json prints the row."""
    return row.number + ("" if row.number.endswith("、") else " ") + row.label


def column_label(column: spec.Column) -> str:
    return f"{column.label}（{column.unit}）" if column.unit else column.label


@lru_cache(maxsize=None)
def request_row_keys(version: str) -> tuple[str, ...]:
    return tuple(r.key for r in spec.REQUEST_ROWS if version in r.versions)


@lru_cache(maxsize=None)
def active_cells(version: str) -> tuple[tuple[str, str, spec.Column], ...]:
    """(key, label, column) of every 第二十条 cell, item by item in printed order."""
    return tuple((f"active.{item.key}.{column.key}", f"{item.label} {column_label(column)}", column)
                 for table in spec.ACTIVE[version] for item in table.items for column in table.columns)


@lru_cache(maxsize=None)
def active_keys(version: str) -> tuple[str, ...]:
    return tuple(key for key, _, _ in active_cells(version))


@lru_cache(maxsize=None)
def appeal_keys(version: str = "2021") -> tuple[str, ...]:
    """四's fifteen cells: the same in both versions."""
    return tuple(f"{group}.{c.key}" for group, _ in spec.APPEAL_GROUPS for c in spec.APPEAL_COLUMNS)


@lru_cache(maxsize=None)
def numeric_keys(version: str) -> tuple[str, ...]:
    """Every cell of the version in printed order: 二, then 三 row by row, then 四."""
    return (active_keys(version) + tuple(f"{r}.{c}" for r in request_row_keys(version) for c in columns())
            + appeal_keys(version))


@lru_cache(maxsize=None)
def numeric_key_set(version: str) -> frozenset[str]:
    """numeric_keys as a set: whether a record's keys are all the template's."""
    return frozenset(numeric_keys(version))


@lru_cache(maxsize=None)
def cells_named(version: str, key: str) -> tuple[str, ...]:
    """The cells an issue's key names: 'row.*' is every cell under the row, any other key itself."""
    if not key.endswith(".*"):
        return (key,)
    return tuple(k for k in numeric_keys(version) if k.startswith(key[:-1]))


@lru_cache(maxsize=None)
def labels(version: str) -> dict[str, str]:
    """Chinese label of every numeric key (request cells get row label / column label)."""
    out = {key: label for key, label, _ in active_cells(version)}
    for row in spec.REQUEST_ROWS:
        if version in row.versions:
            for c in spec.COLUMNS:
                out[f"{row.key}.{c.key}"] = f"{row_label(row)} / {c.label}"
    for group, label in spec.APPEAL_GROUPS:
        for c in spec.APPEAL_COLUMNS:
            out[f"{group}.{c.key}"] = f"{label} {c.label}"
    return {key: out[key] for key in numeric_keys(version)}


def fields_json() -> dict:
    """The keys and labels in the form of the project spec's fields.json."""
    def version(v: str) -> dict:
        label = labels(v)
        return {"active": [{"key": k, "label": label[k]} for k in active_keys(v)],
                "request_rows": [{"key": r.key, "label": row_label(r)} for r in spec.REQUEST_ROWS if v in r.versions],
                "appeals": [{"key": k, "label": label[k]} for k in appeal_keys(v)],
                "numeric_keys": list(numeric_keys(v))}
    return {"columns": [{"key": c.key, "label": c.label} for c in spec.COLUMNS],
            "formats": {v: version(v) for v in VERSIONS}}


@lru_cache(maxsize=None)
def signed_keys() -> frozenset[str]:
    """Keys that may be negative: only 本年增/减."""
    return frozenset(key for version in VERSIONS for key, _, column in active_cells(version) if column.signed)


@lru_cache(maxsize=None)
def money_keys() -> frozenset[str]:
    """Keys in 万元, which may carry decimals."""
    return frozenset(key for version in VERSIONS for key, _, column in active_cells(version) if column.unit)


@lru_cache(maxsize=None)
def template_order() -> tuple[str, ...]:
    """Both versions' keys in the order the template prints them: 二, then 三 row by row, then 四
    (the CSV export's columns)."""
    def merged(a: tuple[str, ...], b: tuple[str, ...]) -> list[str]:
        """a's order, with b's own keys after the key b puts before them (and after what only a
        has there: the 2021 sub-rows of 三(六) follow the 2019 row they replace)."""
        out = list(a)
        for i, key in enumerate(b):
            if key in out:
                continue
            before = next((k for k in reversed(b[:i]) if k in out), None)
            at = out.index(before) + 1 if before else len(out)
            while at < len(out) and out[at] not in b:
                at += 1
            out.insert(at, key)
        return out

    active = merged(active_keys("2019"), active_keys("2021"))
    items = list(dict.fromkeys(k.split(".")[1] for k in active))
    active.sort(key=lambda k: items.index(k.split(".")[1]))  # each item's cells together, 2019's first
    rows = merged(request_row_keys("2019"), request_row_keys("2021"))
    requests = [f"{r}.{c}" for r in rows for c in columns()]
    return tuple(active + requests + list(appeal_keys()))
