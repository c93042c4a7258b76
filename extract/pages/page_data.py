"""What a document page's script knows of its record: each cell's value and the machine's value a
decision is made against (`was`), its states, the readings to pick from, a proposal, the issues
that name it; each issue with its cells, and for a broken relation its two sides.

Only fields of the record go in (never a run's command line or settings). Short keys: the data
travels in every page, 200-odd cells each.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Optional

from extract.cell_states import CellState
from extract.pages.grid import cell_names
from extract.template import Relation, relations


def page_data(record: dict[str, Any], cells: list[CellState], audit: bool) -> dict[str, Any]:
    """The JSON a page carries (see review.js for how each field is read)."""
    version = record.get("format") or ""
    rows, columns, place = _places(version) if cells else ((), (), {})
    issues = record.get("issues") or []
    number = {id(issue): n for n, issue in enumerate(issues)}
    was = {c.key: c.was for c in record.get("corrections") or ()}     # applied: decided against this machine value
    stale = {c.key: c for c in record.get("stale") or ()}
    named: dict[int, list[str]] = {}
    out = []
    for cell in cells:
        r, c = place[cell.key]
        value = cell.value
        item: dict[str, Any] = {"k": cell.key, "r": r, "c": c,
                                "v": value if value is None or type(value) is int else plain(value),
                                "s": _states(frozenset(cell.states)), "m": cell.method}
        if cell.key in was:             # else the machine's value is the cell's
            item["w"] = plain(was[cell.key])
        if cell.flagged:
            item["f"] = 1
        if cell.line is not None:
            item["ln"] = cell.line
        if cell.note:
            item["n"] = cell.note
        if cell.options:
            item["o"] = [plain(v) for v in cell.options]
        if cell.proposal is not None:
            item["p"] = plain(cell.proposal)
        if cell.key in stale:
            x = stale[cell.key]
            item["x"] = {"v": plain(x.value), "w": plain(x.was), "by": x.by}
        if cell.issues:
            said = [number[id(i)] for i in cell.issues if id(i) in number]
            item["i"] = said
            for n in said:
                named.setdefault(n, []).append(cell.key)
        out.append(item)
    sides = _relations(version)
    return {"sha256": record["sha256"], "status": record.get("status"), "audit": audit, "rows": rows,
            "cols": columns, "cells": out,
            "issues": [_issue(issue, named.get(n, []), sides) for n, issue in enumerate(issues)]}


@lru_cache(maxsize=None)
def _places(version: str) -> tuple[list[str], list[str], dict[str, tuple[int, int]]]:
    """The version's row and column names, and each cell's place among them."""
    rows: dict[str, int] = {}
    columns: dict[str, int] = {}
    place = {key: (rows.setdefault(row, len(rows)), columns.setdefault(column, len(columns)))
             for key, (row, column) in cell_names(version).items()}
    return list(rows), list(columns), place


@lru_cache(maxsize=1024)  # a few dozen combinations recur over every page
def _states(states: frozenset) -> str:
    return " ".join(sorted(states))


def plain(value: Any) -> Any:
    """A value JSON and a browser read alike: a finite number or null; anything else as its text
    (NaN would make the page's JSON unreadable)."""
    if value is None or isinstance(value, bool):
        return value if value is None else str(value)
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return str(value)


def _issue(issue: dict[str, Any], keys: list[str], sides: dict) -> dict[str, Any]:
    out = {"code": issue.get("code"), "severity": issue.get("severity"), "origin": issue.get("origin"),
           "message": issue.get("message") or "", "keys": keys}
    relation: Optional[Relation] = sides.get((issue.get("code"), frozenset(keys)))
    if relation is not None:
        out["rel"] = {"says": relation.description, "l": list(relation.left), "r": list(relation.right)}
    return out


@lru_cache(maxsize=None)
def _relations(version: str) -> dict[tuple[str, frozenset], Relation]:
    """The template's relations by code and cells: an issue names the cells of the one it breaks."""
    return {(r.code, frozenset(r.keys)): r for r in relations(version)}
