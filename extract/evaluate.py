"""Stored records against gold files: how many cells are right, and can the statuses be trusted.

A gold file is `{"meta": {...}, "values": {canonical key: value or null}}` (optionally with
`sha256`); it is matched with a record by sha256 when it has one, else by file stem. A cell is
*wrong* when the record holds a value that differs from the gold, or any value where the gold
is null; *missing* when the record is null where the gold has a value. A record is imperfect
when it has a wrong or missing cell; `verified` and `source_inconsistent` promise it is not.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from extract.errors import UsageError
from extract.policy import FAILED, NEEDS_REVIEW, SOURCE_INCONSISTENT, VERIFIED

DOUBTED = frozenset({NEEDS_REVIEW, FAILED})  # the statuses that flag a record as doubtful
TRUSTED = (VERIFIED, SOURCE_INCONSISTENT)


@dataclass
class DocumentScore:
    document: str
    path: Optional[str]
    status: str                      # the record's status, or 'absent' when no record matches
    cells: int = 0
    correct: int = 0
    wrong: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    meta_mismatch: dict[str, Any] = field(default_factory=dict)

    @property
    def imperfect(self) -> bool:
        return bool(self.wrong or self.missing)

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "path": self.path, "status": self.status, "cells": self.cells,
                "cell_accuracy": _ratio(self.correct, self.cells), "wrong_values": len(self.wrong),
                "missing": len(self.missing), "wrong": self.wrong, "missing_keys": self.missing,
                "meta_mismatch": self.meta_mismatch}


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Gold files by stem; UsageError with a one-line reason when there are none to read."""
    if not gold_dir.is_dir():
        raise UsageError(f"{gold_dir}: no such folder")
    out = {}
    for path in sorted(gold_dir.glob("*.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{path}: not a gold file ({exc})") from exc
        if not isinstance(gold, dict) or not isinstance(gold.get("values"), dict):
            raise UsageError(f"{path}: not a gold file (needs an object with 'values')")
        out[path.stem] = gold
    if not out:
        raise UsageError(f"{gold_dir}: no gold files (*.json)")
    return out


def score_document(name: str, gold: dict[str, Any], record: Optional[dict[str, Any]]) -> DocumentScore:
    score = DocumentScore(name, record.get("path") if record else None, record["status"] if record else "absent")
    values = (record or {}).get("values") or {}
    for key, expected in gold["values"].items():
        score.cells += 1
        found = values.get(key)
        if found is None and expected is None:
            score.correct += 1
        elif found is None:
            score.missing.append(key)
        elif expected is None or not _same(found, expected):
            score.wrong.append({"key": key, "gold": expected, "found": found})
        else:
            score.correct += 1
    meta = gold.get("meta") or {}
    for name_ in ("year", "agency", "format"):
        # a gold file in the export's shape may name the template version template_version
        want = meta.get(name_) if name_ != "format" else meta.get("format", meta.get("template_version"))
        got = (record or {}).get(name_)
        if want is not None and str(got) != str(want):
            score.meta_mismatch[name_] = {"gold": want, "found": got}
    return score


def evaluate(gold: dict[str, dict[str, Any]], records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The figures of `govreport eval`, as one JSON-ready object."""
    by_sha, by_stem = {}, {}
    for record in records:
        by_sha[record.get("sha256")] = record
        by_stem.setdefault(Path(record.get("path") or "").stem, record)
    scores = [score_document(name, g, by_sha.get(g.get("sha256")) or by_stem.get(name)) for name, g in gold.items()]
    cells = sum(s.cells for s in scores)
    worst: Counter[str] = Counter()
    for s in scores:
        worst.update([w["key"] for w in s.wrong] + s.missing)
    out: dict[str, Any] = {
        "documents": len(scores),
        "matched": sum(s.status != "absent" for s in scores),
        "cells": cells,
        "cell_accuracy": _ratio(sum(s.correct for s in scores), cells),
        "wrong_values": sum(len(s.wrong) for s in scores),
        "missing": sum(len(s.missing) for s in scores),
        "statuses": dict(Counter(s.status for s in scores)),
    }
    for status in TRUSTED:
        trusted = [s for s in scores if s.status == status]
        out[f"{status}_precision"] = _ratio(sum(not s.imperfect for s in trusted), len(trusted))
        out[f"wrong_values_in_{status}"] = sum(len(s.wrong) for s in trusted)
    imperfect = [s for s in scores if s.imperfect]
    out["imperfect"] = len(imperfect)
    out["flag_recall"] = _ratio(sum(s.status in DOUBTED for s in imperfect), len(imperfect))
    out["worst_cells"] = [{"key": k, "wrong_or_missing": n} for k, n in worst.most_common(10)]
    out["per_document"] = [s.to_dict() for s in scores]
    return out


def format_report(result: dict[str, Any]) -> str:
    """The figures for a person: overall, then one line per document."""
    def show(x: Optional[float]) -> str:
        return "n/a" if x is None else f"{x:.4f}"

    lines = [
        f"documents: {result['documents']} ({result['matched']} with a record)  cells: {result['cells']}",
        f"cell accuracy: {show(result['cell_accuracy'])}  wrong values: {result['wrong_values']}  "
        f"missing: {result['missing']}",
        f"verified precision: {show(result['verified_precision'])}  "
        f"source_inconsistent precision: {show(result['source_inconsistent_precision'])}  "
        f"flag recall: {show(result['flag_recall'])} ({result['imperfect']} imperfect records)",
        "statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(result["statuses"].items())),
    ]
    if result["worst_cells"]:
        lines.append("worst cells: " + ", ".join(f"{w['key']} ({w['wrong_or_missing']})" for w in result["worst_cells"]))
    lines.append("")
    for doc in result["per_document"]:
        lines.append(f"{doc['document']}\t{doc['status']}\taccuracy {show(doc['cell_accuracy'])}\t"
                     f"wrong {doc['wrong_values']}\tmissing {doc['missing']}")
        for w in doc["wrong"][:10]:
            lines.append(f"\tWRONG {w['key']}: gold {w['gold']}, found {w['found']}")
        for name, m in doc["meta_mismatch"].items():
            lines.append(f"\tmeta {name}: gold {m['gold']!r}, found {m['found']!r}")
    return "\n".join(lines)


def _same(a: Any, b: Any) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    except (TypeError, ValueError):
        return a == b


def _ratio(part: int, whole: int) -> Optional[float]:
    return part / whole if whole else None
