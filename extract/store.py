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
            provenance, confidence, run_id → runs, updated_at)        the chosen record
    issues(id PK, sha256 → results, code, keys, message, severity, origin, expected, found)

`results.cell_values` is the record's `values`; the column is renamed only because VALUES is
an SQL keyword. Every sqlite3 error leaving this module is raised as StoreError.
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
import urllib.parse
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from extract.errors import StoreError
from extract.packing import (Packed, encode_json, pack_attempt_result, pack_confidence, pack_keys, pack_provenance,
                             pack_record, pack_values, unpack_confidence, unpack_keys, unpack_provenance,
                             unpack_values)

DEFAULT_PATH = "govreport.db"
VERIFIED, SOURCE_INCONSISTENT, NEEDS_REVIEW, FAILED = "verified", "source_inconsistent", "needs_review", "failed"
STATUSES: tuple[str, ...] = (VERIFIED, SOURCE_INCONSISTENT, NEEDS_REVIEW, FAILED)

_ATTEMPT_JSON = ("request", "response", "usage", "result")


# --- migrations: append new functions, never edit a shipped one -------------------------------

def m001_initial(conn: sqlite3.Connection) -> None:
    statements = [
        """CREATE TABLE files (
            path TEXT PRIMARY KEY,
            sha256 TEXT,
            size INTEGER,
            error TEXT,
            seen_at REAL NOT NULL)""",
        "CREATE INDEX files_sha256 ON files(sha256)",
        """CREATE TABLE documents (
            sha256 TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            encoding TEXT,
            text TEXT,
            added_at REAL NOT NULL)""",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at REAL NOT NULL,
            finished_at REAL,
            argv TEXT NOT NULL,
            settings TEXT NOT NULL,
            totals TEXT)""",
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL REFERENCES documents(sha256),
            run_id INTEGER REFERENCES runs(id),
            method TEXT NOT NULL,
            model TEXT,
            cache_key TEXT,
            request TEXT,
            response TEXT,
            usage TEXT,
            latency_s REAL,
            error TEXT,
            result TEXT,
            created_at REAL NOT NULL)""",
        "CREATE INDEX attempts_sha256 ON attempts(sha256)",
        # Partial: the cache lookup only ever wants successful attempts, and most rows
        # (parser attempts) have no cache key at all.
        """CREATE INDEX attempts_cache_key ON attempts(cache_key)
            WHERE cache_key IS NOT NULL AND error IS NULL""",
        # The statuses are spelled out, not taken from STATUSES: a shipped migration must not
        # change meaning when the constant does (a new status needs a new migration).
        """CREATE TABLE results (
            sha256 TEXT PRIMARY KEY REFERENCES documents(sha256),
            status TEXT NOT NULL
                CHECK (status IN ('verified', 'source_inconsistent', 'needs_review', 'failed')),
            reason TEXT,
            format TEXT,
            year INTEGER,
            agency TEXT,
            chosen TEXT,
            cell_values TEXT,
            provenance TEXT,
            confidence TEXT,
            run_id INTEGER REFERENCES runs(id),
            updated_at REAL NOT NULL)""",
        "CREATE INDEX results_status ON results(status)",
        """CREATE TABLE issues (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL REFERENCES results(sha256) ON DELETE CASCADE,
            code TEXT NOT NULL,
            keys TEXT NOT NULL,
            message TEXT NOT NULL,
            severity TEXT NOT NULL,
            origin TEXT,
            expected REAL,
            found REAL)""",
        "CREATE INDEX issues_sha256 ON issues(sha256)",
    ]
    for sql in statements:
        conn.execute(sql)


def m002_claims(conn: sqlite3.Connection) -> None:
    """Which run is working on which document, so that runs sharing a store share the work."""
    conn.execute("""CREATE TABLE claims (
        sha256 TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        claimed_at REAL NOT NULL)""")


def m003_packed_records(conn: sqlite3.Connection) -> None:
    """Results and parser attempts written as dicts keyed by canonical keys → packed (see
    extract.packing): the same content in a tenth of the space."""
    rows = conn.execute("SELECT sha256, format, cell_values, provenance, confidence FROM results").fetchall()
    for sha, fmt, values, provenance, confidence in rows:
        conn.execute("UPDATE results SET cell_values = ?, provenance = ?, confidence = ? WHERE sha256 = ?",
                     (pack_values(fmt, unpack_values(fmt, values)), pack_provenance(fmt, unpack_provenance(fmt, provenance)),
                      pack_confidence(fmt, unpack_confidence(fmt, confidence)), sha))
    for issue_id, keys in conn.execute("SELECT id, keys FROM issues").fetchall():
        conn.execute("UPDATE issues SET keys = ? WHERE id = ?", (dump_json(pack_keys(unpack_keys(json.loads(keys)))), issue_id))
    for attempt_id, result in conn.execute("SELECT id, result FROM attempts WHERE method = 'parsers'").fetchall():
        if result:
            conn.execute("UPDATE attempts SET result = ? WHERE id = ?",
                         (dump_json(pack_attempt_result(json.loads(result))), attempt_id))


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (m001_initial, m002_claims, m003_packed_records)
CLAIM_STALE_S = 900.0  # a run holds a document for minutes at most (the LLM deadline); older claims are void


