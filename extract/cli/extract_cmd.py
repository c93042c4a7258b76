"""govreport extract PATH...: reports → the store, one record per input (resumable)."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from extract.cli.common import EXIT_OK, EXIT_USAGE, add_db, add_endpoint, endpoint_options, positive_float, positive_int, share
from extract.inputs import path_text
from extract.intake import Outcome
from extract.llm.session import DOCUMENT_DEADLINE_S
from extract.progress import Progress, plural
from extract.run import ExtractOptions, Reporter, extract_paths
from extract.settings import MAX_BYTES_DEFAULT

NAME = "extract"
SUMMARY = "extract reports into the store (resumable)"
DESCRIPTION = ("Read report files (text in UTF-8, GB18030 or UTF-16; HTML pages; PDFs with a text layer; Word "
               "documents), extract every table cell, verify it, and store one record per input with its status. "
               "Documents already in the store (same content hash) are skipped unless --force. Progress goes to "
               "stderr. Exit 0 when the run completed, however many records were flagged; 2 when a path named "
               "nothing or a folder held nothing to read (the others are still processed).")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (walked recursively) or globs")
    add_db(p)
    p.add_argument("--force", action="store_true", help="re-extract documents already in the store")
    p.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1,
                   help="processes that read, parse and verify (default: the machine's cores); the store has "
                        "one writer; with the LLM on, parsing stays in one process and --jobs sets the LLM calls")
    p.add_argument("--audit-rate", type=share, default=0.0, metavar="R",
                   help="sample this share (0 to 1) of the verified and source_inconsistent records for a person to "
                        "confirm (chosen by their content's hash: the same documents on every run; default 0); "
                        "see govreport audit")
    p.add_argument("--agencies", type=Path, metavar="FILE",
                   help="CSV of `printed name,key` rows for the check across years after the run (see govreport check)")
    p.add_argument("--max-mb", type=positive_float, default=MAX_BYTES_DEFAULT / 2 ** 20,
                   help=f"reject text and HTML files larger than this (default {MAX_BYTES_DEFAULT / 2 ** 20:g} MB); "
                        "PDF and Word files may be 10 times larger")
    llm = p.add_argument_group(
        "LLM (optional; any OpenAI-compatible server)",
        "The LLM reads the tables too; the verifier checks it, re-asks once, and the deterministic parsers "
        "decide cell by cell. With no model configured the parsers alone do the job.")
    add_endpoint(llm)
    llm.add_argument("--jobs", type=positive_int, default=1, help="concurrent LLM calls (default 1)")
    llm.add_argument("--timeout", type=positive_float, help="seconds per LLM call (default 180)")
    llm.add_argument("--deadline", type=positive_float, default=DOCUMENT_DEADLINE_S,
                     help=f"seconds of LLM time per document, retries included (default {DOCUMENT_DEADLINE_S:.0f})")
    llm.add_argument("--no-llm", action="store_true", help="parsers only, even if an endpoint is configured")
    llm.add_argument("--cached-only", action="store_true",
                     help="take the LLM's answers from the answer cache only (what `govreport batch collect` stored) "
                          "and make no call: needs --model, --llm-mode (and --extra-body) as the batch was prepared, no server; a "
                          "document without an answer there is noted llm_unavailable")


class _Shown(Reporter):
    """The run on stderr: the LLM line, a progress bar, notices above it."""

    def __init__(self) -> None:
        self.progress = Progress(0)

    def begin(self, total: int, llm: str) -> None:
        print(llm, file=sys.stderr)
        self.progress = Progress(total)

    def step(self, outcome: Outcome) -> None:
        self.progress.step(os.path.basename(outcome.path))

    def say(self, message: str) -> None:
        self.progress.say(message)


def run(args: argparse.Namespace) -> int:
    # What is loaded by now (the package, its patterns) lives as long as this process: frozen, the
    # garbage collector never walks it again, and forked workers share its pages untouched.
    gc.freeze()
    summary = extract_paths(ExtractOptions(
        paths=args.paths, db=args.db, force=args.force, workers=args.workers, max_bytes=int(args.max_mb * 1024 * 1024),
        no_llm=args.no_llm, llm=endpoint_options(args), jobs=args.jobs, timeout=args.timeout, deadline=args.deadline,
        audit_rate=args.audit_rate, cached_only=args.cached_only, agencies=args.agencies, argv=sys.argv),
        _Shown())
    elapsed, done = summary.seconds, summary.done
    print(f"{summary.inputs} files in {elapsed:.1f}s: " + ", ".join(f"{k} {v}" for k, v in summary.counts.items() if v)
          + (f" ({done / elapsed:.0f} docs/s)" if done and elapsed > 0 else ""), file=sys.stderr)
    if summary.llm is not None:
        totals = summary.llm
        print(f"LLM: {plural(totals['calls'], 'call')} ({plural(totals['requests'], 'request')} with retries, "
              f"{totals['failed_calls']} failed), {totals['cache_hits']} cache hits, {totals['prompt_tokens']} prompt "
              f"+ {totals['completion_tokens']} completion tokens", file=sys.stderr)
        if totals["llm_unavailable"]:
            print(f"LLM: {plural(totals['llm_unavailable'], 'document')} could not be asked (llm_unavailable): "
                  "their records are the parsers' reading; the next run asks again", file=sys.stderr)
    print(f"store {args.db}: " + ", ".join(f"{k} {v}" for k, v in summary.in_store.items()), file=sys.stderr)
    if summary.year_breaks:
        print(f"across years: {plural(summary.year_breaks, 'break')} between consecutive reports of one agency "
              f"(`govreport check --db {args.db}` lists them; they are noted on both records)", file=sys.stderr)
    if summary.counts["failed"] or summary.in_store["needs_review"]:
        print(f"see `govreport review --db {args.db}` for what needs a human", file=sys.stderr)
    for arg in summary.missing:
        print(f"govreport extract: no such file or folder: {path_text(arg)}", file=sys.stderr)
    for arg in summary.empty:
        print(f"govreport extract: nothing to read in folder: {path_text(arg)}", file=sys.stderr)
    return EXIT_USAGE if summary.missing or summary.empty else EXIT_OK
