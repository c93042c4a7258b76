"""govreport check: the chains across consecutive years of each agency, over the whole store."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.agency import read_aliases
from extract.cli.common import EXIT_ISSUES, EXIT_OK, add_db, open_for_changing
from extract.across import MAX_COPIES, check_store
from extract.progress import plural

NAME = "check"
SUMMARY = "reports against each other: copies of one report, consecutive years of an agency"
DESCRIPTION = ("Group the store's records by agency (the printed name normalised, its city completed from the "
               "report's text; --agencies for what cannot be inferred). Records of one agency, year and template are "
               "copies of one report: where one leaves a cell open (several readings) that the other prints plainly "
               "with one of them, that value fills it (confidence copy); copies that differ are flagged on both "
               "(copies_disagree) and fill nothing. Every pair of consecutive years is checked: "
               "上年结转 of year N equals 结转下年度 of year N−1 in each applicant column (Y1); in the 2021 "
               "template, 现行有效件数 of year N equals that of N−1 plus 本年制发 minus 本年废止 (Y2). Each break "
               "is printed and kept on both records (`review` shows it); no value is changed. A break between "
               "cells both reports print plainly is the sources' own. Exit 0 when no chain breaks and no copies differ, 1 "
               "when one does.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_db(p)
    p.add_argument("--agencies", type=Path, metavar="FILE",
                   help="CSV of `printed name,key` rows: the same agency printed differently")


def run(args: argparse.Namespace) -> int:
    aliases = read_aliases(args.agencies) if args.agencies else None   # None: the store's kept ones
    with open_for_changing(args.db) as store:
        checked = check_store(store, aliases)
    for mine, theirs, found in checked.differences:
        print(f"{mine['agency']}\t{mine['year']}\tcopies differ: {found.key} {found.mine} / {found.theirs}"
              f"{' (both printed plainly)' if found.plain else ''}\t{mine['path']}\t{theirs['path']}")
    for earlier, later, broken in checked.breaks:
        print(f"{later['agency_key']}\t{earlier['year']}→{later['year']}\t{broken.message}\t"
              f"{earlier['path']}\t{later['path']}")
    agencies = f"{checked.agencies} agenc{'y' if checked.agencies == 1 else 'ies'}"
    print(f"{plural(checked.records, 'record')} of {agencies}: {plural(checked.copies, 'pair')} of copies of one "
          f"report ({plural(checked.filled, 'cell')} filled from a copy, {plural(len(checked.differences), 'difference')}"
          f"), {plural(checked.pairs, 'pair')} of consecutive years: {plural(len(checked.breaks), 'break')}"
          + (f" ({sum(b.plain for _, _, b in checked.breaks)} printed plainly on both sides: the sources')"
             if checked.breaks else ""), file=sys.stderr)
    if checked.crowded:
        print(f"{plural(checked.crowded, 'record')} among more than {MAX_COPIES} of one agency and year: too many to be "
              "copies of one report, not compared as copies (is the agency read too coarsely?)", file=sys.stderr)
    return EXIT_ISSUES if checked.breaks or checked.differences else EXIT_OK
