"""`govreport check`: the template's chains across consecutive years of each agency, over the
whole store (records as they stand after people's corrections). Each break is kept for both of
its records (the store's year_breaks, replaced by every check); no value is changed.

    summary = check_years(store, aliases)"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from extract import corrections
from extract.agency import agency_key, bare_name, below_city
from extract.policy import FAILED
from extract.store import Store
from verify.series import Break, year_breaks


@dataclass
class Checked:
    records: int = 0                   # records with an agency key and a year
    agencies: int = 0
    pairs: int = 0                     # (year N−1, year N) pairs of records compared
    breaks: list[tuple[dict, dict, Break]] = field(default_factory=list)   # (earlier, later, break)


def check_years(store: Store, aliases: Mapping[str, str] = {}) -> Checked:
    """Group the records by agency key and year from their heads (a text is read only to complete
    a name printed without its city), then compare the records of each pair of consecutive years."""
    # First by the name without its city (no text read): only where such a group holds consecutive
    # years are the keys completed, which may read the reports' texts.
    bare: dict[str, dict[int, list[tuple[str, str]]]] = {}
    done = Checked()
    for sha, version, year, printed, status in store.record_heads():
        name = bare_name(printed, aliases)
        if status == FAILED or not year or not version or name is None:
            continue
        bare.setdefault(name, {}).setdefault(int(year), []).append((sha, printed))
        done.records += 1
    heads: dict[str, dict[int, list[str]]] = {}
    agencies: set[str] = set()
    for name, years in bare.items():
        if not any(year - 1 in years for year in years):
            agencies.add(name)
            continue
        for year, found in years.items():
            for sha, printed in found:
                key = agency_key(printed, store.get_text(sha) or "" if below_city(printed) else "", aliases)
                assert key is not None
                heads.setdefault(key, {}).setdefault(year, []).append(sha)
                agencies.add(key)
    done.agencies = len(agencies)
    pairs = [(key, year, earlier, later) for key, years in sorted(heads.items()) for year in sorted(years)
             for earlier in years.get(year - 1, ()) for later in years[year]]
    # The records of the pairs only, as they stand after people's corrections (one per document).
    wanted = {sha for _, _, earlier, later in pairs for sha in (earlier, later)}
    full = {r["sha256"]: r for r in corrections.records(store, shas=wanted)} if wanted else {}
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
    store.replace_year_breaks(rows)
    return done
