"""govreport review: the documents a human must check, why, and where to look."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.cells_csv import write_cells
from extract.cli.common import EXIT_OK, add_db, add_status, open_for_reading
from extract.errors import UsageError
from extract.output import atomic_output, guarded_stdout
from extract.pages import write_site
from extract.progress import plural
from extract.review import AUDIT, flagged_documents

NAME = "review"
SUMMARY = "list the documents a human must check, with reasons (or write them as a CSV of cells)"
DESCRIPTION = ("Every document whose status is not verified, and the records sampled for audit, with the reason "
               "(one line each: status, path, reason). With --cells, a CSV of the cells that need a look instead, "
               "to fill in and apply with `govreport correct`. With --html, a folder of pages that open from disk "
               "(index.html, one page per document: its tables beside its text) where the cells are decided "
               "and saved as a file for `govreport correct`.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_db(p)
    p.add_argument("--all-issues", action="store_true",
                   help="print every issue, each cell it names with the line and text where it was printed")
    add_status(p, "every status but verified, and the records sampled for audit", (AUDIT,))
    p.add_argument("--code", action="append", default=[], metavar="CODE",
                   help="only documents with an issue of this code (repeatable; `govreport codes` lists them)")
    p.add_argument("--cells", type=Path, metavar="FILE.csv",
                   help="write one row per cell that needs a look (sha256, path, key, label, value, issue) with "
                        "empty `corrected` and `note` columns to fill in; apply it with `govreport correct FILE.csv`")
    p.add_argument("--html", type=Path, metavar="DIR",
                   help="write the review pages into DIR (created if need be): open DIR/index.html in a browser, "
                        "decide the cells, save, and apply the saved file with `govreport correct FILE`")


def run(args: argparse.Namespace) -> int:
    if args.cells and args.html:
        raise UsageError("--cells and --html: one at a time")
    with open_for_reading(args.db) as store:
        if args.html:
            site = write_site(store, args.html, args.status, args.code)
            print(f"{plural(site.listed, 'document')} to check, {plural(site.pages, 'page')}: open {site.index} "
                  f"in a browser; save the decisions and apply them with `govreport correct FILE`", file=sys.stderr)
            return EXIT_OK
        documents = flagged_documents(store, args.status, with_issues=args.all_issues, codes=args.code)
        if args.cells:
            with atomic_output(args.cells) as out:
                rows = write_cells(out, documents)
            print(f"{plural(rows, 'cell')} to check in {args.cells}; fill in `corrected` (and `note`), then "
                  f"`govreport correct {args.cells}`", file=sys.stderr)
            return EXIT_OK
        count = 0
        with guarded_stdout() as out:
            for found in documents:
                count += 1
                print(f"{found.status}\t{found.path}\t{found.reason}", file=out)
                for issue, where in found.issues:
                    print(f"\t{issue['severity']}\t{issue['code']}\t{issue['message']}", file=out)
                    for line in where:
                        print(f"\t\t{line}", file=out)
    print(f"{plural(count, 'document')} to check", file=sys.stderr)
    return EXIT_OK
