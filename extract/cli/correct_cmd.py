"""govreport correct FILE: a reviewer's decisions applied, kept over every re-run."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from extract import corrections
from extract.across import check_store
from extract.cli.common import EXIT_OK, EXIT_USAGE, add_db, open_for_changing
from extract.correct import apply_file
from extract.progress import plural

NAME = "correct"
SUMMARY = "apply a reviewer's corrections (JSONL from the review pages, or the CSV of review --cells)"
DESCRIPTION = ("Apply a file of corrections: JSONL, a line {\"sha256\", \"key\", \"value\", \"was\", \"note\"} per cell (as "
               "the review pages save it; accepting the machine's value is value == was), or the CSV written by "
               "`govreport review --cells` with its `corrected` column filled in. The corrections are kept (who, "
               "when, why, the value they replaced) and win over every automatic reading, also after "
               "`extract --force`; a correction made against a value a later extraction no longer reads is stale "
               "and sends the record back to review. Every line is checked first: a problem in any line is said on "
               "one line naming the file and line, and nothing of the file is applied (exit 2).")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE")
    add_db(p)
    p.add_argument("--by", help="who decided (default: the user running the command)")


def run(args: argparse.Namespace) -> int:
    with open_for_changing(args.db) as store:
        found, problems = apply_file(args.file, store, args.by)
        if problems:
            for problem in problems:
                print(f"govreport correct: {problem}", file=sys.stderr)
            print(f"govreport correct: nothing of {args.file} applied", file=sys.stderr)
            return EXIT_USAGE
        touched = {c.sha256 for c in found}
        check_store(store)   # what copies fill, and the chains, follow the corrected values
        now = list(corrections.records(store, shas=touched))
    statuses = Counter(r["status"] for r in now)
    stale = sum(len(r.get("stale") or ()) for r in now)
    print(f"kept {plural(len(found), 'correction')} of {plural(len(touched), 'document')}: "
          + ", ".join(f"{status} {count}" for status, count in sorted(statuses.items()))
          + (f"; {plural(stale, 'stale correction')} (see govreport review)" if stale else ""), file=sys.stderr)
    return EXIT_OK
