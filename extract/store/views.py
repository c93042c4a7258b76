"""SQL views of the store for people who browse it with SQLite tools (`datasette govreport.db`):

    record_values      one row per input path: status, year, agency, template version, the issue
                       codes, and a column per canonical key (the machine's reading; people's
                       corrections are in `corrections`, and applied by `export`)
    record_issues      one row per issue of a record
    cross_report_issues  what `govreport check` found across reports: breaks between consecutive
                       years of an agency, copies of one report that disagree

They are made from the template, so they are made again when it changes: the store keeps the
hash of their definitions, and a store opened for writing with other definitions replaces them."""
from __future__ import annotations

import hashlib
import sqlite3

from extract import template
from extract.packing.columns import PACKED
from extract.store.results import _CURRENT_PATHS


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _value_column(key: str) -> str:
    cases = " ".join(f"WHEN '{version}' THEN json_extract(r.cell_values, '$[1][{template.numeric_keys(version).index(key)}]')"
                     for version in template.VERSIONS if key in template.numeric_key_set(version))
    return (f"CASE WHEN json_extract(r.cell_values, '$[0]') = {PACKED} THEN CASE r.format {cases} END "
            f"ELSE json_extract(r.cell_values, '$.{_quoted(key)}') END AS {_quoted(key)}")


def view_statements() -> list[str]:
    columns = ",\n  ".join(_value_column(key) for key in template.template_order())
    return [
        f"""CREATE VIEW record_values AS {_CURRENT_PATHS}
SELECT f.path, r.sha256, r.status, r.reason, r.year, r.agency, r.format AS template_version,
  (SELECT group_concat(code, ';') FROM (SELECT DISTINCT code FROM issues i WHERE i.sha256 = r.sha256 ORDER BY code))
    AS issue_codes,
  {columns}
FROM results r JOIN f ON f.sha256 = r.sha256""",
        f"""CREATE VIEW record_issues AS {_CURRENT_PATHS}
SELECT f.path, r.sha256, r.status, i.code, i.severity, i.origin, i.message, i.keys, i.expected, i.found
FROM issues i JOIN results r ON r.sha256 = i.sha256 JOIN f ON f.sha256 = i.sha256""",
        """CREATE VIEW cross_report_issues AS
SELECT c.agency_key, c.year, c.relation, d.path, c.sha256, c.other, json_extract(c.issue, '$.code') AS code,
  json_extract(c.issue, '$.severity') AS severity, json_extract(c.issue, '$.origin') AS origin,
  json_extract(c.issue, '$.message') AS message
FROM cross_issues c JOIN documents d ON d.sha256 = c.sha256""",
    ]


VIEWS = ("record_values", "record_issues", "year_chain_breaks", "cross_report_issues")


def ensure_views(conn: sqlite3.Connection) -> None:
    """The views as this govreport defines them (replaced where the store holds others)."""
    statements = view_statements()
    digest = hashlib.sha256("\n".join(statements).encode()).hexdigest()[:16]
    held = {row[0] for row in conn.execute("SELECT definition FROM _views")}
    if held == {digest}:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name in VIEWS:
            conn.execute(f"DROP VIEW IF EXISTS {name}")
        for statement in statements:
            conn.execute(statement)
        conn.execute("DELETE FROM _views")
        conn.execute("INSERT INTO _views (definition) VALUES (?)", (digest,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
