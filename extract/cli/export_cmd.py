"""govreport export: the stored records as JSONL or CSV."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.cli.common import EXIT_OK, EXIT_USAGE, add_db, add_status, open_for_reading
from extract.export import export
from extract.progress import plural

NAME = "export"
SUMMARY = "write the stored records as JSONL or CSV to stdout"
DESCRIPTION = ("One object (JSONL) or row (CSV) per input path: path, sha256, status, meta {year, agency, format}, "
               "values under the canonical keys, issues, confidence.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_db(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--labels", choices=("keys", "zh"), default="keys",
                   help="CSV column names: canonical keys (default) or Chinese labels with units")
    p.add_argument("--long", action="store_true",
                   help="CSV with one row per document and cell: key, label, value, whether the cell is "
                        "printed, not printed, or not in this template, confidence and where it was printed")
    add_status(p, "every status")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")


def run(args: argparse.Namespace) -> int:
    with open_for_reading(args.db) as store:
        try:
            out = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
        except OSError as exc:
            print(f"govreport export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
        try:
            count = export(store, out, args.format, args.labels, args.long, set(args.status) if args.status else None)
        finally:
            if args.output:
                out.close()
    print(f"exported {plural(count, 'record')}", file=sys.stderr)
    return EXIT_OK
