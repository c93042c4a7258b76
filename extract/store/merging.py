"""Merging an attached store (`src`) into this one, table by table, keyed by content hashes (what
`govreport merge` does; extract/merge.py says the rules)."""
from __future__ import annotations

import os
import sqlite3
from typing import Union

from extract.errors import StoreError
from extract.store.part import StorePart


class Merger(StorePart):
    """A mixin of Store: another store merged into this one."""

    def merge_from(self, source: Union[str, "os.PathLike[str]"]) -> dict[str, int]:
        """Another store of this schema merged into this one, in one transaction: rows added per table."""
        self._run("ATTACH DATABASE ? AS src", (os.fspath(source),))   # not inside a transaction
        try:
            with self.transaction():
                try:
                    return merge_attached(self._conn)
                except sqlite3.Error as exc:
                    raise StoreError(f"merging {source} into {self.path}: {exc}") from exc
        finally:
            self._run("DETACH DATABASE src")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")]


def merge_attached(conn: sqlite3.Connection) -> dict[str, int]:
    """The attached store `src` merged into `main` (see extract/merge.py): rows added per table."""
    added: dict[str, int] = {}

    def run(table: str, sql: str, params: tuple = ()) -> None:
        added[table] = added.get(table, 0) + conn.execute(sql, params).rowcount

    cols = ", ".join(_columns(conn, "documents"))
    run("documents", f"INSERT OR IGNORE INTO documents ({cols}) SELECT {cols} FROM src.documents")
    run("files", """INSERT INTO files (path, sha256, size, error, seen_at)
                    SELECT path, sha256, size, error, seen_at FROM src.files WHERE true
                    ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size,
                        error = excluded.error, seen_at = excluded.seen_at WHERE excluded.seen_at > files.seen_at""")
    runs = {}
    for old, started, finished, argv, settings, totals in conn.execute(
            "SELECT id, started_at, finished_at, argv, settings, totals FROM src.runs ORDER BY id").fetchall():
        same = conn.execute("SELECT id FROM main.runs WHERE started_at = ? AND argv = ?", (started, argv)).fetchone()
        if same is None:
            same = (conn.execute("INSERT INTO main.runs (started_at, finished_at, argv, settings, totals) "
                                 "VALUES (?, ?, ?, ?, ?)", (started, finished, argv, settings, totals)).lastrowid,)
            added["runs"] = added.get("runs", 0) + 1
        runs[old] = same[0]
    conn.execute("CREATE TEMP TABLE run_ids (old INTEGER PRIMARY KEY, new INTEGER)")
    try:
        conn.executemany("INSERT INTO temp.run_ids VALUES (?, ?)", list(runs.items()))
        attempt = [c for c in _columns(conn, "attempts") if c != "id"]
        picked = ", ".join("(SELECT new FROM temp.run_ids WHERE old = a.run_id)" if c == "run_id" else f"a.{c}"
                           for c in attempt)
        run("attempts", f"""INSERT INTO attempts ({', '.join(attempt)}) SELECT {picked} FROM src.attempts a
                            WHERE NOT EXISTS (SELECT 1 FROM main.attempts m WHERE m.sha256 = a.sha256
                                AND m.method = a.method AND m.created_at = a.created_at
                                AND m.cache_key IS a.cache_key) ORDER BY a.id""")
        result = _columns(conn, "results")
        picked = ", ".join("(SELECT new FROM temp.run_ids WHERE old = s.run_id)" if c == "run_id" else f"s.{c}"
                           for c in result)
        conn.execute("""CREATE TEMP TABLE newer AS SELECT s.sha256 FROM src.results s
                        LEFT JOIN main.results m ON m.sha256 = s.sha256
                        WHERE m.sha256 IS NULL OR s.updated_at > m.updated_at""")
        try:
            conn.execute("DELETE FROM main.issues WHERE sha256 IN (SELECT sha256 FROM temp.newer)")
            run("results", f"""INSERT OR REPLACE INTO results ({', '.join(result)}) SELECT {picked} FROM src.results s
                               WHERE s.sha256 IN (SELECT sha256 FROM temp.newer)""")
            issue = [c for c in _columns(conn, "issues") if c != "id"]
            run("issues", f"""INSERT INTO issues ({', '.join(issue)}) SELECT {', '.join(issue)} FROM src.issues
                              WHERE sha256 IN (SELECT sha256 FROM temp.newer) ORDER BY id""")
        finally:
            conn.execute("DROP TABLE temp.newer")
    finally:
        conn.execute("DROP TABLE temp.run_ids")
    correction = [c for c in _columns(conn, "corrections") if c != "id"]
    run("corrections", f"""INSERT INTO corrections ({', '.join(correction)}) SELECT {', '.join(correction)}
                           FROM src.corrections c WHERE NOT EXISTS (SELECT 1 FROM main.corrections m
                               WHERE m.sha256 = c.sha256 AND m.key = c.key AND m.at = c.at AND m.by = c.by
                               AND m.value IS c.value) ORDER BY c.id""")
    for table in ("batch_requests", "batches"):
        cols = ", ".join(_columns(conn, table))
        run(table, f"INSERT OR IGNORE INTO {table} ({cols}) SELECT {cols} FROM src.{table}")
    return added
