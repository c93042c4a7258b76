"""The SQLite store: input files, documents, runs, every extraction attempt, the chosen results
and their issues, plus the migrations that build that schema.

Layout (times are Unix seconds, JSON columns hold compact UTF-8 JSON):

    _migrations(name PK, applied_at)                    one row per applied migration function
    files(path PK, sha256?, size?, error?, seen_at)     every input path ever given, even unreadable
    documents(sha256 PK, path, size, encoding?, text?, added_at)
                                                        one row per distinct content; first path wins
    runs(id PK, started_at, finished_at?, argv, settings, totals?)
    attempts(id PK, sha256 → documents, run_id → runs, method, model, cache_key, request,
             response, usage, latency_s, error, result, created_at)   kept forever
    results(sha256 PK → documents, status, reason, format, year, agency, chosen, cell_values,
            provenance, confidence, alternatives, audit, run_id → runs, updated_at)   the chosen record
    issues(id PK, sha256 → results, code, keys, message, severity, origin, expected, found)
    corrections(id PK, sha256, key, value, was, note, by, at, tool_version, source)
                                                        append-only: what people decided
    batch_requests(custom_id PK, sha256, kind, file, state, error?, prepared_at, done_at?)
                                                        LLM requests written for a batch engine
    batches(file PK, file_id?, batch_id?, state?, counts?, updated_at)   a batch file at its provider
    cross_issues(id PK, sha256, other, relation, agency_key, year, issue)   what `check` found across reports
    copy_fills(sha256, key PK, value, copy_sha256)      cells a copy of the same report prints plainly

`results.cell_values` is the record's `values`; the column is renamed only because VALUES is
an SQL keyword. Every sqlite3 error leaving this package is raised as StoreError. The schema's
history is `migrations`; reading records back is `results`; people's decisions are `decisions`; batch
work is `batches`.
"""
from __future__ import annotations

import os
import sqlite3
import time
import urllib.parse
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Optional, Union

from extract.errors import StoreError
from extract.packing import Packed, dump_json, load_json, pack_record
from extract.policy import MACHINE_STATUSES
from extract.store.migrations import MIGRATIONS, migrate_db, read_applied
from extract.store.batches import BatchLog
from extract.store.claims import ClaimKeeper, chunks
from extract.store.cross import CrossLog
from extract.store.decisions import DecisionLog
from extract.store.merging import Merger
from extract.store.results import ResultReader
from extract.store.views import ensure_views

DEFAULT_PATH = "govreport.db"
_ATTEMPT_JSON = ("request", "response", "usage", "result")


# --- the store ------------------------------------------------------------------------------

