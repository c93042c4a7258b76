"""govreport codebook: every cell key with its label, table, row, column, unit and versions, as CSV."""
from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TextIO

from extract.cli.common import EXIT_OK
from extract.codebook import write_codebook
from extract.output import atomic_output, guarded_stdout

NAME = "codebook"
SUMMARY = "the dataset's codebook: each cell key with its Chinese label, table, row, column, unit, versions (CSV)"
DESCRIPTION = ("Write the codebook of the export's columns as CSV (UTF-8 with a BOM): key, Chinese label, table, "
               "row, column, unit (万元 for amounts, empty for counts) and the template versions that have the key.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", type=Path, help="write to this file (whole, or not at all); default stdout")


def run(args: argparse.Namespace) -> int:
    output: AbstractContextManager[TextIO] = atomic_output(args.output) if args.output else guarded_stdout()
    with output as out:
        count = write_codebook(out)
    print(f"{count} keys", file=sys.stderr)
    return EXIT_OK
