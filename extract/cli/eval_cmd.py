"""govreport eval GOLD_DIR: the stored records scored against gold files."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from extract.cli.common import EXIT_OK, add_db, open_for_reading
from extract.evaluate import evaluate, format_report, load_gold

NAME = "eval"
SUMMARY = "score the stored records against gold files"
DESCRIPTION = ("Compare the records in the store with gold files (GOLD_DIR/*.json, the export's meta/values shape; "
               "matched by sha256 if the gold has one, else by file stem). Prints cell accuracy, wrong values (a "
               "value differing from the gold, or any value where the gold is null) apart from missing cells, the "
               "precision of verified and source_inconsistent records, the share of imperfect records flagged, and "
               "the worst cells. Exit 0 when scored, 2 when the store or the gold cannot be read.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("gold_dir", type=Path, metavar="GOLD_DIR")
    add_db(p)
    p.add_argument("--json", action="store_true", help="one JSON object instead of the text report")


def run(args: argparse.Namespace) -> int:
    gold = load_gold(args.gold_dir)
    with open_for_reading(args.db) as store:
        result = evaluate(gold, store.iter_results())
    print(json.dumps(result, ensure_ascii=False) if args.json else format_report(result))
    return EXIT_OK
