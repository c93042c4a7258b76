"""The store's record of what `govreport check` found across reports: issues between copies of one
report and between consecutive years of an agency, the cells copies fill, the agency aliases."""
from __future__ import annotations

from typing import Iterable

from extract.packing import dump_json, load_json
from extract.store.part import StorePart


class CrossLog(StorePart):
    """A mixin of Store: what `govreport check` found across reports (breaks between consecutive
    years of an agency, copies of one report that disagree) and the cells copies fill."""

    def replace_cross(self, issues: Iterable[tuple[str, str, str, str, int, dict]],
                      fills: Iterable[tuple[str, str, object, str]]) -> None:
        """In place of the last check's: the issues, each (sha256, other, relation, agency_key, year,
        the issue as it is on the record of sha256), and the fills, each (sha256, key, value, copy_sha256)."""
        with self.transaction():
            self._run("DELETE FROM cross_issues")
            self._run("DELETE FROM copy_fills")
            self._run_many("""INSERT INTO cross_issues (sha256, other, relation, agency_key, year, issue)
                              VALUES (?, ?, ?, ?, ?, ?)""", [(*row[:5], dump_json(row[5])) for row in issues])
            self._run_many("INSERT INTO copy_fills (sha256, key, value, copy_sha256) VALUES (?, ?, ?, ?)",
                           [(sha, key, dump_json(value), copy) for sha, key, value, copy in fills])

    def copy_fill_map(self) -> dict[str, dict[str, tuple[object, str]]]:
        """The cells copies fill: by sha256, key → (value, the copy's sha256)."""
        out: dict[str, dict[str, tuple[object, str]]] = {}
        for sha, key, value, copy in self._run("SELECT sha256, key, value, copy_sha256 FROM copy_fills"):
            out.setdefault(sha, {})[key] = (load_json(value), copy)
        return out

    def set_aliases(self, aliases: dict[str, str]) -> None:
        """The agency aliases every check uses from now on (an `--agencies` file's rows)."""
        with self.transaction():
            self._run("DELETE FROM agency_aliases")
            self._run_many("INSERT INTO agency_aliases (printed, key) VALUES (?, ?)", list(aliases.items()))

    def aliases(self) -> dict[str, str]:
        return dict(self._run("SELECT printed, key FROM agency_aliases").fetchall())
