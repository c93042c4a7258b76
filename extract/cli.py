"""The command line: thin commands over the library. `govreport COMMAND --help` for each."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from extract import fields
from extract.errors import GovReportError
from extract.export import export_records, write_csv, write_jsonl
from extract.inputs import expand_inputs
from extract.pipeline import FAILED, Settings, process_file
from extract.progress import Progress
from extract.store import DEFAULT_PATH, STATUSES, Store

EXIT_OK, EXIT_ISSUES, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govreport",
        description="Extract every table cell of 政府信息公开工作年度报告 into a verified dataset.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="extract reports into the store (resumable)",
                       description="Read report files (text, UTF-8 or GB18030), extract every table cell, "
                                   "verify it, and store one record per document with its status. Documents "
                                   "already in the store (same content hash) are skipped unless --force. "
                                   "Progress goes to stderr; exit 0 when the run completed, even if records "
                                   "were flagged.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (walked recursively) or globs")
    _add_db(p)
    p.add_argument("--force", action="store_true", help="re-extract documents already in the store")
    p.add_argument("--max-mb", type=float, default=2.0, help="reject files larger than this (default 2 MB)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("export", help="write the stored records as JSONL or CSV to stdout",
                       description="One object (JSONL) or row (CSV) per document: path, sha256, status, "
                                   "meta {year, agency, format}, values under the canonical keys of "
                                   "fields.json, issues.")
    _add_db(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--status", action="append", choices=STATUSES, help="only these statuses (repeatable)")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("review", help="list the documents a human must check, with reasons",
                       description="Every document whose status is not verified, with its reason and issues.")
    _add_db(p)
    p.add_argument("--all-issues", action="store_true", help="print every issue, not only the reason")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("verify", help="run the verifier on a record (JSON)",
                       description="Check a record {meta: {format}, values: {key: value}} (an export line or "
                                   "a gold file; JSONL checks each line). Exit 0 when no error or warning, 1 "
                                   "when there are issues, 2 when the file is not a record.")
    p.add_argument("file", type=Path, metavar="FILE.json")
    p.add_argument("--text", type=Path, help="the report's source text, to check grounding and the narrative")
    p.set_defaults(func=cmd_verify)
    return parser


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=Path(DEFAULT_PATH), help=f"SQLite store (default {DEFAULT_PATH})")


def cmd_extract(args: argparse.Namespace) -> int:
    settings = Settings(max_bytes=int(args.max_mb * 1024 * 1024), force=args.force)
    inputs = expand_inputs(args.paths)
    print("LLM: off (no endpoint configured); using the deterministic parsers only.", file=sys.stderr)
    started = time.monotonic()
    counts = dict.fromkeys(STATUSES + ("skipped",), 0)
    with Store(args.db) as store:
        run_id = store.begin_run(sys.argv, {"max_bytes": settings.max_bytes, "force": settings.force})
        progress = Progress(len(inputs))
        for path in inputs:
            outcome = process_file(path, store, run_id, settings)
            counts[outcome.status] += 1
            progress.step(path.name)
        elapsed = time.monotonic() - started
        store.finish_run(run_id, {**counts, "seconds": round(elapsed, 3)})
        in_store = store.count_by_status()
    done = len(inputs) - counts["skipped"]
    print(f"{len(inputs)} files in {elapsed:.1f}s: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v)
          + (f" ({done / elapsed:.0f} docs/s)" if done and elapsed > 0 else ""), file=sys.stderr)
    print("store " + str(args.db) + ": " + ", ".join(f"{k} {v}" for k, v in in_store.items()), file=sys.stderr)
    if counts[FAILED] or in_store["needs_review"]:
        print(f"see `govreport review --db {args.db}` for what needs a human", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        statuses = set(args.status) if args.status else None
        errors = store.iter_file_errors() if statuses is None or FAILED in statuses else iter(())
        records = export_records(store.iter_results(statuses), errors)
        out = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
        try:
            count = (write_csv if args.format == "csv" else write_jsonl)(records, out)
        finally:
            if args.output:
                out.close()
    print(f"exported {count} records", file=sys.stderr)
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    flagged = {"source_inconsistent", "needs_review", "failed"}
    count = 0
    with Store(args.db) as store:
        for row in store.iter_results(flagged):
            count += 1
            print(f"{row['status']}\t{row['path']}\t{row['reason'] or ''}")
            if args.all_issues:
                for issue in row["issues"]:
                    print(f"\t{issue['severity']}\t{issue['code']}\t{issue['message']}")
        for row in store.iter_file_errors():
            count += 1
            print(f"failed\t{row['path']}\t{row['error']}")
    print(f"{count} documents to check", file=sys.stderr)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from verify import verify_values  # the verifier only; no LLM stack

    try:
        raw = args.file.read_text(encoding="utf-8")
        records = [json.loads(line) for line in raw.splitlines() if line.strip()] if args.file.suffix == ".jsonl" \
            else [json.loads(raw)]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"govreport verify: cannot read {args.file}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text = None
    if args.text:
        from extract.text import decode_bytes, normalize
        text = normalize(decode_bytes(args.text.read_bytes()).text)
    worst = EXIT_OK
    for record in records:
        fmt = str((record.get("meta") or {}).get("format") or "")
        values = record.get("values")
        if fmt not in fields.FORMATS or not isinstance(values, dict):
            print(f"govreport verify: not a record (needs meta.format 2019|2021 and values)", file=sys.stderr)
            return EXIT_USAGE
        report = verify_values(fmt, values, text)
        name = record.get("path") or str(args.file)
        serious = [i for i in report.issues if i.severity in ("error", "warning")]
        print(f"{name}: {'ok' if not serious else f'{len(serious)} issues'}")
        for issue in report.issues:
            print(f"\t{issue.severity}\t{issue.origin}\t{issue.code}\t{issue.message}")
        if serious:
            worst = EXIT_ISSUES
    return worst


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except GovReportError as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return EXIT_ISSUES
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("\ninterrupted; re-run the same command to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
