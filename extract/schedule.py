"""Scheduling: which process and thread runs which stage of `extract.process`, in what batches.

The store has one writer, this process's main thread. With the LLM off, documents go in
batches through worker processes (`--workers`), which read and decide them. With it on, each
document is read here, its LLM round runs on a bounded thread pool (`--jobs`), and it is
decided here. Either way one Outcome per input comes back: in input order with the LLM off, as
they finish with it on.
"""
from __future__ import annotations

import concurrent.futures
import ctypes
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence, Union

from extract.errors import GovReportError, InputError
from extract.intake import Claimed, Input, Outcome, claim_inputs, read_input, store_records, store_unreadable
from extract.llm.round import KINDS, LLMRound, ask_llm
from extract.llm.session import LLMSession
from extract.process import Parsed, decide, guarded, process_batch, read
from extract.settings import Settings
from extract.store import Store

BATCH_DOCS = 64              # documents claimed together and stored together (one transaction each)
BATCH_BYTES = 32 * 1024 * 1024   # …fewer when they are large: a batch is held in memory


def run_documents(inputs: Iterable[Path], store: Store, run_id: int, settings: Settings, llm: Optional[LLMSession],
                  jobs: int, workers: "Workers") -> Iterator[Outcome]:
    """One Outcome per input, each document's record stored."""
    if llm is None:
        return _run_offline(inputs, store, run_id, settings, workers)
    return _run_with_llm(inputs, store, run_id, settings, llm, jobs)


class Workers:
    """Where documents are read with the LLM off: `count` worker processes, or this process when
    one is asked for or the documents are too few to share. A context manager: leaving it ends
    the processes."""

    def __init__(self, count: int, documents: int, apart: bool = False) -> None:
        """`apart`: in processes of their own however few (work kept off this process)."""
        self.count = count if apart or (count > 1 and documents >= 2 * count) else 1
        # concurrent.futures loads its process pool (multiprocessing) when the name is first
        # asked for: a run of one worker never loads it.
        self.pool: Union[concurrent.futures.Executor, _InlinePool] = _InlinePool() if self.count == 1 and not apart \
            else concurrent.futures.ProcessPoolExecutor(max_workers=self.count, initializer=_serve_parent,
                                                        initargs=(os.getpid(),))

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc_info) -> None:
        if exc_info[0] is None or isinstance(self.pool, _InlinePool):
            self.pool.__exit__(*exc_info)
            return
        # Interrupted (Ctrl-C, SIGTERM, an error): the workers hold nothing to keep, so they are
        # stopped, not waited for. Waiting could hang: the interrupt may have struck inside the
        # pool's own bookkeeping (seen under load: a SIGTERM'd run that never ended).
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        calls, results = getattr(self.pool, "_call_queue", None), getattr(self.pool, "_result_queue", None)
        for process in processes:
            process.terminate()
        self.pool.shutdown(wait=False, cancel_futures=True)   # (it forgets its queues)
        for process in processes:
            process.join(timeout=5)
        # A worker ended while sending a result leaves half a message in the results pipe: the
        # pool's thread reading it waits for the rest, and this process's exit waits for that
        # thread (seen: 2 Ctrl-Cs in 100). With this process's end of the writers closed it reads
        # the end of the pipe and stops; the work not sent to the dead workers is not waited for.
        if results is not None:
            results._writer.close()
        if calls is not None:
            calls.cancel_join_thread()


