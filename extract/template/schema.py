"""The pydantic models an LLM answers in, derived from the template: meta plus every cell of one
version, nested as the template prints the tables (二's items, 三's rows and groups, 四's groups).

Rows of numbers are fixed-length lists in printed column order (far fewer tokens than named
cells, and read the way the table is printed). Every field is required and nullable: a
schema-constrained decoder then writes every cell, null where the source gives nothing,
instead of stopping at an empty object. Counts are not constrained here (a negative count is
the verifier's to report, not a reason to reject the whole answer).

pydantic belongs to the LLM stack here (instructor answers in its models): it is imported when
the first model is built, so that a run with the LLM off never loads it.
"""
from __future__ import annotations

from functools import lru_cache
from types import ModuleType
from typing import Any, Optional

from extract.template import keys, spec

SIGNED_HINT = "signed: 增16 → 16, 减3 → -3"
REQUEST_COLUMNS = "[" + ", ".join(f"{c.label}({c.note})" if c.note else c.label for c in spec.COLUMNS) + "]"
APPEAL_COLUMNS = "[" + ", ".join(c.label for c in spec.APPEAL_COLUMNS) + "]"


@lru_cache(maxsize=1)
def _pydantic() -> ModuleType:
    import pydantic

    return pydantic


def _numbers(size: int) -> Any:
    return _pydantic().conlist(Optional[int], min_length=size, max_length=size)


def _model(name: str, fields: dict[str, tuple[Any, str]]) -> Any:
    pydantic = _pydantic()
    return pydantic.create_model(name, __config__=pydantic.ConfigDict(extra="forbid"),
                                 **{field: (annotation, pydantic.Field(..., description=description))
                                    for field, (annotation, description) in fields.items()})


def _column(column: spec.Column) -> tuple[Any, str]:
    description = column.label + (f", {column.unit}" if column.unit else "") + (f", {SIGNED_HINT}" if column.signed else "")
    return (Optional[float] if column.unit else Optional[int]), description


@lru_cache(maxsize=None)
def _item_model(shape: str, columns: tuple[spec.Column, ...]) -> Any:
    return _model(f"LLM{shape}", {c.key: _column(c) for c in columns})


def _active(version: str) -> Any:
    return _model(f"LLMActive{version}", {item.key: (_item_model(table.shape, table.columns), item.label)
                                         for table in spec.ACTIVE[version] for item in table.items})


def _row(row: spec.RequestRow, nested: bool) -> tuple[Any, str]:
    name = f"{row.number[-1]}.{row.label}" if nested else row.number + row.label
    return _numbers(len(spec.COLUMNS)), f"{name} {REQUEST_COLUMNS}"


@lru_cache(maxsize=None)
def _group_model(group: spec.Group, version: str) -> Any:
    rows = [r for r in spec.REQUEST_ROWS if version in r.versions and r.key.startswith(group.key + ".")]
    return _model(f"LLM{group.shape}", {r.key.rsplit(".", 1)[1]: _row(r, nested=True) for r in rows})


def _requests(version: str) -> Any:
    groups = {g.key: g for g in spec.GROUPS if version in g.versions}
    fields: dict[str, tuple[Any, str]] = {}
    for row in spec.REQUEST_ROWS:
        if version not in row.versions:
            continue
        top = ".".join(row.key.split(".")[:2])
        name = top.split(".")[1]
        if top in groups and name not in fields:
            fields[name] = (_group_model(groups[top], version), groups[top].number + groups[top].label)
        elif top not in groups:
            fields[name] = _row(row, nested=False)
    return _model(f"LLMRequests{version}", fields)


def _appeal_group(label: str) -> tuple[Any, str]:
    return _numbers(len(spec.APPEAL_COLUMNS)), f"{label} {APPEAL_COLUMNS}"


@lru_cache(maxsize=None)
def _litigation() -> Any:
    groups = [(key.split(".")[1], label.split(" ")[1]) for key, label in spec.APPEAL_GROUPS if "." in key]
    return _model("LLMLitigation", {name: _appeal_group(label) for name, label in groups})


@lru_cache(maxsize=None)
def answer_model(version: str) -> Any:
    """The model the LLM answers in: meta plus every cell of `version`, all required."""
    number = spec.SECTIONS["appeals"].split("、")[0] + "、"
    review = dict(spec.APPEAL_GROUPS)["review"]
    litigation = next(label for key, label in spec.APPEAL_GROUPS if key.startswith("litigation.")).split(" ")[0]
    tables = _model(f"LLMTables{version}", {
        "active": (_active(version), spec.SECTIONS["active"]),
        "requests": (_requests(version), spec.SECTIONS["requests"]),
        "review": _appeal_group(number + review),
        "litigation": (_litigation(), number + litigation),
    })
    pydantic = _pydantic()
    return pydantic.create_model(
        f"AnnualReport{version}", __config__=pydantic.ConfigDict(extra="forbid"),
        year=(Optional[int], pydantic.Field(..., description="报告所属年度 (the year reported on)")),
        # Kept short: a free string is where small models emit stray characters. The choice
        # takes it only where the text prints it exactly.
        agency=(Optional[str], pydantic.Field(..., max_length=40,
                                              description="发布机关, exactly as printed (title or signature)")),
        tables=(tables, pydantic.Field(..., description="表格数据, copied exactly as printed")),
    )


def answer_values(tables: Any) -> dict[str, Any]:
    """An answer's nested tables (rows as lists) → {canonical key: value}."""
    columns = {len(spec.COLUMNS): keys.columns(), len(spec.APPEAL_COLUMNS): [c.key for c in spec.APPEAL_COLUMNS]}
    out: dict[str, Any] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for name, child in node.items():
                walk(f"{prefix}.{name}" if prefix else name, child)
        elif isinstance(node, list):
            out.update((f"{prefix}.{name}", cell) for name, cell in zip(columns[len(node)], node))
        else:
            out[prefix] = node

    walk("", tables.model_dump())
    return out


def answer_of(version: str, values: dict[str, Any], year: Optional[int], agency: Optional[str] = None) -> dict:
    """{canonical key: value} → an answer in the model's shape (the test oracle's and the
    synthetic cassettes' answers); a key outside the version is an error."""
    unknown = set(values) - keys.numeric_key_set(version)
    if unknown:
        raise ValueError(f"not cells of the {version} template: {sorted(unknown)[:5]}")
    tree: dict[str, Any] = {}
    for key in keys.numeric_keys(version):
        *parents, leaf = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = values.get(key)

    def listify(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        if list(node) in (list(keys.columns()), [c.key for c in spec.APPEAL_COLUMNS]):
            return list(node.values())
        return {k: listify(v) for k, v in node.items()}

    answer = {"year": year, "agency": agency, "tables": listify(tree)}
    return answer_model(version).model_validate(answer).model_dump()
