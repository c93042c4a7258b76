"""govreport verify FILE.json: the verifier on a record made elsewhere."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.check_record import check_file
from extract.cli.common import EXIT_ISSUES, EXIT_OK, EXIT_USAGE

NAME = "verify"
SUMMARY = "run the verifier on a record (JSON)"
DESCRIPTION = ("Check a record {meta: {format}, values: {key: value}} (an export line or a gold file; JSONL checks "
               "each line). Exit 0 when no error or warning, 1 when there are issues, 2 when the file is not a record.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE.json")
    p.add_argument("--text", type=Path, help="the report's source text, to check grounding and the narrative")


def run(args: argparse.Namespace) -> int:
    worst = EXIT_OK
    for verdict in check_file(args.file, args.text):
        if isinstance(verdict, str):
            print(f"govreport verify: {verdict}", file=sys.stderr)
            return EXIT_USAGE
        print(f"{verdict.name}: {verdict.status}{': ' + verdict.reason if verdict.reason else ''}")
        for issue in verdict.report.issues:
            print(f"\t{issue.severity}\t{issue.origin}\t{issue.code}\t{issue.message}")
        if verdict.serious:
            worst = EXIT_ISSUES
    return worst
