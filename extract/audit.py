"""Audit sampling: a reproducible share of the records the tool trusts goes to a person, and what
those people decided says how far each trusted status can be trusted.

A record is sampled by its content's hash, not by chance: the same documents are chosen on every
run and every machine, and a larger rate keeps those a smaller one chose. A person confirms a
sampled record by accepting every one of its values (corrections with value == was; the review
page's "confirm document" writes them) or corrects one; a record partly looked at is not yet
decided, nor is one whose corrections a later extraction made stale. The precision of `verified` is then the share confirmed among those decided, with its Wilson 95 %
interval.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

from extract import corrections
from extract.policy import SOURCE_INCONSISTENT, VERIFIED
from extract.store import Store

SAMPLED = (VERIFIED, SOURCE_INCONSISTENT)  # what extraction promises, and so what an audit checks
_Z95 = 1.959963984540054
CONFIRMED, CORRECTED, OPEN = "confirmed", "corrected", "open"  # a sampled record's state (Tally's fields)


def audited(sha256: str, status: str, rate: float) -> bool:
    """Whether a record of this content and machine status is sampled at `rate` (0 … 1)."""
    return rate > 0 and status in SAMPLED and int(sha256[:13], 16) / 16 ** 13 < rate


def mark_audit_sample(store: Store, rate: float) -> None:
    """Mark the store's records sampled at `rate` (a record whose machine status is no longer
    trusted leaves the sample; a run without a rate leaves the marks as they are)."""
    store.mark_audit(lambda sha256, status: audited(sha256, status, rate))


def wilson(successes: int, trials: int, z: float = _Z95) -> Optional[tuple[float, float]]:
    """The Wilson score interval of a proportion (None without a trial)."""
    if trials == 0:
        return None
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Tally:
    status: str
    sampled: int = 0
    confirmed: int = 0    # a person accepted every value as the machine read it
    corrected: int = 0    # a person changed a value
    open: int = 0         # not yet (or only partly) looked at, or decided against a reading since changed

    @property
    def decided(self) -> int:
        return self.confirmed + self.corrected

    @property
    def precision(self) -> Optional[float]:
        return self.confirmed / self.decided if self.decided else None

    @property
    def interval(self) -> Optional[tuple[float, float]]:
        return wilson(self.confirmed, self.decided)


def report(store: Store) -> list[Tally]:
    """For each trusted machine status: the sampled records, and what people decided of them."""
    tallies = {status: Tally(status) for status in SAMPLED}
    machine = store.audit_sample()
    current = {r["sha256"]: r for r in corrections.records(store, shas=set(machine))}
    for sha, status in machine.items():
        tally = tallies[status]
        tally.sampled += 1
        state = audit_state(current[sha]) if sha in current else OPEN
        setattr(tally, state, getattr(tally, state) + 1)
    return list(tallies.values())


def audit_state(record: dict[str, Any]) -> str:
    """A sampled record (as corrections.records gives it) confirmed, corrected, or still open."""
    applied = record.get("corrections") or []
    if record.get("stale"):
        return OPEN
    if any(not c.accepts for c in applied):
        return CORRECTED
    if applied and {c.key for c in applied} >= set(record["values"]):
        return CONFIRMED
    return OPEN
