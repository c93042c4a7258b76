"""govreport codes: what each issue code means and what a reviewer should do about it."""
from __future__ import annotations

import argparse

from extract.cli.common import EXIT_OK
from extract.codes import lookup, markdown_table, render_text

NAME = "codes"
SUMMARY = "explain the issue codes (all, or the ones named)"
DESCRIPTION = ("Every issue code a record can carry (or the CODEs named, in any case): its severity, whether the "
               "doubt is our reading's or the source's own (origin), whether it withholds verified, what it means "
               "and what to do. Exit 0, or 2 for a code that does not exist.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", nargs="*", metavar="CODE", help="issue codes to explain (default: all)")
    p.add_argument("--markdown", action="store_true", help="as a markdown table (the README's 'Issue codes' section)")


def run(args: argparse.Namespace) -> int:
    entries = lookup(args.code)
    print(markdown_table(entries) if args.markdown else render_text(entries))
    return EXIT_OK
