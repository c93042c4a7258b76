"""The store's record of batch work: each LLM request written to a batch file (under its answer
cache key, the `custom_id`), the file's upload and batch at the provider, and what came back."""
from __future__ import annotations

import time
from typing import Iterable, Optional

from extract.packing import dump_json, load_json
from extract.store.part import StorePart

PREPARED, ANSWERED, FAILED = "prepared", "answered", "failed"


class BatchLog(StorePart):
    """A mixin of Store: it runs its statements through the Store's `_run`, in its `transaction`."""

    def prepared_requests(self, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
        """Requests written to a batch file, each (custom_id, sha256, kind, version, file): in flight
        until answered."""
        now = time.time()
        with self.transaction():
            self._run_many("""INSERT INTO batch_requests (custom_id, sha256, kind, version, file, state, prepared_at)
                              VALUES (?, ?, ?, ?, ?, 'prepared', ?)
                              ON CONFLICT(custom_id) DO UPDATE SET file = excluded.file, state = 'prepared',
                                  error = NULL, prepared_at = excluded.prepared_at, done_at = NULL""",
                           [(*row, now) for row in rows])

    def in_flight(self) -> dict[str, str]:
        """The requests written and not answered yet: custom_id → the file that holds it."""
        return dict(self._run("SELECT custom_id, file FROM batch_requests WHERE state = 'prepared'").fetchall())

    def batch_request(self, custom_id: str) -> Optional[tuple[str, str, str, str, str]]:
        """(sha256, kind, version, file, state) of a request written for a batch, or None."""
        row = self._run("SELECT sha256, kind, version, file, state FROM batch_requests WHERE custom_id = ?",
                        (custom_id,)).fetchone()
        return None if row is None else tuple(row)

    def request_done(self, custom_id: str, state: str, error: Optional[str] = None) -> None:
        self._run("UPDATE batch_requests SET state = ?, error = ?, done_at = ? WHERE custom_id = ?",
                  (state, error, time.time(), custom_id))

    def file_failed(self, file: str, reason: str) -> int:
        """A batch file's requests not answered: failed, for the next prepare to write again. How many."""
        return self._run("UPDATE batch_requests SET state = 'failed', error = ?, done_at = ? "
                         "WHERE file = ? AND state = 'prepared'", (reason, time.time(), file)).rowcount

    def batch_counts(self) -> dict[str, int]:
        """The requests written for batches, by state."""
        return dict(self._run("SELECT state, COUNT(*) FROM batch_requests GROUP BY state").fetchall())

    def save_batch(self, file: str, **fields: object) -> None:
        """A batch file's upload and batch at the provider (file_id, batch_id, state, counts)."""
        known = self.batch_of(file) or {}
        merged = {**known, **{k: v for k, v in fields.items() if v is not None}}
        self._run("""INSERT INTO batches (file, file_id, batch_id, state, counts, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                     ON CONFLICT(file) DO UPDATE SET file_id = excluded.file_id, batch_id = excluded.batch_id,
                         state = excluded.state, counts = excluded.counts, updated_at = excluded.updated_at""",
                  (file, merged.get("file_id"), merged.get("batch_id"), merged.get("state"),
                   dump_json(merged.get("counts")) if merged.get("counts") is not None else None, time.time()))

    def batch_of(self, file: str) -> Optional[dict]:
        row = self._run("SELECT file_id, batch_id, state, counts FROM batches WHERE file = ?", (file,)).fetchone()
        if row is None:
            return None
        return {"file_id": row[0], "batch_id": row[1], "state": row[2], "counts": load_json(row[3]) if row[3] else None}

    def batches(self) -> list[tuple[str, dict]]:
        return [(file, self.batch_of(file) or {}) for (file,) in self._run("SELECT file FROM batches ORDER BY file")]