class Store(ClaimKeeper, ResultReader, DecisionLog, BatchLog, CrossLog, Merger):
    """One connection to the store. Use as a context manager, or call close().

    Each write method commits on its own; wrap a document's writes in `transaction()` so they
    commit together (and cheaply: in WAL mode with synchronous=NORMAL a commit does not fsync).
    """

    def __init__(self, path: Union[str, os.PathLike[str]] = DEFAULT_PATH, *, timeout: float = 5.0,
                 readonly: bool = False) -> None:
        self.path = os.fspath(path)
        self._depth = 0
        if readonly:
            self._conn = self._open_readonly(timeout)
            return
        try:
            # isolation_level=None: we issue BEGIN/SAVEPOINT ourselves, so the module's
            # implicit transactions cannot commit a half-written document behind our back.
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            migrate_db(self._conn)
            ensure_views(self._conn)
        except StoreError:
            self._conn.close()
            raise
        except sqlite3.Error as exc:
            self._conn.close()
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc

    def _open_readonly(self, timeout: float) -> sqlite3.Connection:
        """For reading commands: never create or change the file, and work on a read-only file or
        mount (where SQLite cannot even make its -shm file, the database is opened as immutable)."""
        if not os.path.isfile(self.path):
            raise StoreError(f"no store at {self.path} (run `govreport extract` first, or pass --db)")
        uri = "file:" + urllib.parse.quote(os.path.abspath(self.path))
        last: Optional[Exception] = None
        for options in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(uri + options, uri=True, timeout=timeout, isolation_level=None)
                conn.row_factory = sqlite3.Row
                applied = read_applied(conn)
            except sqlite3.Error as exc:
                last = exc
                continue
            missing = [m.__name__ for m in MIGRATIONS if m.__name__ not in applied]
            if missing:
                conn.close()
                raise StoreError(f"store {self.path} predates this version ({', '.join(missing)} not applied); "
                                 "run `govreport extract` on it once to upgrade it")
            return conn
        raise StoreError(f"cannot open store {self.path} read-only: {last}")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all. Nests: inner levels are savepoints."""
        outermost = self._depth == 0
        savepoint = f"sp{self._depth}"
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads, then
        # writes after another process committed, fails with SQLITE_BUSY no timeout can cure.
        self._run("BEGIN IMMEDIATE" if outermost else f"SAVEPOINT {savepoint}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if outermost:
                self._run("ROLLBACK")
            else:
                self._run(f"ROLLBACK TO {savepoint}")
                self._run(f"RELEASE {savepoint}")
            raise
        self._depth -= 1
        self._run("COMMIT" if outermost else f"RELEASE {savepoint}")

    def _run(self, sql: str, params: Union[tuple, list] = ()) -> sqlite3.Cursor:
        """The one place statements run, so every sqlite3 error leaves as StoreError."""
        try:
            return self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"store {self.path}: {exc}") from exc

    def _run_many(self, sql: str, rows: list) -> None:
        """One statement over many rows (a batch's documents: one call, not one per row)."""
        if not rows:
            return
        try:
            self._conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise StoreError(f"store {self.path}: {exc}") from exc

    # --- runs -------------------------------------------------------------------------------

    def begin_run(self, argv: list[str], settings: dict[str, Any]) -> int:
        cursor = self._run("INSERT INTO runs (started_at, argv, settings) VALUES (?, ?, ?)",
                           (time.time(), dump_json(list(argv)), dump_json(settings)))
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, totals: dict[str, Any]) -> None:
        self._run("UPDATE runs SET finished_at = ?, totals = ? WHERE id = ?",
                  (time.time(), dump_json(totals), run_id))

    # --- inputs -----------------------------------------------------------------------------

    def record_file(self, path: str, sha256: Optional[str], size: Optional[int], error: Optional[str] = None) -> None:
        """Remember an input path; sha256 is None when the file could not be read at all."""
        self.record_files([(path, sha256, size, error)])

    def record_files(self, files: Iterable[tuple[str, Optional[str], Optional[int], Optional[str]]]) -> None:
        """record_file for many: (path, sha256, size, error) each."""
        now = time.time()
        self._run_many(
            """INSERT INTO files (path, sha256, size, error, seen_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size,
                   error = excluded.error, seen_at = excluded.seen_at""", [(*file, now) for file in files])

    def add_document(self, sha256: str, path: str, size: int, text: Optional[str], encoding: Optional[str]) -> None:
        """Store a distinct content once; a later copy under another path changes nothing."""
        self.add_documents([(sha256, path, size, text, encoding)])

    def add_documents(self, documents: Iterable[tuple[str, str, int, Union[str, bytes, None], Optional[str]]]) -> None:
        """add_document for many: (sha256, path, size, text, encoding) each. The text may be given
        as UTF-8 bytes: SQLite stores them as that text, not decoded and encoded again here."""
        now = time.time()
        self._run_many("INSERT OR IGNORE INTO documents (sha256, path, size, text, encoding, added_at) "
                       "VALUES (?, ?, ?, CAST(? AS TEXT), ?, ?)", [(*document, now) for document in documents])

    def get_text(self, sha256: str) -> Optional[str]:
        row = self._run("SELECT text FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else row[0]

    # --- attempts ---------------------------------------------------------------------------

    def add_attempt(self, sha256: str, run_id: Optional[int], method: str, **details: Any) -> int:
        """One attempt; `details` are _attempt_row's (model, cache_key, request, …). Its id."""
        return int(self._run(_INSERT_ATTEMPT, _attempt_row(sha256, run_id, method, **details)).lastrowid)

    def add_attempts(self, attempts: Iterable[dict[str, Any]]) -> None:
        """add_attempt for many, in order: each a dict of its arguments (sha256, run_id, method, …)."""
        self._run_many(_INSERT_ATTEMPT, [_attempt_row(**attempt) for attempt in attempts])

    def has_cached_answers(self) -> bool:
        """Whether any attempt could answer a cache lookup (a store that never met an LLM has none)."""
        return self._run("SELECT 1 FROM attempts WHERE cache_key IS NOT NULL AND error IS NULL LIMIT 1").fetchone() \
            is not None

    def cached_attempt(self, cache_key: str) -> Optional[dict[str, Any]]:
        """The newest error-free attempt made with this cache key, or None."""
        row = self._run(
            """SELECT * FROM attempts WHERE cache_key = ? AND error IS NULL
               ORDER BY id DESC LIMIT 1""", (cache_key,)).fetchone()
        if row is None:
            return None
        attempt = dict(row)
        for column in _ATTEMPT_JSON:
            attempt[column] = load_json(attempt[column])
        return attempt

    # --- results ----------------------------------------------------------------------------

    def is_done(self, sha256: str) -> bool:
        """A result exists, and its LLM step did not fail (such a record is tried again)."""
        return bool(self.done_among([sha256]))

    def done_among(self, sha256s: Iterable[str]) -> set[str]:
        """Those of the documents that are done (is_done), in a query per 500."""
        done: set[str] = set()
        for chunk in chunks(list(sha256s)):
            done.update(row[0] for row in self._run(
                f"""SELECT r.sha256 FROM results r WHERE r.sha256 IN ({', '.join('?' * len(chunk))}) AND NOT EXISTS
                    (SELECT 1 FROM issues i WHERE i.sha256 = r.sha256 AND i.code = 'llm_unavailable')""", chunk))
        return done

    def save_result(self, sha256: str, *, status: str, reason: Optional[str] = None, format: Optional[str] = None,
                    year: Optional[int] = None, agency: Optional[str] = None, chosen: Optional[str] = None,
                    values: Optional[dict[str, Any]] = None, provenance: Optional[dict[str, Any]] = None,
                    confidence: Optional[dict[str, Any]] = None, issues: Iterable[dict[str, Any]] = (),
                    run_id: Optional[int] = None, packed: Optional[Packed] = None) -> None:
        """Replace the document's result and all its issues, atomically. `packed` (values,
        provenance, confidence and issues already packed) takes the place of the four."""
        self.save_results([dict(sha256=sha256, status=status, reason=reason, format=format, year=year, agency=agency,
                                chosen=chosen, run_id=run_id,
                                packed=packed or pack_record(format, values, provenance, confidence, issues))])

    def save_results(self, results: Iterable[dict[str, Any]]) -> None:
        """save_result for many documents, atomically, a statement per table for them all: each a
        dict of sha256, status, reason, format, year, agency, chosen, run_id and packed. A document
        given twice (two paths, one content) keeps its last."""
        latest = {result["sha256"]: result for result in results}
        now = time.time()
        rows, issue_rows = [], []
        for sha256, result in latest.items():
            if result["status"] not in MACHINE_STATUSES:
                raise ValueError(f"unknown status {result['status']!r}; expected one of {', '.join(MACHINE_STATUSES)}")
            packed = result["packed"]
            rows.append((sha256, result["status"], result.get("reason"), result.get("format"), result.get("year"),
                         result.get("agency"), result.get("chosen"), packed.values, packed.provenance,
                         packed.confidence, result.get("alternatives"),
                         result.get("run_id"), now))
            issue_rows += [(sha256, *issue) for issue in packed.issues]
        with self.transaction():
            self._run_many("DELETE FROM issues WHERE sha256 = ?", [(sha256,) for sha256 in latest])
            self._run_many(
                """INSERT INTO results (sha256, status, reason, format, year, agency, chosen, cell_values,
                                        provenance, confidence, alternatives, run_id, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(sha256) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                       format = excluded.format, year = excluded.year, agency = excluded.agency,
                       chosen = excluded.chosen, cell_values = excluded.cell_values,
                       provenance = excluded.provenance, confidence = excluded.confidence,
                       alternatives = excluded.alternatives,
                       run_id = excluded.run_id, updated_at = excluded.updated_at""", rows)
            self._run_many("""INSERT INTO issues (sha256, code, keys, message, severity, origin, expected, found)
                              VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", issue_rows)

_INSERT_ATTEMPT = """INSERT INTO attempts (sha256, run_id, method, model, cache_key, request, response, usage,
                                           latency_s, error, result, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def _attempt_row(sha256: str, run_id: Optional[int], method: str, *, model: Optional[str] = None,
                 cache_key: Optional[str] = None, request: Any = None, response: Any = None, usage: Any = None,
                 latency_s: Optional[float] = None, error: Optional[str] = None, result: Any = None) -> tuple:
    return (sha256, run_id, method, model, cache_key, dump_json(request), dump_json(response), dump_json(usage),
            latency_s, error, dump_json(result), time.time())
