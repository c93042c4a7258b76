"""govreport check: the chains across consecutive years of each agency, over the whole store."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.agency import read_aliases
from extract.cli.common import EXIT_ISSUES, EXIT_OK, add_db, open_for_changing
from extract.crossyear import check_years
from extract.progress import plural

NAME = "check"
SUMMARY = "check each agency's consecutive years against each other (carry-over, documents in force)"
DESCRIPTION = ("Group the store's records by agency (the printed name normalised, its city completed from the "
               "report's text; --agencies for what cannot be inferred) and check every pair of consecutive years: "
               "上年结转 of year N equals 结转下年度 of year N−1 in each applicant column (Y1); in the 2021 "
               "template, 现行有效件数 of year N equals that of N−1 plus 本年制发 minus 本年废止 (Y2). Each break "
               "is printed and kept on both records (`review` shows it); no value is changed. A break between "
               "cells both reports print plainly is the sources' own. Exit 0 when no chain breaks, 1 when one does.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_db(p)
    p.add_argument("--agencies", type=Path, metavar="FILE",
                   help="CSV of `printed name,key` rows: the same agency printed differently")


def run(args: argparse.Namespace) -> int:
    aliases = read_aliases(args.agencies) if args.agencies else {}
    with open_for_changing(args.db) as store:
        checked = check_years(store, aliases)
    for earlier, later, found in checked.breaks:
        print(f"{later['agency_key']}\t{earlier['year']}→{later['year']}\t{found.message}\t"
              f"{earlier['path']}\t{later['path']}")
    agencies = f"{checked.agencies} agenc{'y' if checked.agencies == 1 else 'ies'}"
    print(f"{plural(checked.records, 'record')} of {agencies}, "
          f"{plural(checked.pairs, 'pair')} of consecutive years: {plural(len(checked.breaks), 'break')}"
          + (f" ({sum(b.plain for _, _, b in checked.breaks)} printed plainly on both sides: the sources')"
             if checked.breaks else ""), file=sys.stderr)
    return EXIT_ISSUES if checked.breaks else EXIT_OK
