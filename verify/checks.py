"""One small function per kind of check; each returns a list of Issues and never raises.

Checks take the template version, the cells {canonical key: Cell}, their `values`
(`numeric_values(cells)`, computed once for all checks) and, where they read the source, the
document (`extract.document.Document`). A cell whose value is None (or absent) is not checked, except by
`check_completeness`; a value that is not a number is reported once, by `check_numbers`, and
skipped everywhere else.
"""
from __future__ import annotations

import math
from operator import attrgetter
from typing import Any, Final, Iterable, Optional

from extract import template
from extract.document import Document
from extract.reading import BLANK_LINE, FORCED, GROUNDED_METHODS, INFERRED, LLM, POSITIONAL, SPLIT, Doubt, Number, Reading

from verify import numbers
from verify.report import ERROR, EXTRACTION, INFO, SOURCE, WARNING, Issue

# Cells as handed in ({key: Cell}). An LLM's may hold anything in any field, which every check
# copes with: read as Any, which compiled code (mypyc) does not type-check when a field is read.
Cells = dict[str, Any]
Values = dict[str, Optional[Number]]   # each cell's value as a finite number, or None

NEW_REQUESTS: Final = "requests.new.total"
CARRIED_OVER: Final = "requests.carried_over.total"
_SNIPPET_MAX: Final = 40


# --- helpers --------------------------------------------------------------------------
def numeric_values(cells: Cells) -> Values:
    """Each cell's value as a finite number, or None (None, or not a number)."""
    out: Values = {}
    for key, cell in cells.items():
        value = cell.value
        kind = type(value)  # exact types: bool (a subclass of int) stays out
        out[key] = value if kind is int or (kind is float and math.isfinite(value)) else None
    return out


def origin_of(cells: Iterable[object]) -> str:
    """'source' only if every cell was read straight from a printed cell."""
    grounded = all(getattr(c, "method", None) in GROUNDED_METHODS for c in cells)
    return SOURCE if grounded else EXTRACTION


def label(version: Optional[str], key: str) -> str:
    for f in ((version,) if version in template.VERSIONS else ()) + template.VERSIONS:
        found = template.labels(f).get(key)
        if found:
            return found
    return key


