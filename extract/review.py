"""What a human must check: the stored documents that are not verified, why, and where each
cell an issue names was printed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Sequence

from extract import corrections
from extract.audit import OPEN, audit_state
from extract.policy import FAILED, NEEDS_REVIEW, SOURCE_INCONSISTENT, TRUSTED
from extract.store import Store

FLAGGED = frozenset({SOURCE_INCONSISTENT, NEEDS_REVIEW, FAILED})
AUDIT = "audit"  # a trusted record sampled for a person to confirm (extract --audit-rate)


@dataclass
class Flagged:
    status: str
    path: str
    reason: str
    issues: list[tuple[dict, list[str]]] = field(default_factory=list)  # each issue, and where its cells are printed
    record: Optional[dict] = None   # the record as it stands after the corrections (None: the input was unreadable)

    @property
    def codes(self) -> set[str]:
        return {i["code"] for i in (self.record or {}).get("issues") or ()}


def flagged_documents(store: Store, statuses: Optional[Iterable[str]] = None,
                      with_issues: bool = False, codes: Iterable[str] = ()) -> Iterator[Flagged]:
    """Every document of these statuses (default: all but verified, and the trusted records sampled
    for audit that no person has confirmed yet), failures of unreadable inputs included, as they
    stand after the corrections; `with_issues` adds each issue with the line and text of each
    cell it names; `codes`, only the documents with an issue of one of these codes."""
    wanted = set(statuses) if statuses else set(FLAGGED) | {AUDIT}
    codes = {c.lower() for c in codes}
    for row in corrections.records(store):
        status = row["status"]
        if row.get("audit") and status in TRUSTED and audit_state(row) == OPEN and AUDIT in wanted:
            status, reason = AUDIT, f"sampled for audit: {row['status']}; confirm or correct it"
        elif status in wanted:
            reason = row["reason"] or ""
        else:
            continue
        found = Flagged(status, row["path"], reason, record=row)
        if codes and not codes & {c.lower() for c in found.codes}:
            continue
        if with_issues:
            text = store.get_text(row["sha256"]) or ""
            found.issues = [(issue, where_printed(issue["keys"], row.get("provenance") or {}, text))
                            for issue in row["issues"]]
        yield found
    if FAILED in wanted and not codes:
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
