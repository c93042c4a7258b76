"""govreport batch prepare|submit|status|collect: LLM work through a provider's batch engine (`extract.batch`)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from extract.batch.collect import collect_files
from extract.batch.files import MAX_BYTES, MAX_LINES
from extract.batch.prepare import PrepareOptions, prepare_batch
from extract.batch.remote import Provider, batch_endpoint, collect_remote, refresh, submit
from extract.cli.common import EXIT_OK, EXIT_USAGE, add_db, add_endpoint, endpoint_options, open_for_changing, positive_float, positive_int
from extract.inputs import path_text
from extract.progress import Progress, plural
from extract.settings import MAX_BYTES_DEFAULT

NAME = "batch"
SUMMARY = "send the LLM's requests through a provider's batch engine (prepare, submit, status, collect)"
DESCRIPTION = ("Half-price, offline LLM work for many reports. `prepare` writes every request `extract` would send "
               "(same settings, same bytes) to JSONL batch files in OpenAI's batch format, which DashScope and "
               "`vllm run-batch` read too; `submit` sends them to the provider, `status` follows them, `collect` stores "
               "the answers (of finished batches, or of output files given with --file) in the answer cache. "
               "`extract` with the same settings then makes no call for them. Run prepare again after a "
               "collect for the second round (the re-asks), then collect and extract.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    prepare = actions.add_parser("prepare", help="write the LLM requests for these reports to batch files",
                                 description="Read each report with the parsers and write every LLM request the "
                                 "online path would send (answers already cached, and requests already written "
                                 "and not answered, are not written again) to OUT/batch-NNNN.jsonl. Prints the "
                                 "requests, characters, an estimate of tokens and, with prices, of cost.")
    prepare.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (walked recursively) or globs")
    prepare.add_argument("--out", type=Path, required=True, help="folder for the batch files")
    add_db(prepare)
    prepare.add_argument("--force", action="store_true", help="also documents already extracted into the store")
    prepare.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1,
                         help="processes that read the reports (default: the machine's cores)")
    prepare.add_argument("--max-mb", type=positive_float, default=MAX_BYTES_DEFAULT / 2 ** 20,
                         help="reject text and HTML files larger than this, as extract does "
                              f"(default {MAX_BYTES_DEFAULT / 2 ** 20:g} MB)")
    prepare.add_argument("--max-lines", type=positive_int, default=MAX_LINES,
                         help=f"requests per batch file (default {MAX_LINES}, OpenAI's limit)")
    prepare.add_argument("--max-file-mb", type=positive_float, default=MAX_BYTES / 2 ** 20,
                         help=f"size of a batch file (default {MAX_BYTES / 2 ** 20:g} MB, OpenAI's limit)")
    prepare.add_argument("--price-in", type=positive_float, metavar="P", help="price per million prompt tokens")
    prepare.add_argument("--price-out", type=positive_float, metavar="P", help="price per million completion tokens")
    add_endpoint(prepare.add_argument_group("LLM (as extract will be told: the cache key holds model, mode and extra body)"))
    prepare.set_defaults(action_run=_prepare)

    submit = actions.add_parser("submit", help="upload the prepared files and create their batches",
                                description="Upload each prepared file of DIR (batch-NNNN.jsonl) and create its "
                                "batch (endpoint /v1/chat/completions, completion window 24h) through the openai "
                                "SDK; the ids are kept in the store. Files submitted before are not sent again.")
    submit.add_argument("folder", type=Path, metavar="DIR", help="the folder `prepare` wrote")
    add_db(submit)
    _add_provider(submit)
    submit.set_defaults(action_run=_submit)

    status = actions.add_parser("status", help="each batch's state and counts at the provider")
    add_db(status)
    _add_provider(status)
    status.set_defaults(action_run=_status)

    collect = actions.add_parser("collect", help="store the answers of finished batches in the answer cache",
                                 description="Download the output and error files of every finished batch (beside "
                                 "its prepared file), or read the files given with --file (what `vllm run-batch -o` "
                                 "writes), and store each answer as `extract` would have, under its request's cache "
                                 "key. Failed lines, and the requests of an expired, cancelled or failed batch, are "
                                 "written again by the next prepare. A line collected twice is stored once.")
    collect.add_argument("--file", type=Path, action="append", dest="files",
                         help="an output or error file to read instead of asking the provider (repeatable)")
    add_db(collect)
    _add_provider(collect)
    collect.set_defaults(action_run=_collect)


def _add_provider(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group("provider (OpenAI, DashScope's compatible mode, any server with /v1/files and "
                                 "/v1/batches)")
    group.add_argument("--base-url", help="API URL, e.g. https://dashscope.aliyuncs.com/compatible-mode/v1 "
                       "(env OPENAI_BASE_URL; default OpenAI's)")
    group.add_argument("--api-key", help="API key (env OPENAI_API_KEY); never stored")


def run(args: argparse.Namespace) -> int:
    return int(args.action_run(args))


def _prepare(args: argparse.Namespace) -> int:
    progress = Progress(0)

    def begin(total: int) -> None:
        nonlocal progress
        progress = Progress(total)
    tally = prepare_batch(PrepareOptions(
        paths=args.paths, out=args.out, db=args.db, force=args.force, workers=min(args.workers, os.cpu_count() or 1),
        max_bytes=int(args.max_mb * 2 ** 20),
        llm=endpoint_options(args), max_lines=args.max_lines, max_file_bytes=int(args.max_file_mb * 2 ** 20)),
        begin=begin, step=lambda path: progress.step(Path(path).name))
    assert tally.endpoint is not None
    print(f"batch for {tally.endpoint.describe()}: {plural(tally.requests, 'request')} written"
          f" ({tally.characters} characters, about {tally.est_prompt_tokens} prompt tokens, at most "
          f"{tally.max_completion_tokens} completion tokens) from {plural(tally.inputs, 'file')}"
          + (f"; {tally.in_flight} written before and not answered yet" if tally.in_flight else ""), file=sys.stderr)
    if args.price_in is not None or args.price_out is not None:
        cost_in = tally.est_prompt_tokens * (args.price_in or 0) / 1e6
        cost_out = tally.max_completion_tokens * (args.price_out or 0) / 1e6
        print(f"cost: about {cost_in:.2f} for the prompts, at most {cost_out:.2f} for the answers "
              "(at the prices given; batch prices are the providers' own)", file=sys.stderr)
    for path in tally.files:
        print(path)
    if not tally.requests:
        print("nothing to send: every request is answered or in flight", file=sys.stderr)
    for arg in tally.missing:
        print(f"govreport batch: no such file or folder: {path_text(arg)}", file=sys.stderr)
    for arg in tally.empty:
        print(f"govreport batch: nothing to read in folder: {path_text(arg)}", file=sys.stderr)
    return EXIT_USAGE if tally.missing or tally.empty else EXIT_OK


def _provider(args: argparse.Namespace) -> Provider:
    return Provider(batch_endpoint(args.base_url, args.api_key))


def _submit(args: argparse.Namespace) -> int:
    with open_for_changing(args.db) as store:
        submitted = submit(args.folder, store, _provider(args))
    for where, batch in submitted:
        print(f"{Path(where).name}\t{batch.get('batch_id')}\t{batch.get('state')}")
    if not submitted:
        print(f"govreport batch: no prepared files (batch-NNNN.jsonl) in {args.folder}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    with open_for_changing(args.db) as store:
        batches = refresh(store, _provider(args))
        counts = store.batch_counts()
    for where, known, _ in batches:
        c = known.get("counts") or {}
        print(f"{Path(where).name}\t{known.get('batch_id')}\t{known.get('state')}\t"
              f"{c.get('completed', 0)}/{c.get('total', 0)} done, {c.get('failed', 0)} failed")
    print("requests: " + ", ".join(f"{state} {n}" for state, n in sorted(counts.items())) if counts else
          "requests: none prepared", file=sys.stderr)
    return EXIT_OK


def _collect(args: argparse.Namespace) -> int:
    running: list[str] = []
    with open_for_changing(args.db) as store:
        if args.files:
            done = collect_files(args.files, store)
        else:
            done, running = collect_remote(store, _provider(args))
        left = store.batch_counts().get("prepared", 0)
    print(f"{plural(done.lines, 'line')}: {done.answered} answered, {done.failed} failed, {done.again} collected "
          f"before, {done.unknown} not written by this store's prepare; {left} requests still in flight",
          file=sys.stderr)
    for reason, count in sorted(done.reasons.items(), key=lambda item: -item[1])[:5]:
        print(f"  {count} × {reason}", file=sys.stderr)
    if done.usage:
        print("tokens: " + ", ".join(f"{k} {v}" for k, v in done.usage.items()), file=sys.stderr)
    for line in running:
        print(f"still running: {line}", file=sys.stderr)
    return EXIT_OK