def show(value: Optional[float]) -> str:
    if value is None:
        return "None"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _keys_phrase(version: Optional[str], keys: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"{k} ({label(version, k)})" for k in keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


# --- values ---------------------------------------------------------------------------
def check_numbers(cells: Cells, values: Values) -> list[Issue]:
    """A value that is neither None nor a finite number cannot enter any sum."""
    bad = [k for k, v in values.items() if v is None and getattr(cells[k], "value", None) is not None]
    return [
        Issue("not_a_number", (k,), f"{k}: value {getattr(cells[k], 'value', None)!r} is not a number", ERROR, EXTRACTION)
        for k in bad
    ]


def check_completeness(version: Optional[str], cells: Cells) -> list[Issue]:
    if version not in template.VERSIONS:
        return []
    missing = [k for k in template.numeric_keys(version) if getattr(cells.get(k), "value", None) is None]
    if not missing:
        return []
    message = f"{len(missing)} of {len(template.numeric_keys(version))} cells have no value: {_keys_phrase(version, missing)}"
    return [Issue("missing", tuple(missing), message, WARNING, EXTRACTION)]


def check_unknown_keys(version: Optional[str], cells: Cells) -> list[Issue]:
    """Keys outside the template would silently escape every other check."""
    if version not in template.VERSIONS:
        return []
    unknown = sorted(cells.keys() - template.numeric_key_set(version))
    if not unknown:
        return []
    return [Issue("unknown_key", tuple(unknown), f"{len(unknown)} keys are not cells of the {version} template: "
                  f"{', '.join(unknown[:5])}", WARNING, EXTRACTION)]


def check_signs(version: Optional[str], cells: Cells, values: Values) -> list[Issue]:
    signed = template.signed_keys()
    out = []
    for key, value in values.items():
        if value is not None and value < 0 and key not in signed:
            out.append(Issue("negative", (key,), f"{key} ({label(version, key)}) is {show(value)}; counts cannot be negative",
                             ERROR, origin_of([cells[key]]), found=value))
    return out


def check_integers(version: Optional[str], values: Values) -> list[Issue]:
    money = template.money_keys()
    out = []
    for key, value in values.items():
        if isinstance(value, float) and key not in money and not value.is_integer():  # values are int, float or None
            out.append(Issue("not_integer", (key,), f"{key} ({label(version, key)}) is {show(value)}; counts are whole numbers",
                             ERROR, EXTRACTION, found=value))
    return out


# --- relations and plausibility -------------------------------------------------------
def check_relations(version: Optional[str], cells: Cells, values: Values) -> list[Issue]:
    out = []
    for rel in template.relations(version):
        sums = rel.sums(values)
        if sums is None:
            continue
        expected, found = sums
        if abs(expected - found) <= 1e-9:
            continue
        cells_involved = [cells[k] for k in rel.keys]
        origin = origin_of(cells_involved)
        why = ("every cell was read as printed: the source itself breaks it" if origin == SOURCE else
               "some cells were not read as printed: "
               + ", ".join(sorted({str(getattr(c, "method", None)) for c in cells_involved} - GROUNDED_METHODS)))
        message = f"{rel.code} [{rel.description}] {show(expected)} != {show(found)}; {why}"
        out.append(Issue(rel.code, rel.keys, message, ERROR, origin, expected=expected, found=found))
    return out


def check_bounds(version: Optional[str], values: Values) -> list[Issue]:
    out = []
    for bound in template.bounds(version):
        value, floor = values.get(bound.key), values.get(bound.floor)
        if value is not None and floor is not None and value < floor:
            out.append(Issue(bound.code, (bound.floor, bound.key),
                             f"unusual: {bound.description} fails ({show(value)} < {show(floor)})",
                             INFO, SOURCE, expected=floor, found=value))
    return out


# --- provenance and grounding ---------------------------------------------------------
_HOW: Final = {
    POSITIONAL: ("cell_positional", "mapped by position against the template (row labels lost in the source)"),
    SPLIT: ("cell_split", "cut out of a run of digits printed without separators, pinned by the relations"),
    INFERRED: ("cell_inferred", "not printed; forced by arithmetic (e.g. a part of a zero total)"),
    FORCED: ("cell_forced", "not printed on their own: the report prints one row of zeros in their place, "
                            "so each is 0"),
    BLANK_LINE: ("cell_blank_line", "read as 0 from an empty line (a blank cell, or a cell the scrape lost)"),
}


_METHOD: Final = attrgetter("method")

# A human should look at these; forced zeros are arithmetic, so they are only noted.
_DOUBTFUL_METHODS: Final = frozenset({POSITIONAL, SPLIT, INFERRED, BLANK_LINE})


def check_provenance(version: Optional[str], cells: Cells, values: Values) -> list[Issue]:
    if _HOW.keys().isdisjoint(map(_METHOD, cells.values())):
        return []  # every cell read as printed: the common case, without a loop in Python
    by_method: dict[str, list[str]] = {}
    for key, cell in cells.items():
        method = getattr(cell, "method", None)
        if method in _HOW and values[key] is not None:
            by_method.setdefault(method, []).append(key)
    out = []
    for method, (code, how) in _HOW.items():
        keys = by_method.get(method)
        if keys:
            severity = WARNING if method in _DOUBTFUL_METHODS else INFO
            out.append(Issue(code, tuple(keys), f"{len(keys)} values {how}: {_keys_phrase(version, keys)}", severity, EXTRACTION))
    return out


# The printed form of the commonest values, looked up: cheaper than isdigit + isascii + int.
_DECIMAL: dict[Number, str] = {n: str(n) for n in range(1000)}


def check_grounding(version: Optional[str], cells: Cells, values: Values, document: Optional[Document]) -> list[Issue]:
    """Every value that claims a span must be printed there."""
    if document is None:
        return []
    text = document.text
    out = []
    size = len(text)
    for key, cell in cells.items():
        start, end = cell.start, cell.end
        if start is None or end is None:
            continue
        value = values[key]
        if value is None:
            continue
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= size):
            out.append(Issue("ungrounded", (key,), f"{key}: span [{start}, {end}) lies outside the text "
                             f"({size} chars)", ERROR, EXTRACTION, found=value))
            continue
        snippet = text[start:end]
        if _DECIMAL.get(value) == snippet or (snippet.isdigit() and snippet.isascii() and int(snippet) == value):
            continue  # the common cases, without the regex (the first without parsing the snippet)
        printed = numbers.numbers_in(snippet)
        if any(numbers.same(p, value) for p in printed):
            continue
        if value == 0 and numbers.is_blank(snippet):  # a printed empty cell, however it was placed
            continue
        quoted = snippet if len(snippet) <= _SNIPPET_MAX else snippet[:_SNIPPET_MAX] + "…"
        out.append(Issue("ungrounded", (key,), f"{key} ({label(version, key)}): value {show(value)} is not what "
                         f"[{start}, {end}) prints: {quoted!r}", ERROR, EXTRACTION,
                         expected=printed[0] if printed else None, found=value))
    return out


