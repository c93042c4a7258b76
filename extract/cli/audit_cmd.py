"""govreport audit: how far the trusted statuses can be trusted, from the sampled records people decided."""
from __future__ import annotations

import argparse

from extract.audit import report
from extract.cli.common import EXIT_OK, add_db, open_for_reading

NAME = "audit"
SUMMARY = "the precision of verified (and source_inconsistent) from the records sampled for audit"
DESCRIPTION = ("For the records `extract --audit-rate R` sampled (by their content's hash: the same on every run), "
               "how many a person confirmed (accepted their values) or corrected with `govreport correct`, and the "
               "precision of each trusted status with its Wilson 95 %% interval.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_db(p)


def run(args: argparse.Namespace) -> int:
    with open_for_reading(args.db) as store:
        tallies = report(store)
    for t in tallies:
        line = f"{t.status}: {t.sampled} sampled, {t.decided} decided ({t.confirmed} confirmed, {t.corrected} corrected), {t.open} open"
        if t.precision is not None and t.interval is not None:
            low, high = t.interval
            line += f"; precision {t.precision:.3f}, Wilson 95 % interval [{low:.3f}, {high:.3f}]"
        else:
            line += "; no precision yet (no sampled record decided)"
        print(line)
    return EXIT_OK
