"""govreport forget PATH...: input paths' records removed from the store."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.across import check_store
from extract.cli.common import EXIT_OK, EXIT_USAGE, add_db, open_for_changing
from extract.inputs import canonical, path_text
from extract.progress import plural

NAME = "forget"
SUMMARY = "remove input paths' records from the store (a mistyped path, a file that should not be there)"
DESCRIPTION = ("Remove the records of these input paths from the store, as `extract` recorded them (absolute, links "
               "resolved; a name that is not UTF-8 as the store shows it), with every document that no other path "
               "names: its text, attempts and result. Exit 0 when each path was in the store, 2 when one was not "
               "(the others are still removed).")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="input paths, as given to extract or as the store shows them")
    add_db(p)


def run(args: argparse.Namespace) -> int:
    # Each path as extract recorded it, and as written (a stored name with \xNN escapes).
    asked = {arg: [path_text(canonical(Path(arg))), arg] for arg in args.paths}
    with open_for_changing(args.db) as store:
        forgotten, documents = store.forget(p for spellings in asked.values() for p in spellings)
        check_store(store)   # what the forgotten reports said of the others (a copy's fills) goes with them
    missing = [arg for arg, spellings in asked.items() if not set(spellings) & set(forgotten)]
    print(f"forgot {plural(len(forgotten), 'path')} and {plural(documents, 'document')} no other path names",
          file=sys.stderr)
    for arg in missing:
        print(f"govreport forget: not in the store: {path_text(arg)}", file=sys.stderr)
    return EXIT_USAGE if missing else EXIT_OK
