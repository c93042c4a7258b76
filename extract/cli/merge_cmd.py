"""govreport merge SOURCE... --into STORE: stores of separate runs combined into one."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.agency import read_aliases
from extract.cli.common import EXIT_OK
from extract.merge import merge_stores

NAME = "merge"
SUMMARY = "combine stores made by separate runs (other machines, halves of a corpus) into one"
DESCRIPTION = ("Merge each SOURCE store into STORE (created if needed): documents, input paths, runs, attempts "
               "(and so the answer cache), records with their issues (per document the newer), people's "
               "corrections, batch work. Content hashes make it idempotent: merging a store twice, or into itself, "
               "changes nothing. Sources are only read (one written by an older govreport is migrated in a "
               "temporary copy). The check across years runs again over the result.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help="stores to merge in")
    p.add_argument("--into", type=Path, required=True, metavar="STORE", help="the store that receives them")
    p.add_argument("--agencies", type=Path, metavar="FILE", help="agency aliases for the check across years")


def run(args: argparse.Namespace) -> int:
    merged = merge_stores(args.sources, args.into, read_aliases(args.agencies) if args.agencies else None)
    added = ", ".join(f"{table} {n}" for table, n in merged.added.items() if n) or "nothing new"
    print(f"merged {len(args.sources)} store(s) into {args.into}: {added}", file=sys.stderr)
    return EXIT_OK
