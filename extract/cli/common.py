"""What the commands share: the exit codes, the options more than one takes (declared once),
argument types that refuse nonsense, and opening the store for reading."""
from __future__ import annotations

import argparse
from pathlib import Path

from extract.errors import StoreError, UsageError
from extract.llm.endpoint import MODES, EndpointOptions
from extract.policy import STATUSES
from extract.store import DEFAULT_PATH, Store

# Exit codes scripts can rely on.
EXIT_OK = 0         # the command did its job (an extract run completed, however many records were flagged)
EXIT_ISSUES = 1     # `verify` found issues, `check` found a break between years
EXIT_USAGE = 2      # bad usage: a wrong option, a path that names nothing, no store to read
EXIT_FAILED = 3     # the command could not complete: the store is unusable, a worker died, an internal error
EXIT_INTERRUPTED = 130     # Ctrl-C (128 + SIGINT), as a shell says it
EXIT_TERMINATED = 143      # SIGTERM (128 + 15)
EXIT_CODES = ("exit codes: 0 done (records may be flagged), 1 verify found issues or check a break, 2 bad usage "
              "(a wrong option, a path that names nothing, no store to read), 3 could not complete (the store "
              "unusable, a worker process died, an internal error), 130 interrupted, 143 terminated (re-run the "
              "same command to resume)")


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=Path(DEFAULT_PATH), help=f"SQLite store (default {DEFAULT_PATH})")


def add_endpoint(group: "argparse._ArgumentGroup") -> None:
    """Where the LLM is and how it is asked: the options `extract` and `batch` share (the cache key
    holds the model, the mode and the extra body, so both must be told the same)."""
    group.add_argument("--base-url", help="server URL, e.g. http://127.0.0.1:8765/v1 (env OPENAI_BASE_URL)")
    group.add_argument("--model", help="model name (env GOVREPORT_MODEL); the LLM is off without one")
    group.add_argument("--api-key", help="API key (env OPENAI_API_KEY); local servers need none")
    group.add_argument("--llm-mode", choices=MODES, help="tools (OpenAI-style servers, default) or json "
                       "(schema in response_format: llama.cpp) (env GOVREPORT_LLM_MODE)")
    group.add_argument("--max-tokens", type=positive_int, help="completion token limit per call (default 3000)")
    group.add_argument("--extra-body", metavar="JSON", help="fields added to every request's body, as the provider "
                       "documents them, e.g. '{\"enable_thinking\": false}' for Qwen3 on DashScope (env "
                       "GOVREPORT_EXTRA_BODY; part of the cache key)")


def endpoint_options(args: argparse.Namespace) -> EndpointOptions:
    """What add_endpoint's options were given."""
    return EndpointOptions(base_url=args.base_url, model=args.model, api_key=args.api_key, mode=args.llm_mode,
                           extra_body=args.extra_body, max_tokens=args.max_tokens)


def add_status(parser: argparse.ArgumentParser, default: str, extra: tuple[str, ...] = ()) -> None:
    parser.add_argument("--status", action="append", choices=STATUSES + extra,
                        help=f"only these statuses (repeatable; default: {default})")


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text}")
    return value


def open_for_changing(db: Path) -> Store:
    """An existing store, to change (a command that changes records never creates a store: a
    mistyped --db is said, not made)."""
    if not db.is_file():
        raise UsageError(f"no store at {db} (run `govreport extract` first, or pass --db)")
    return Store(db)


def open_for_reading(db: Path) -> Store:
    """The store, read-only (a reading command never creates or changes one)."""
    try:
        return Store(db, readonly=True)
    except StoreError as exc:
        raise UsageError(str(exc)) from exc
