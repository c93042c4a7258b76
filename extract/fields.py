"""The canonical cell keys of both template versions, read from the bundled fields.json.

fields.json is a copy of the project spec (tests check it matches); the keys are the
dataset's column names, so everything else derives its key lists from here.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

FORMATS: tuple[str, ...] = ("2019", "2021")


@lru_cache(maxsize=1)
def _spec() -> dict:
    return json.loads(resources.files("extract").joinpath("fields.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def columns() -> tuple[str, ...]:
    """Applicant columns of the request table, in printed order (total last)."""
    return tuple(c["key"] for c in _spec()["columns"])


@lru_cache(maxsize=None)
def numeric_keys(fmt: str) -> tuple[str, ...]:
    return tuple(_spec()["formats"][fmt]["numeric_keys"])


@lru_cache(maxsize=None)
def all_numeric_keys() -> tuple[str, ...]:
    """Union of both versions' keys, 2019 order first: the CSV export's columns."""
    seen: dict[str, None] = {}
    for fmt in FORMATS:
        seen.update(dict.fromkeys(numeric_keys(fmt)))
    return tuple(seen)


@lru_cache(maxsize=None)
def request_rows(fmt: str) -> tuple[str, ...]:
    return tuple(r["key"] for r in _spec()["formats"][fmt]["request_rows"])


@lru_cache(maxsize=None)
def active_keys(fmt: str) -> tuple[str, ...]:
    return tuple(r["key"] for r in _spec()["formats"][fmt]["active"])


@lru_cache(maxsize=None)
def appeal_keys(fmt: str = "2021") -> tuple[str, ...]:
    return tuple(r["key"] for r in _spec()["formats"][fmt]["appeals"])


@lru_cache(maxsize=None)
def labels(fmt: str) -> dict[str, str]:
    """Chinese label of every numeric key (request cells get row label + column label)."""
    spec = _spec()["formats"][fmt]
    col_labels = {c["key"]: c["label"] for c in _spec()["columns"]}
    out = {r["key"]: r["label"] for r in spec["active"] + spec["appeals"]}
    for row in spec["request_rows"]:
        for col in columns():
            out[f"{row['key']}.{col}"] = f"{row['label']} / {col_labels[col]}"
    return out


@lru_cache(maxsize=None)
def signed_keys() -> frozenset[str]:
    """Keys that may be negative: only 本年增/减."""
    return frozenset(k for k in all_numeric_keys() if k.endswith(".change"))


@lru_cache(maxsize=None)
def money_keys() -> frozenset[str]:
    """Keys in 万元, which may carry decimals."""
    return frozenset(k for k in all_numeric_keys() if k.endswith(".amount"))
