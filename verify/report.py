"""What the verifier hands back: Issues (one failed check each) collected in a Report.

A failed check is data, not an exception. Every Issue carries a stable `code`, the canonical
keys involved, the expected and found numbers where there are any, a severity, and an origin
that separates "our reading is in doubt" from "the agency's own table is inconsistent".
Deciding what to do about issues (log, flag, re-ask, raise) is the policy's business (`extract.policy`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from verify.numbers import Number

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES: tuple[str, ...] = (ERROR, WARNING, INFO)
SERIOUS: frozenset[str] = frozenset({ERROR, WARNING})  # what a status weighs; INFO is only said

# 'source': every cell involved was read straight from a printed cell, so the source itself
# breaks the check. 'extraction': at least one value was not read as printed (or was read
# badly), so our reading is what is in doubt.
SOURCE, EXTRACTION = "source", "extraction"
ORIGINS: tuple[str, ...] = (SOURCE, EXTRACTION)


@dataclass(frozen=True)
class Issue:
    code: str
    keys: tuple[str, ...]
    message: str
    severity: str  # 'error' | 'warning' | 'info'
    origin: str  # 'source' | 'extraction'
    expected: Optional[Number] = None
    found: Optional[Number] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "keys": list(self.keys),
            "message": self.message,
            "severity": self.severity,
            "origin": self.origin,
            "expected": self.expected,
            "found": self.found,
        }


def sort_key(issue: Issue) -> tuple:
    """Errors first, then by code and keys: the same input always gives the same order."""
    rank = SEVERITIES.index(issue.severity) if issue.severity in SEVERITIES else len(SEVERITIES)
    return (rank, issue.code, issue.keys, issue.message)


@dataclass(frozen=True)
class Report:
    issues: tuple[Issue, ...] = ()

    @classmethod
    def of(cls, issues: list[Issue]) -> "Report":
        return cls(tuple(sorted(issues, key=sort_key)))

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def ok(self) -> bool:
        """No errors (warnings and infos may remain)."""
        return not self.errors

    @property
    def errors(self) -> tuple[Issue, ...]:
        return self.by_severity(ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return self.by_severity(WARNING)

    @property
    def codes(self) -> tuple[str, ...]:
        """Distinct issue codes, sorted."""
        return tuple(sorted({i.code for i in self.issues}))

    def by_severity(self, severity: str) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == severity)

    def by_origin(self, origin: str) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.origin == origin)

    def by_code(self, code: str) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.code == code)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [i.to_dict() for i in self.issues]
