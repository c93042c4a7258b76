"""govreport review: the documents a human must check, why, and where to look."""
from __future__ import annotations

import argparse
import sys

from extract.cli.common import EXIT_OK, add_db, add_status, open_for_reading
from extract.output import guarded_stdout
from extract.progress import plural
from extract.review import flagged_documents

NAME = "review"
SUMMARY = "list the documents a human must check, with reasons"
DESCRIPTION = "Every document whose status is not verified, with its reason (one line each: status, path, reason)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_db(p)
    p.add_argument("--all-issues", action="store_true",
                   help="print every issue, each cell it names with the line and text where it was printed")
    add_status(p, "every status but verified")


def run(args: argparse.Namespace) -> int:
    count = 0
    with open_for_reading(args.db) as store, guarded_stdout() as out:
        for found in flagged_documents(store, args.status, with_issues=args.all_issues):
            count += 1
            print(f"{found.status}\t{found.path}\t{found.reason}", file=out)
            for issue, where in found.issues:
                print(f"\t{issue['severity']}\t{issue['code']}\t{issue['message']}", file=out)
                for line in where:
                    print(f"\t\t{line}", file=out)
    print(f"{plural(count, 'document')} to check", file=sys.stderr)
    return EXIT_OK
