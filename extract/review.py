"""What a human must check: the stored documents that are not verified, why, and where each
cell an issue names was printed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Sequence

from extract.policy import FAILED, NEEDS_REVIEW, SOURCE_INCONSISTENT
from extract.store import Store

FLAGGED = frozenset({SOURCE_INCONSISTENT, NEEDS_REVIEW, FAILED})


@dataclass
class Flagged:
    status: str
    path: str
    reason: str
    issues: list[tuple[dict, list[str]]] = field(default_factory=list)  # each issue, and where its cells are printed


def flagged_documents(store: Store, statuses: Optional[Iterable[str]] = None,
                      with_issues: bool = False) -> Iterator[Flagged]:
    """Every document of these statuses (default: all but verified), failures of unreadable
    inputs included; `with_issues` adds each issue with the line and text of each cell it names."""
    wanted = set(statuses) if statuses else set(FLAGGED)
    for row in store.iter_results(wanted):
        found = Flagged(row["status"], row["path"], row["reason"] or "")
        if with_issues:
            text = store.get_text(row["sha256"]) or ""
            found.issues = [(issue, where_printed(issue["keys"], row.get("provenance") or {}, text))
                            for issue in row["issues"]]
        yield found
    if FAILED in wanted:
        for row in store.iter_file_errors():
            yield Flagged(FAILED, row["path"], row["error"])


def where_printed(keys: Sequence[str], provenance: dict, text: str) -> list[str]:
    """Each cell of an issue with the line and the text where it was printed (or why it was not)."""
    out = []
    for key in keys:
        where = provenance.get(key)
        if not where:
            out.append(f"{key}: no value")
        elif where.get("start") is None:
            out.append(f"{key}: {where.get('method')} (not printed at one place)")
        else:
            start, end = where["start"], where["end"]
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            snippet = text[max(line_start, start - 30):min(line_end if line_end >= 0 else len(text), end + 30)]
            out.append(f"{key}: line {where.get('line')}: {text[start:end]!r} in {' '.join(snippet.split())!r}")
    return out
