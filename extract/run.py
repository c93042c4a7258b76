"""A run of `govreport extract`, as a library call: the inputs expanded, the LLM configured or
not, every document through the stages (`extract.schedule`), the run and its totals recorded.

    summary = extract_paths(ExtractOptions(paths=["reports/"], db=Path("govreport.db")), Reporter())

The caller says what to show: a Reporter hears the run's size, each Outcome and each notice.
"""
from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional, Sequence

from extract import corrections
from extract.agency import read_aliases
from extract.audit import mark_audit_sample
from extract.across import check_store
from extract.errors import StoreError
from extract.inputs import expand_inputs
from extract.intake import SKIPPED, Outcome
from extract.llm.endpoint import EndpointOptions
from extract.llm.session import DOCUMENT_DEADLINE_S, LLMSession
from extract.policy import MACHINE_STATUSES
from extract.redact import redact_argv
from extract.schedule import Workers, run_documents
from extract.settings import MAX_BYTES_DEFAULT, Settings
from extract.store import DEFAULT_PATH, Store


@dataclass
class ExtractOptions:
    """What a run is told (the command's options)."""

    paths: Sequence[str]
    db: Path = Path(DEFAULT_PATH)
    force: bool = False
    workers: int = 1
    max_bytes: int = MAX_BYTES_DEFAULT
    no_llm: bool = False
    llm: EndpointOptions = EndpointOptions()
    jobs: int = 1
    timeout: Optional[float] = None
    deadline: float = DOCUMENT_DEADLINE_S
    audit_rate: float = 0.0     # the share of trusted records sampled for a person
    cached_only: bool = False   # the LLM's answers from the answer cache only (what `batch collect` stored)
    agencies: Optional[Path] = None   # printed agency name → key, for the check across years after the run
    argv: Sequence[str] = ()    # the command line, recorded with the run (credentials masked)


class Reporter:
    """What a run tells its caller; the default tells nothing."""

    def begin(self, total: int, llm: str) -> None:
        """The number of inputs, and one line saying whether and how the LLM is used."""

    def step(self, outcome: Outcome) -> None:
        """One input done."""

    def say(self, message: str) -> None:
        """A notice (an endpoint failure, said once)."""


@dataclass
class RunSummary:
    inputs: int
    seconds: float
    counts: dict[str, int]                  # this run's outcomes: each status and 'skipped'
    in_store: dict[str, int]                # the store's records by status, after the run
    llm: Optional[dict[str, int]] = None    # calls, cache hits, tokens, documents not asked (LLM on)
    missing: list[str] = field(default_factory=list)  # arguments that named nothing
    empty: list[str] = field(default_factory=list)    # folders given that held nothing to read
    year_breaks: int = 0                    # breaks between consecutive years of an agency (the store's)

    @property
    def done(self) -> int:
        return self.inputs - self.counts[SKIPPED]


def extract_paths(options: ExtractOptions, reporter: Reporter = Reporter()) -> RunSummary:
    """Every input named by `options.paths` → one stored record each (failures included)."""
    settings = Settings(max_bytes=options.max_bytes, force=options.force)
    aliases = read_aliases(options.agencies) if options.agencies else None   # said before the run if bad
    given = expand_inputs(options.paths)
    inputs = given.paths
    if options.no_llm:
        endpoint, why = None, "LLM: off (--no-llm); using the deterministic parsers only."
    else:
        endpoint, why = options.llm.resolve(server_needed=not options.cached_only, timeout_s=options.timeout)
        if endpoint is not None and options.cached_only:
            why = (f"LLM: answers of {endpoint.model} ({endpoint.mode} mode) from the answer cache only "
                   "(--cached-only); no call is made")
    reporter.begin(len(inputs), why)
    cores = os.cpu_count() or 1
    workers = min(options.workers, cores)
    if workers < options.workers and endpoint is None:
        reporter.say(f"--workers {options.workers} is more than this machine's {cores} cores: {workers} workers")
    llm = None if endpoint is None else LLMSession.cache_only(endpoint) if options.cached_only else \
        LLMSession(endpoint, deadline_s=options.deadline)
    started = time.monotonic()
    counts = dict.fromkeys(MACHINE_STATUSES + (SKIPPED,), 0)
    totals = {"calls": 0, "requests": 0, "failed_calls": 0, "cache_hits": 0, "prompt_tokens": 0,
              "completion_tokens": 0, "llm_unavailable": 0}
    with Workers(workers if llm is None else 1, len(inputs)) as workers, Store(options.db) as store:
        run_id = store.begin_run(redact_argv(options.argv), {"max_bytes": settings.max_bytes, "force": settings.force,
                                                             "llm": None if endpoint is None else endpoint.describe()
                                                             + (" (cached answers only)" if options.cached_only else "")})
        settings = replace(settings, owner=f"{socket.gethostname()}:{os.getpid()}:{run_id}")
        try:
            for outcome in run_documents(inputs, store, run_id, settings, llm, max(options.jobs, 1), workers):
                counts[outcome.status] += 1
                totals["calls"] += outcome.llm_calls
                totals["requests"] += outcome.llm_requests
                totals["failed_calls"] += outcome.llm_failed
                totals["cache_hits"] += outcome.cache_hits
                for name in ("prompt_tokens", "completion_tokens"):
                    totals[name] += outcome.tokens.get(name, 0)
                totals["llm_unavailable"] += outcome.llm_unavailable
                for notice in llm.notices() if llm else ():
                    reporter.say(notice)
                reporter.step(outcome)
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
        if options.audit_rate:
            mark_audit_sample(store, options.audit_rate)
        checked = check_store(store, aliases)
        in_store = corrections.count_by_status(store)
    return RunSummary(len(inputs), elapsed, counts, in_store, totals if llm else None, given.missing, given.empty,
                      len(checked.breaks))