def _serve_parent(parent: int) -> None:
    """In a worker process: end when the run's process ends, however it ends (a SIGKILL leaves
    no time to stop its workers), and leave Ctrl-C and SIGTERM to it (it stops the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _run_offline(inputs, store, run_id, settings, workers: Workers) -> Iterator[Outcome]:
    """The parsers alone. This process reads, claims and writes (SQLite has one writer); workers
    decode, read and decide. A batch is claimed in one transaction (other runs see the claims at
    once) and stored in one; the next batch is in the workers while this one is written, so an
    interrupted run loses at most those two, which its re-run redoes. Records come in input order."""
    in_flight: list = []
    for claimed in _claimed_batches(inputs, store, settings):
        in_flight.append(_submit(workers, claimed, settings.max_bytes))
        if len(in_flight) > 1:
            yield from _store_batch(in_flight.pop(0), store, run_id)
    while in_flight:
        yield from _store_batch(in_flight.pop(0), store, run_id)


def _claimed_batches(inputs, store, settings) -> Iterator[list[Union[Claimed, Outcome]]]:
    """The inputs read, recorded and claimed, a batch per transaction: BATCH_DOCS of them, or
    fewer once the bytes read reach BATCH_BYTES."""
    paths = iter(inputs)
    while True:
        batch: list[Input] = []
        size = 0
        for path in paths:
            batch.append(read_input(path, settings.max_bytes))
            size += len(batch[-1].data)
            if len(batch) >= BATCH_DOCS or size >= BATCH_BYTES:
                break
        if not batch:
            return
        yield claim_inputs(batch, store, settings)


def _submit(workers: Workers, claimed: list, max_bytes: int) -> tuple[list, list[Future]]:
    """The batch's documents in a few calls (a round trip each), one list of records per call."""
    todo = [item for item in claimed if isinstance(item, Claimed)]
    per_call = max(1, -(-len(todo) // (2 * workers.count)))
    calls = [workers.pool.submit(process_batch, [(item.path, item.data) for item in todo[i:i + per_call]], max_bytes)
             for i in range(0, len(todo), per_call)]
    return claimed, calls


def _store_batch(submitted: tuple[list, list[Future]], store: Store, run_id: int) -> Iterator[Outcome]:
    claimed, calls = submitted
    try:
        records = iter([record for call in calls for record in call.result()])
    except BrokenExecutor as exc:  # BrokenProcessPool: no other pool breaks here
        raise GovReportError("a worker process died (killed for lack of memory?); the records stored so far are "
                             "kept: re-run the same command to resume, or with --workers 1") from exc
    stored = iter(store_records([(item, next(records)) for item in claimed if isinstance(item, Claimed)],
                                store, run_id))
    yield from [item if isinstance(item, Outcome) else next(stored) for item in claimed]


def _run_with_llm(inputs, store: Store, run_id: int, settings: Settings, llm: LLMSession,
                  jobs: int) -> Iterator[Outcome]:
    """Each document claimed and read here, its LLM round on the pool, decided and stored here."""
    def begin(path: Path):
        (claimed,) = claim_inputs([read_input(path, settings.max_bytes)], store, settings)
        if isinstance(claimed, Outcome):
            return claimed
        parsed = guarded(read, claimed.path, claimed.data, settings.max_bytes)
        if isinstance(parsed, InputError):
            return store_unreadable(claimed, parsed, store, run_id)
        if not parsed.wants_llm:
            return finish((claimed, parsed), None)
        version = str(parsed.document.version)
        cached = {kind: store.cached_attempt(llm.cache_key(claimed.sha256, version, kind)) for kind in KINDS}
        return (claimed, parsed), ask_llm, (parsed.document, claimed.sha256, llm, cached)

    def finish(started: tuple[Claimed, Parsed], llm_round: Optional[LLMRound]) -> Outcome:
        claimed, parsed = started
        return store_records([(claimed, guarded(decide, parsed, llm_round))], store, run_id)[0]

    # One job: one document at a time, each stored before the next is read. More: up to twice
    # as many documents in memory as calls in flight.
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        yield from _pooled(pool, inputs, begin, 2 * jobs if jobs > 1 else 1, finish)


class _InlinePool:
    """The executor interface, run right here: one worker needs no second process."""

    def submit(self, function, *arguments) -> Future:
        future: Future = Future()
        future.set_result(function(*arguments))
        return future

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None


def _pooled(pool, inputs: Iterable[Path], begin: Callable, bound: int, finish: Callable) -> Iterator[Outcome]:
    """Outcomes of `inputs` through a pool. `begin(path)` gives an Outcome (done already) or
    (item, function, arguments) to run in the pool; `finish(item, result)` stores each result."""
    pending: dict = {}
    for path in inputs:
        started = begin(path)
        if isinstance(started, Outcome):
            yield started
            continue
        item, function, arguments = started
        pending[pool.submit(function, *arguments)] = item
        while len(pending) >= bound:
            yield from _drain(pending, finish)
    while pending:
        yield from _drain(pending, finish)


def _drain(pending: dict, finish: Callable) -> Iterator[Outcome]:
    """Outcomes of the futures done so far; `finish(what was submitted for, its result)` stores each."""
    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    for future in done:
        yield finish(pending.pop(future), future.result())


def process_paths(paths: Sequence[Path], store: Store, run_id: int, settings: Settings = Settings(),
                  llm: Optional[LLMSession] = None, jobs: int = 1) -> list[Outcome]:
    """Every path through a run in this process (one worker): their Outcomes, in order."""
    with Workers(1, len(paths)) as workers:
        return list(run_documents(paths, store, run_id, settings, llm, jobs, workers))
