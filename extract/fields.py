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
def numeric_key_set(fmt: str) -> frozenset[str]:
    """numeric_keys as a set: whether a record's keys are all the template's."""
    return frozenset(numeric_keys(fmt))


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


@lru_cache(maxsize=None)
def template_order() -> tuple[str, ...]:
    """Both versions' keys in the order the template prints them: 二, then 三 row by row, then 四."""
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
    rows = merged(request_rows("2019"), request_rows("2021"))
    requests = [f"{r}.{c}" for r in rows for c in columns()]
    return tuple(active + requests + list(appeal_keys()))