def ground_llm_cells(version: Optional[str], cells: Cells, values: Values) -> list[Issue]:
    """The model's values that its grounding did not find printed in order at their rows carry
    no span: listed as ungrounded (a warning), so they are never silently trusted."""
    if LLM not in map(_METHOD, cells.values()):
        return []
    keys = [k for k, c in cells.items()
            if getattr(c, "method", None) == LLM and values[k] is not None
            and (getattr(c, "start", None) is None or getattr(c, "end", None) is None)]
    if not keys:
        return []
    return [Issue("ungrounded", tuple(keys), f"{len(keys)} values proposed by the model are not printed in this order "
                  f"at their rows: {_keys_phrase(version, keys)}", WARNING, EXTRACTION)]


# --- narrative ------------------------------------------------------------------------
def check_narrative(version: Optional[str], cells: Cells, values: Values, document: Optional[Document]) -> list[Issue]:
    """The prose's "共收到政府信息公开申请N件" must agree with 一、本年新收 / 总计."""
    cell = cells.get(NEW_REQUESTS)
    table = values.get(NEW_REQUESTS)
    if document is None or table is None:
        return []
    statements = document.requests_received()
    said = sorted({s.value for s in statements})
    out = []
    # Many reports count the requests carried over from last year as received too (75 = 74 + 1).
    carried = values.get(CARRIED_OVER)
    for value in said:
        if numbers.same(value, table) or (carried is not None and numbers.same(value, table + carried)):
            continue
        quotes = "; ".join(dict.fromkeys(repr(s.quote) for s in statements if s.value == value))
        conflict = f" (the prose also says {', '.join(show(v) for v in said if v != value)})" if len(said) > 1 else ""
        out.append(Issue("narrative_mismatch", (NEW_REQUESTS,),
                         f"the prose says {value} requests were received ({quotes}) but the table's "
                         f"{label(version, NEW_REQUESTS)} is {show(table)}{conflict}",
                         WARNING, origin_of([cell]), expected=value, found=table))
    return out


# --- the reader's own doubts and the meta fields -----------------------------------
def check_doubts(doubts: Iterable[Doubt]) -> list[Issue]:
    out = []
    for d in doubts or ():
        keys = getattr(d, "keys", ()) or ()
        keys = (keys,) if isinstance(keys, str) else tuple(str(k) for k in keys)
        out.append(Issue(str(getattr(d, "code", "doubt")), keys, str(getattr(d, "message", "")), WARNING, EXTRACTION))
    return out


def check_meta(reading: Reading) -> list[Issue]:
    missing = []
    for name in ("year", "agency"):
        value = getattr(getattr(reading, name, None), "value", None)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(name)
    version = getattr(reading, "version", None)
    if version not in template.VERSIONS:
        missing.append("format")
    if not missing:
        return []
    bad_format = f" (format {version!r} is not one of {', '.join(template.VERSIONS)})" if version is not None and "format" in missing else ""
    return [Issue("meta_missing", tuple(missing), f"meta fields without a value: {', '.join(missing)}{bad_format}",
                  WARNING, EXTRACTION)]


def check_codes() -> frozenset[str]:
    """The codes the checks of a reading's cells and meta emit (its reader's doubts aside): what
    verifying a reading again gives anew."""
    return frozenset({"not_a_number", "missing", "unknown_key", "negative", "not_integer", "ungrounded",
                      "narrative_mismatch", "meta_missing", *(code for code, _ in _HOW.values()),
                      *(r.code for v in template.VERSIONS for r in template.relations(v)),
                      *(b.code for v in template.VERSIONS for b in template.bounds(v))})