def migrate_db(conn: sqlite3.Connection, migrations: Iterable[Callable[[sqlite3.Connection], None]] = MIGRATIONS) -> list[str]:
    """Apply the pending migrations in order, each in its own transaction; return their names.

    Raises StoreError if the database records a migration this code does not know: it was
    written by a newer govreport, and guessing at its schema could corrupt it.
    """
    migrations = list(migrations)
    known = {m.__name__ for m in migrations}
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    unknown = sorted(read_applied(conn) - known)
    if unknown:
        raise StoreError(f"database has migrations this govreport does not know ({', '.join(unknown)}); "
                         "it was written by a newer version")
    applied_now: list[str] = []
    for migration in migrations:
        name = migration.__name__
        # IMMEDIATE takes the write lock before re-checking, so two processes opening a fresh
        # database at once cannot both apply the same migration.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if name not in read_applied(conn):
                migration(conn)
                conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, time.time()))
                applied_now.append(name)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied_now


def read_applied(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM _migrations")}


# --- JSON helpers ---------------------------------------------------------------------------

class JSONText(str):
    """JSON encoded already (in a worker process): stored as it is."""


def dump_json(value: Any) -> Optional[str]:
    """None stays SQL NULL; anything else (dict, list, str, number) is stored as JSON text."""
    if value is None or type(value) is JSONText:
        return value
    return encode_json(value)


def load_json(text: Optional[str]) -> Any:
    return None if text is None else json.loads(text)


# --- the store ------------------------------------------------------------------------------

class Store:
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
        for chunk in _chunks(list(sha256s)):
            done.update(row[0] for row in self._run(
                f"""SELECT r.sha256 FROM results r WHERE r.sha256 IN ({', '.join('?' * len(chunk))}) AND NOT EXISTS
                    (SELECT 1 FROM issues i WHERE i.sha256 = r.sha256 AND i.code = 'llm_unavailable')""", chunk))
        return done

    def claim(self, sha256: str, owner: str, now: Optional[float] = None) -> bool:
        """Take the document for `owner` ('host:pid:…') unless another live run holds it.

        A claim is void when it is old, or when its run was on this machine and has ended
        (an interrupted run must not block the re-run that resumes it).
        """
        return bool(self.claim_each([sha256], owner, now))

    def claim_each(self, sha256s: Iterable[str], owner: str, now: Optional[float] = None) -> set[str]:
        """claim for many: those of the documents now held by `owner`."""
        now = time.time() if now is None else now
        wanted = list(sha256s)
        held: dict[str, tuple[str, float]] = {}
        for chunk in _chunks(wanted):
            held.update((row[0], (row[1], row[2])) for row in self._run(
                f"SELECT sha256, owner, claimed_at FROM claims WHERE sha256 IN ({', '.join('?' * len(chunk))})", chunk))
        taken = [sha256 for sha256 in wanted if sha256 not in held or held[sha256][0] == owner
                 or held[sha256][1] < now - CLAIM_STALE_S or not _alive(held[sha256][0])]
        self._run_many("""INSERT INTO claims (sha256, owner, claimed_at) VALUES (?, ?, ?)
                          ON CONFLICT(sha256) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at""",
                       [(sha256, owner, now) for sha256 in taken])
        return set(taken)

    def release(self, sha256: str, owner: str) -> None:
        self.release_each([(sha256, owner)])

    def release_each(self, claims: Iterable[tuple[str, str]]) -> None:
        """Release many claims: (sha256, owner) each."""
        self._run_many("DELETE FROM claims WHERE sha256 = ? AND owner = ?", list(claims))

    def release_all(self, owner: str) -> None:
        self._run("DELETE FROM claims WHERE owner = ?", (owner,))

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
            if result["status"] not in STATUSES:
                raise ValueError(f"unknown status {result['status']!r}; expected one of {', '.join(STATUSES)}")
            packed = result["packed"]
            rows.append((sha256, result["status"], result.get("reason"), result.get("format"), result.get("year"),
                         result.get("agency"), result.get("chosen"), packed.values, packed.provenance,
                         packed.confidence, result.get("run_id"), now))
            issue_rows += [(sha256, *issue) for issue in packed.issues]
        with self.transaction():
            self._run_many("DELETE FROM issues WHERE sha256 = ?", [(sha256,) for sha256 in latest])
            self._run_many(
                """INSERT INTO results (sha256, status, reason, format, year, agency, chosen, cell_values,
                                        provenance, confidence, run_id, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(sha256) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                       format = excluded.format, year = excluded.year, agency = excluded.agency,
                       chosen = excluded.chosen, cell_values = excluded.cell_values,
                       provenance = excluded.provenance, confidence = excluded.confidence,
                       run_id = excluded.run_id, updated_at = excluded.updated_at""", rows)
            self._run_many("""INSERT INTO issues (sha256, code, keys, message, severity, origin, expected, found)
                              VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", issue_rows)

    def iter_results(self, statuses: Optional[set[str]] = None) -> Iterator[dict[str, Any]]:
        """One dict per input path with a result, ordered by path, each with its issues.

        Identical files under several paths share one document and result, and each path gets
        its record: nothing that was given is left out.
        """
        where, params = "", ()
        if statuses is not None:
            if not statuses:
                return
            params = tuple(sorted(statuses))
            where = f"WHERE r.status IN ({', '.join('?' * len(params))})"
        order = "ORDER BY f.path"
        # Every path seen with this content; a document stored without one keeps its own path.
        paths = """WITH f AS (SELECT path, sha256 FROM files WHERE sha256 IS NOT NULL
                       UNION SELECT d.path, d.sha256 FROM documents d
                             WHERE NOT EXISTS (SELECT 1 FROM files x WHERE x.sha256 = d.sha256))"""
        # Two streams in the same order, merged here: one query for all issues instead of one
        # per result, without repeating each result's values once per issue as a JOIN would.
        results = self._run(
            f"""{paths} SELECT f.path, r.* FROM results r JOIN f ON f.sha256 = r.sha256
                {where} {order}""", params)
        issues = self._run(
            f"""{paths} SELECT f.path AS file_path, i.* FROM issues i JOIN results r ON r.sha256 = i.sha256
                JOIN f ON f.sha256 = i.sha256 {where} {order}, i.id""", params)
        try:
            pending = issues.fetchone()
            for row in results:
                record = dict(row)
                fmt = record.get("format")
                record["values"] = unpack_values(fmt, record.pop("cell_values"))
                record["provenance"] = unpack_provenance(fmt, record["provenance"])
                record["confidence"] = unpack_confidence(fmt, record["confidence"])
                record["issues"] = []
                while pending is not None and pending["file_path"] == record["path"]:
                    record["issues"].append(read_issue(pending))
                    pending = issues.fetchone()
                yield record
        except sqlite3.Error as exc:
            raise StoreError(f"store {self.path}: {exc}") from exc

    def iter_file_errors(self) -> Iterator[dict[str, Any]]:
        """Input paths that could not be read at all, so they have no document and no result."""
        for row in self._run("SELECT path, size, error, seen_at FROM files WHERE sha256 IS NULL ORDER BY path"):
            yield dict(row)

    def count_by_status(self) -> dict[str, int]:
        """Every status, with 0 for those no document has."""
        counts = dict.fromkeys(STATUSES, 0)
        for status, count in self._run("SELECT status, COUNT(*) FROM results GROUP BY status"):
            counts[status] = count
        # Inputs that could not even be read have no result, and they failed all the same.
        counts["failed"] += self._run("SELECT COUNT(*) FROM files WHERE sha256 IS NULL").fetchone()[0]
        return counts


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    """Slices of at most `size`: SQLite limits the parameters of a statement (999 in older builds)."""
    return (items[i:i + size] for i in range(0, len(items), size))


_INSERT_ATTEMPT = """INSERT INTO attempts (sha256, run_id, method, model, cache_key, request, response, usage,
                                           latency_s, error, result, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def _attempt_row(sha256: str, run_id: Optional[int], method: str, *, model: Optional[str] = None,
                 cache_key: Optional[str] = None, request: Any = None, response: Any = None, usage: Any = None,
                 latency_s: Optional[float] = None, error: Optional[str] = None, result: Any = None) -> tuple:
    return (sha256, run_id, method, model, cache_key, dump_json(request), dump_json(response), dump_json(usage),
            latency_s, error, dump_json(result), time.time())


def _alive(owner: str) -> bool:
    """Whether the run named 'host:pid:…' may still be working (other machines: assume so)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def read_issue(row: sqlite3.Row) -> dict[str, Any]:
    return {"code": row["code"], "keys": unpack_keys(load_json(row["keys"])), "message": row["message"],
            "severity": row["severity"], "origin": row["origin"], "expected": row["expected"],
            "found": row["found"]}
