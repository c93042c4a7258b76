"""The store's records: read back as the export interface's dicts, one per input path; and
forgotten, path by path."""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Collection, Iterable, Iterator, Optional

from extract.errors import StoreError
from extract.packing import load_json, unpack_confidence, unpack_keys, unpack_provenance, unpack_values
from extract.policy import MACHINE_STATUSES
from extract.store.part import StorePart


# Each path's current content: what its files row says, or, for a document stored without one,
# its own path unless another content has taken that path since.
_CURRENT_PATHS = """WITH f AS (SELECT path, sha256 FROM files WHERE sha256 IS NOT NULL
                        UNION SELECT d.path, d.sha256 FROM documents d
                              WHERE NOT EXISTS (SELECT 1 FROM files x WHERE x.sha256 = d.sha256 OR x.path = d.path))"""


class ResultReader(StorePart):
    """What Store reads back and forgets (a mixin: it runs its statements through the Store's
    `_run`, in its `transaction`)."""

    path: str


    def forget(self, paths: Iterable[str]) -> tuple[list[str], int]:
        """The records of these input paths removed (a mistyped path, a file that should not be
        there), with every document no other path names: its text, attempts and result. The paths
        that were in the store, and how many documents went with them."""
        wanted = list(dict.fromkeys(paths))
        with self.transaction():
            known = [p for p in wanted if self._run("SELECT 1 FROM files WHERE path = ? UNION ALL "
                                                    "SELECT 1 FROM documents WHERE path = ?", (p, p)).fetchone()]
            shas = {row[0] for p in known for row in self._run(
                "SELECT sha256 FROM files WHERE path = ? AND sha256 IS NOT NULL UNION "
                "SELECT sha256 FROM documents WHERE path = ?", (p, p))}
            for p in known:
                self._run("DELETE FROM files WHERE path = ?", (p,))
            orphans = [sha for sha in shas if not self._run("SELECT 1 FROM files WHERE sha256 = ?", (sha,)).fetchone()]
            for table in ("issues", "results", "attempts", "claims", "documents"):
                for sha in orphans:
                    self._run(f"DELETE FROM {table} WHERE sha256 = ?", (sha,))
        return known, len(orphans)

    def iter_results(self, statuses: Optional[set[str]] = None,
                     shas: Optional[Collection[str]] = None) -> Iterator[dict[str, Any]]:
        """One dict per input path with a result, ordered by path, each with its issues; of these
        statuses and these documents only, where given.

        Identical files under several paths share one document and result, and each path gets
        its record: nothing that was given is left out. A path read again with new content has
        that content's record; the older content's stays in the store as history.
        """
        conditions: list[str] = []
        params: tuple = ()
        if statuses is not None:
            if not statuses:
                return
            params = tuple(sorted(statuses))
            conditions.append(f"r.status IN ({', '.join('?' * len(params))})")
        if shas is not None:   # one parameter however many: a JSON list
            conditions.append("r.sha256 IN (SELECT value FROM json_each(?))")
            params += (json.dumps(sorted(shas)),)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        order = "ORDER BY f.path, f.sha256"
        paths = _CURRENT_PATHS
        # Two streams in the same order, merged here: one query for all issues instead of one
        # per result, without repeating each result's values once per issue as a JOIN would.
        results = self._run(
            f"""{paths} SELECT f.path, r.* FROM results r JOIN f ON f.sha256 = r.sha256
                {where} {order}""", params)
        issues = self._run(
            f"""{paths} SELECT f.path AS file_path, i.* FROM issues i JOIN results r ON r.sha256 = i.sha256
                JOIN f ON f.sha256 = i.sha256 {where} {order}, i.id""", params)
        breaks = self.cross_issue_map()
        try:
            pending = issues.fetchone()
            for row in results:
                record = dict(row)
                version = record.get("format")
                record["values"] = unpack_values(version, record.pop("cell_values"))
                record["provenance"] = unpack_provenance(version, record["provenance"])
                record["confidence"] = unpack_confidence(version, record["confidence"])
                alternatives = load_json(record.pop("alternatives")) or {}
                record["options"] = alternatives.get("options", {})
                record["proposals"] = alternatives.get("proposals", {})
                record["audit"] = bool(record["audit"])
                record["issues"] = []
                while (pending is not None and pending["file_path"] == record["path"]
                       and pending["sha256"] == record["sha256"]):
                    record["issues"].append(read_issue(pending))
                    pending = issues.fetchone()
                record["issues"].extend(breaks.get(record["sha256"], ()))
                yield record
        except sqlite3.Error as exc:
            raise StoreError(f"store {self.path}: {exc}") from exc

    def cross_issue_map(self) -> dict[str, list[dict]]:
        """The last check's issues of each record (by sha256), in the order found."""
        out: dict[str, list[dict]] = {}
        for sha, issue in self._run("SELECT sha256, issue FROM cross_issues ORDER BY id"):
            out.setdefault(sha, []).append(load_json(issue))
        return out

    def record_heads(self) -> Iterator[tuple[str, Optional[str], Optional[int], Optional[str], str]]:
        """(sha256, template version, year, agency, machine status) of every current result (one an
        input path names; an older content's stays as history): what grouping records by agency and
        year needs, without unpacking them."""
        yield from (tuple(row) for row in self._run(
            f"""{_CURRENT_PATHS} SELECT r.sha256, r.format, r.year, r.agency, r.status FROM results r
                WHERE r.sha256 IN (SELECT sha256 FROM f)"""))

    def iter_file_errors(self) -> Iterator[dict[str, Any]]:
        """Input paths that could not be read at all, so they have no document and no result."""
        for row in self._run("SELECT path, size, error, seen_at FROM files WHERE sha256 IS NULL ORDER BY path"):
            yield dict(row)

    def count_by_status(self) -> dict[str, int]:
        """The current records (one per path, as exported) by status, with 0 for those none has."""
        counts = dict.fromkeys(MACHINE_STATUSES, 0)
        for status, count in self._run(f"""{_CURRENT_PATHS} SELECT r.status, COUNT(*) FROM results r
                                            JOIN f ON f.sha256 = r.sha256 GROUP BY r.status"""):
            counts[status] = count
        # Inputs that could not even be read have no result, and they failed all the same.
        counts["failed"] += self._run("SELECT COUNT(*) FROM files WHERE sha256 IS NULL").fetchone()[0]
        return counts


def read_issue(row: sqlite3.Row) -> dict[str, Any]:
    return {"code": row["code"], "keys": unpack_keys(load_json(row["keys"])), "message": row["message"],
            "severity": row["severity"], "origin": row["origin"], "expected": row["expected"],
            "found": row["found"]}
