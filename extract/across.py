"""`govreport check`: what reports say about each other, over the whole store.

Records are grouped by agency key and year (by the name without its city first, so that only
groups that can hold something read a text). Within one agency, year and template, records are
copies of one report: where they disagree, both are flagged (`copies_disagree`); where one leaves a
cell open that the other prints plainly with one of its readings, that value fills it (applied
where records are read: confidence `copy`, the copy's sha256 in its provenance). Between
consecutive years, the template's chains are checked (`year_chain_break`, noted on both records).
The findings replace the last check's; no stored value is changed.

    checked = check_store(store, aliases)"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from extract import corrections
from extract.agency import bare_name, below_city, cluster, parse_agency
from extract.policy import FAILED
from extract.store import Store
from verify import copies as copy_checks
from verify.series import Break, year_breaks


@dataclass
class Checked:
    records: int = 0                   # records with an agency name and a year
    agencies: int = 0
    pairs: int = 0                     # (year N−1, year N) pairs of records compared
    breaks: list[tuple[dict, dict, Break]] = field(default_factory=list)   # (earlier, later, break)
    copies: int = 0                    # pairs of records that are copies of one report
    filled: int = 0                    # cells filled from a copy
    differences: list[tuple[dict, dict, copy_checks.Difference]] = field(default_factory=list)
    crowded: int = 0                   # records of an agency and year with more records than copies make


# A report kept as its page, its text, its PDF and its Word file: a few copies. More records of one
# agency, year and template are no copies of one report (the name read too coarsely, or a store of
# variants): they are not compared pairwise.
MAX_COPIES = 8


def check_store(store: Store, aliases: Optional[Mapping[str, str]] = None) -> Checked:
    """`aliases` (an `--agencies` file) are kept in the store; without, the kept ones are used."""
    if aliases is not None:
        store.set_aliases(dict(aliases))
    aliases = store.aliases()
    done = Checked()
    groups = _grouped(store, aliases, done)
    # Copies first, on the records as people left them (not as copies filled them): what they fill
    # is then part of the records the chains are checked on.
    issues: list[tuple] = []
    fills: list[tuple] = []
    copy_groups = [(key, year, shas) for key, years in groups.items() for year, shas in years.items()
                   if 1 < len(shas) <= MAX_COPIES]
    wanted = {s for _, _, shas in copy_groups for s in shas}
    own = {r["sha256"]: r for r in corrections.records(store, shas=wanted, across=False)} if wanted else {}
    for key, year, shas in copy_groups:
        by_version: dict[Any, list[dict[str, Any]]] = {}
        for sha in sorted(shas):
            if sha in own and own[sha]["status"] != FAILED:
                by_version.setdefault(own[sha].get("format"), []).append(own[sha])
        for records in by_version.values():
            if len(records) > 1:
                _copies(store, key, year, records, done, issues, fills)
    done.filled = len(fills)
    store.replace_cross(issues, fills)
    issues += _chains(store, groups, done)
    store.replace_cross(issues, fills)
    return done


def _copies(store: Store, key: str, year: int, records: list[dict[str, Any]], done: Checked,
            issues: list[tuple], fills: list[tuple]) -> None:
    """One report's copies: their differences, each flagged on both; where there are none, the
    cells one leaves open that all the others printing them agree on."""
    done.copies += len(records) * (len(records) - 1) // 2
    differ = False
    for i, mine in enumerate(records):
        for theirs in records[i + 1:]:
            found = copy_checks.differences(mine, theirs)
            differ = differ or bool(found)
            done.differences += [(mine, theirs, d) for d in found]
            for a, b, differences in ((mine, theirs, found), (theirs, mine, copy_checks.differences(theirs, mine))):
                for difference in differences:
                    issue = copy_checks.difference_issue(a.get("format"), difference, b["path"])
                    issues.append((a["sha256"], b["sha256"], "copy", key, year, issue.to_dict()))
    if differ:
        return   # copies that differ fill nothing
    for mine in records:
        text = None
        offered: dict[str, list[tuple[Any, str]]] = {}
        for theirs in records:
            if theirs is mine:
                continue
            if text is None:
                text = store.get_text(mine["sha256"]) or ""
            for cell, value in copy_checks.fills(mine, theirs, text).items():
                offered.setdefault(cell, []).append((value, theirs["sha256"]))
        for cell, offers in offered.items():
            if len({float(v) for v, _ in offers}) == 1:
                fills.append((mine["sha256"], cell, offers[0][0], offers[0][1]))


def _grouped(store: Store, aliases: Mapping[str, str], done: Checked,
             every: bool = False) -> dict[str, dict[int, list[str]]]:
    """agency key → year → the records' sha256s: for every record (`every`), or for the groups that
    can hold copies or consecutive years (the others' keys are not made: no text read)."""
    bare: dict[str, dict[int, list[tuple[str, Optional[str]]]]] = {}
    for sha, version, year, printed, status in store.record_heads():
        name = bare_name(printed, aliases)
        if status == FAILED or not year or not version or name is None:
            continue
        bare.setdefault(name, {}).setdefault(int(year), []).append((sha, printed))
        done.records += 1
    groups: dict[str, dict[int, list[str]]] = {}
    agencies: set[str] = set()
    for name, years in bare.items():
        done.crowded += sum(len(found) for found in years.values() if len(found) > MAX_COPIES)
        if not every and not any(year - 1 in years or 1 < len(found) <= MAX_COPIES for year, found in years.items()):
            agencies.add(name)
            continue
        parsed = []
        for found in years.values():
            for sha, printed in found:
                agency = parse_agency(printed, store.get_text(sha) or "" if below_city(printed) else "", aliases)
                assert agency is not None
                parsed.append((sha, agency))
        keys = cluster(parsed)
        for year, found in years.items():
            for sha, _ in found:
                groups.setdefault(keys[sha], {}).setdefault(year, []).append(sha)
                agencies.add(keys[sha])
    done.agencies = len(agencies)
    return groups


def agency_keys(store: Store) -> dict[str, str]:
    """Every record's agency key (sha256 → key), as `check` groups them: what the export shows."""
    return {sha: key for key, years in _grouped(store, store.aliases(), Checked(), every=True).items()
            for shas in years.values() for sha in shas}


def _chains(store: Store, groups: dict[str, dict[int, list[str]]], done: Checked) -> list[tuple]:
    """The chains between consecutive years, on the records as they stand (corrections and
    copies' fills applied): each break an issue of both records."""
    pairs = [(key, year, earlier, later) for key, years in sorted(groups.items()) for year in sorted(years)
             for earlier in years.get(year - 1, ()) for later in years[year]]
    wanted = {sha for _, _, earlier, later in pairs for sha in (earlier, later)}
    full: dict[str, dict[str, Any]] = {r["sha256"]: r for r in corrections.records(store, shas=wanted)} if wanted else {}
    rows = []
    for key, year, earlier_sha, later_sha in pairs:
        earlier, later = full[earlier_sha], full[later_sha]
        if earlier["status"] == FAILED or later["status"] == FAILED:
            continue
        done.pairs += 1
        for found in year_breaks(earlier, later):
            done.breaks.append((dict(earlier, agency_key=key), dict(later, agency_key=key), found))
            for mine, other, side in ((earlier, later, "earlier"), (later, earlier, "later")):
                said = f"{found.message}; {year - 1} → {year}, the other report: {other['path']}"
                keys = found.earlier_keys if side == "earlier" else found.later_keys
                rows.append((mine["sha256"], other["sha256"], side, key, int(mine["year"]),
                             found.issue(keys, said).to_dict()))
    return rows


def report_groups(store: Store) -> dict[str, str]:
    """Each document that is a copy of a report another document also holds (same agency key,
    year and template; at most MAX_COPIES of them): sha256 → its group's name (the least sha256)."""
    formats = {sha: version for sha, version, _, _, _ in store.record_heads()}
    out: dict[str, str] = {}
    for years in _grouped(store, store.aliases(), Checked()).values():
        for shas in years.values():
            if not 1 < len(shas) <= MAX_COPIES:
                continue
            by_format: dict[Any, list[str]] = {}
            for sha in shas:
                by_format.setdefault(formats.get(sha), []).append(sha)
            for members in by_format.values():
                if len(members) > 1:
                    out.update(dict.fromkeys(members, min(members)))
    return out
