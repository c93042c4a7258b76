"""The store's record of what people decided: their corrections, kept append-only (never updated
or deleted, not even by `forget`: a document extracted again finds them), and the marks that
say which records were sampled for audit."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from extract.store.part import StorePart

_COLUMNS = "sha256, key, value, was, note, by, at, tool_version, source"


class DecisionLog(StorePart):
    """A mixin of Store: it runs its statements through the Store's `_run`, in its `transaction`."""

    def add_corrections(self, rows: Iterable[tuple]) -> None:
        """Append corrections, each a tuple (sha256, key, value JSON, was JSON, note, by, at,
        tool_version, source), in one transaction."""
        with self.transaction():
            self._run_many(f"INSERT INTO corrections ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(rows))

    def iter_corrections(self) -> Iterator[tuple]:
        """Every correction as such a tuple, oldest first."""
        yield from (tuple(row) for row in self._run(f"SELECT {_COLUMNS} FROM corrections ORDER BY id"))

    def has_corrections(self) -> bool:
        return self._run("SELECT 1 FROM corrections LIMIT 1").fetchone() is not None

    def template_versions(self) -> dict[str, str]:
        """Each stored record's template version (empty where none was recognised), by sha256."""
        return {sha: version or "" for sha, version in self._run("SELECT sha256, format FROM results")}

    def mark_audit(self, sampled: Callable[[str, str], bool]) -> None:
        """Mark anew which records are sampled for audit: `sampled(sha256, status)` says it for each."""
        with self.transaction():
            rows = self._run("SELECT sha256, status, audit FROM results").fetchall()
            marks = [(int(bool(sampled(sha, status))), sha, mark) for sha, status, mark in rows]
            self._run_many("UPDATE results SET audit = ? WHERE sha256 = ?",
                           [(new, sha) for new, sha, mark in marks if new != mark])  # only the marks that change

    def audit_sample(self) -> dict[str, str]:
        """The records sampled for audit: their machine status, by sha256."""
        return dict(self._run("SELECT sha256, status FROM results WHERE audit = 1").fetchall())
