"""The store's schema as a list of named migrations, applied in order, never edited once shipped.
A new column or table is a new function appended to MIGRATIONS."""
from __future__ import annotations

import json
import sqlite3
import time
from typing import Callable, Iterable

from extract.errors import StoreError
from extract.packing import (dump_json, pack_attempt_result, pack_confidence, pack_keys, pack_provenance, pack_values,
                             unpack_confidence, unpack_keys, unpack_provenance, unpack_values)


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
    for sha, version, values, provenance, confidence in rows:
        conn.execute("UPDATE results SET cell_values = ?, provenance = ?, confidence = ? WHERE sha256 = ?",
                     (pack_values(version, unpack_values(version, values)), pack_provenance(version, unpack_provenance(version, provenance)),
                      pack_confidence(version, unpack_confidence(version, confidence)), sha))
    for issue_id, keys in conn.execute("SELECT id, keys FROM issues").fetchall():
        conn.execute("UPDATE issues SET keys = ? WHERE id = ?", (dump_json(pack_keys(unpack_keys(json.loads(keys)))), issue_id))
    for attempt_id, result in conn.execute("SELECT id, result FROM attempts WHERE method = 'parsers'").fetchall():
        if result:
            conn.execute("UPDATE attempts SET result = ? WHERE id = ?",
                         (dump_json(pack_attempt_result(json.loads(result))), attempt_id))


def m004_review(conn: sqlite3.Connection) -> None:
    """What a person reviews and decides: the readings and the LLM's proposals a record leaves to
    them, its audit mark, and their corrections, kept append-only (the latest per cell counts)."""
    conn.execute("ALTER TABLE results ADD COLUMN alternatives TEXT")
    conn.execute("ALTER TABLE results ADD COLUMN audit INTEGER NOT NULL DEFAULT 0")
    conn.execute("""CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT,
        was TEXT,
        note TEXT,
        by TEXT NOT NULL,
        at REAL NOT NULL,
        tool_version TEXT NOT NULL,
        source TEXT)""")
    conn.execute("CREATE INDEX corrections_sha256 ON corrections(sha256)")


def m005_batch_requests(conn: sqlite3.Connection) -> None:
    """The LLM requests written for a provider's batch engine: where each went, and what became of it."""
    conn.execute("""CREATE TABLE batch_requests (
        custom_id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        kind TEXT NOT NULL,
        version TEXT NOT NULL,
        file TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('prepared', 'answered', 'failed')),
        error TEXT,
        prepared_at REAL NOT NULL,
        done_at REAL)""")
    conn.execute("""CREATE TABLE batches (
        file TEXT PRIMARY KEY,
        file_id TEXT,
        batch_id TEXT,
        state TEXT,
        counts TEXT,
        updated_at REAL NOT NULL)""")


def m006_cross_reports(conn: sqlite3.Connection) -> None:
    """What `govreport check` finds across reports (recomputed whole by every check): each issue
    once for each record it concerns (the other record named; `relation` earlier, later or copy),
    and the cells a copy of the same report fills where this one's text leaves them open; the agency
    aliases the last `--agencies` file gave, which every later check uses."""
    conn.execute("""CREATE TABLE cross_issues (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,
        other TEXT NOT NULL,
        relation TEXT NOT NULL CHECK (relation IN ('earlier', 'later', 'copy')),
        agency_key TEXT NOT NULL,
        year INTEGER NOT NULL,
        issue TEXT NOT NULL)""")
    conn.execute("CREATE INDEX cross_issues_sha256 ON cross_issues(sha256)")
    conn.execute("CREATE TABLE agency_aliases (printed TEXT PRIMARY KEY, key TEXT NOT NULL)")
    conn.execute("""CREATE TABLE copy_fills (
        sha256 TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        copy_sha256 TEXT NOT NULL,
        PRIMARY KEY (sha256, key))""")


def m007_views(conn: sqlite3.Connection) -> None:
    """Where the hash of the SQL views' definitions is kept (the views follow the template: made by
    `views.ensure_views`, not here)."""
    conn.execute("CREATE TABLE _views (definition TEXT NOT NULL)")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (m001_initial, m002_claims, m003_packed_records,
                                                                m004_review, m005_batch_requests, m006_cross_reports,
                                                                m007_views)


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
