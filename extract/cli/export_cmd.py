"""govreport export: the stored records as JSONL or CSV."""
from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Optional, TextIO

from extract.cli.common import EXIT_OK, add_db, add_status, open_for_reading
from extract.errors import UsageError
from extract.export import export
from extract.output import atomic_output, guarded_stdout
from extract.parquet import export_parquet
from extract.progress import plural

NAME = "export"
SUMMARY = "write the stored records as JSONL, CSV or Parquet"
DESCRIPTION = ("One object (JSONL) or row (CSV) per input path: path, sha256, status, meta {year, agency, format}, "
               "values under the canonical keys, issues, confidence.")

# The format an output file's name asks for; any other name says nothing.
FORMAT_OF_SUFFIX = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_db(p)
    p.add_argument("--format", choices=("jsonl", "csv", "parquet"),
                   help="default: from -o FILE's extension (.csv: csv; .jsonl, .json, .ndjson: jsonl; .parquet: "
                        "parquet, wide or --long, to a file, with the parquet extra), else csv "
                        "with --long or --labels zh, else jsonl; a format that contradicts the extension, --long "
                        "or --labels zh is refused (exit 2)")
    p.add_argument("--labels", choices=("keys", "zh"), default="keys",
                   help="CSV column names: canonical keys (default) or Chinese labels with units (CSV only: "
                        "refused with JSONL)")
    p.add_argument("--long", action="store_true",
                   help="CSV with one row per document and cell: key, label, value, whether the cell is "
                        "printed, not printed, or not in this template, confidence and where it was printed "
                        "(CSV only: refused with --format jsonl or -o FILE.jsonl)")
    p.add_argument("--dedupe", action="store_true",
                   help="one record per report instead of one per path: of a content under several paths and of "
                        "copies of one report (govreport check), the best (by status, then values), the others' "
                        "paths in `copies`")
    add_status(p, "every status")
    p.add_argument("-o", "--output", type=Path,
                   help="write to this file instead of stdout; it appears only once the export is complete "
                        "(a failed export leaves an existing FILE as it was)")


def chosen_format(format: Optional[str], output: Optional[Path], long: bool, labels: str) -> str:
    """The format asked for: --format, else the output file's extension, else CSV if a form only
    CSV has is asked for (--long, --labels zh), else JSONL. Flags that contradict each other are
    refused rather than one of them silently obeyed."""
    named = FORMAT_OF_SUFFIX.get(output.suffix.lower()) if output else None
    if format and named and format != named:
        raise UsageError(f"--format {format} contradicts -o {output}, a {named.upper()} file name")
    csv_only = [flag for flag, asked in (("--long", long), ("--labels zh", labels == "zh")) if asked]
    chosen = format or named or ("csv" if csv_only else "jsonl")
    if chosen == "jsonl" and csv_only:
        source = "--format jsonl" if format else f"-o {output}"
        raise UsageError(f"{csv_only[0]} is a CSV form, but {source} asks for JSONL")
    if chosen == "parquet" and labels == "zh":
        raise UsageError("--labels zh is a CSV form; Parquet's columns are the canonical keys (see govreport codebook)")
    if chosen == "parquet" and output is None:
        raise UsageError("Parquet is written to a file: pass -o FILE.parquet")
    return chosen


def run(args: argparse.Namespace) -> int:
    chosen = chosen_format(args.format, args.output, args.long, args.labels)
    if chosen == "parquet":
        with open_for_reading(args.db) as store:
            count = export_parquet(store, args.output, args.long, set(args.status) if args.status else None,
                                   args.dedupe)
        print(f"exported {plural(count, 'record')}", file=sys.stderr)
        return EXIT_OK
    output: AbstractContextManager[TextIO] = atomic_output(args.output) if args.output else guarded_stdout()
    with open_for_reading(args.db) as store, output as out:
        count = export(store, out, chosen, args.labels, args.long, set(args.status) if args.status else None,
                       args.dedupe)
    print(f"exported {plural(count, 'record')}", file=sys.stderr)
    return EXIT_OK
