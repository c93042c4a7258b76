"""Every relation (R1–R4) and plausibility bound of each version, derived from the spec.

R1 and R2 hold down each applicant column of 三; R3 and R4 are the rows' own sums (the same
RowSums the readers ask while they lay a row's cells). An unknown version has no rules.
"""
from __future__ import annotations

from functools import lru_cache

from extract.template import keys, rows, spec
from extract.template.relation import AtLeast, Relation

# The handling rows (三's outcomes) are the rows that no column relation names.
_NAMED = frozenset(row for relation in spec.COLUMN_RELATIONS for row in relation.left + (relation.right or ()))


@lru_cache(maxsize=None)
def relations(version: str) -> tuple[Relation, ...]:
    """R1–R4 for one template version, in a fixed order."""
    if version not in spec.VERSIONS:
        return ()
    return _column_relations(version) + tuple(
        row_sum.relation(row.keys) for row in rows.request_rows(version) + (rows.appeals_row(version),)
        for row_sum in row.sums)


def _column_relations(version: str) -> tuple[Relation, ...]:
    row_keys = keys.request_row_keys(version)
    handling = tuple(r for r in row_keys if r not in _NAMED)
    labels = keys.column_labels()
    out = []
    for relation in spec.COLUMN_RELATIONS:
        right = handling if relation.right is None else relation.right
        for c in keys.columns():
            out.append(Relation(relation.code, tuple(f"{r}.{c}" for r in relation.left), tuple(f"{r}.{c}" for r in right),
                                f"column {labels[c]}: {relation.says}"))
    return tuple(out)


@lru_cache(maxsize=None)
def bounds(version: str) -> tuple[AtLeast, ...]:
    """Plausibility: a document stock is not smaller than what was added to it this year."""
    if version not in spec.BOUNDS:
        return ()
    code, key, floor = spec.BOUNDS[version]
    labels = keys.labels(version)
    items = dict.fromkeys(k.rsplit(".", 1)[0] for k in keys.active_keys(version) if k.endswith(f".{key}"))
    return tuple(AtLeast(code, f"{g}.{key}", f"{g}.{floor}", f"{labels[f'{g}.{key}']} >= {labels[f'{g}.{floor}']}")
                 for g in items)
