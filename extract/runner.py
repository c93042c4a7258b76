"""Running documents through the pipeline: which process and thread does what, in what batches.

The store has one writer, this process's main thread. With the LLM off, documents go in
batches through worker processes (`--workers`); with it on, LLM rounds run on a bounded thread
pool (`--jobs`). Either way one Outcome per input comes back: in input order with the LLM off,
as they finish with it on.
"""
from __future__ import annotations

import importlib
# ProcessPoolExecutor loads only for --workers N: its multiprocessing imports (~20 ms of
# start-up) are not needed by a run of one worker.
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, ThreadPoolExecutor, wait

from extract.errors import GovReportError
from extract.intake import Outcome, load_inputs, read_input, store_extracted


def run_documents(inputs, store, run_id, settings, llm, jobs, workers: "Workers"):
    """Yield one Outcome per input. With the LLM off, documents go in batches through `workers`;
    LLM rounds run on a bounded thread pool; the store stays on this thread."""
    if llm is None:
        yield from _run_offline(inputs, store, run_id, settings, workers)
        return
    from extract.pipeline import finish_extraction, prepare_file, process_file, run_llm_round, start_extraction

    if jobs == 1:
        for path in inputs:
            yield process_file(path, store, run_id, settings, llm)
        return

    def begin(path):
        prepared = prepare_file(path, store, run_id, settings)
        if isinstance(prepared, Outcome):
            return prepared
        work = start_extraction(prepared, store, llm)
        if not work.needs_llm:
            return finish_extraction(prepared, work, store, run_id)
        return prepared, run_llm_round, (work, llm)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        # bounded: never more than 2 × jobs documents in memory
        yield from _pooled(pool, inputs, begin, 2 * jobs,
                           lambda prepared, work: finish_extraction(prepared, work, store, run_id))


BATCH_DOCS = 64              # documents claimed together and stored together (one transaction each)
BATCH_BYTES = 32 * 1024 * 1024   # …fewer when they are large: a batch is held in memory


class Workers:
    """Where documents are read with the LLM off: `count` worker processes, or this process when
    one is asked for or the documents are too few to share. The processes start at once, so
    that they load the reader while this process opens the store and reads the first batch
    (this process never loads it then). A context manager: leaving it ends the processes."""

    def __init__(self, count: int, documents: int) -> None:
        self.count = count if count > 1 and documents >= 2 * count else 1
        if self.count == 1:
            self.pool = _InlinePool()
            return
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=self.count, initializer=load_reader)
        self.pool.submit(load_reader)  # processes start with the first task

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc_info) -> None:
        self.pool.__exit__(*exc_info)


def load_reader() -> None:
    """In a worker process: import the reader (parsers, verifier) before the first batch comes."""
    importlib.import_module("extract.pipeline")


def extract_batch(items: list, max_bytes: int) -> list:
    """In a worker: `extract.pipeline.extract_many`, imported there and not in the writer."""
    from extract.pipeline import extract_many

    return extract_many(items, max_bytes)


def _run_offline(inputs, store, run_id, settings, workers: Workers):
    """The parsers alone. This process reads, claims and writes (SQLite has one writer); workers
    decode, parse and verify. A batch is claimed in one transaction (other runs see the claims at
    once) and stored in one; the next batch is in the workers while this one is written, so an
    interrupted run loses at most those two, which its re-run redoes. Records come in input order."""
    in_flight: list = []
    for loaded in _claimed_batches(inputs, store, run_id, settings):
        in_flight.append(_submit(workers, loaded, settings.max_bytes))
        if len(in_flight) > 1:
            yield from _store_batch(in_flight.pop(0), store, run_id)
    while in_flight:
        yield from _store_batch(in_flight.pop(0), store, run_id)


def _claimed_batches(inputs, store, run_id, settings):
    """The inputs read, recorded and claimed, a batch per transaction: BATCH_DOCS of them, or
    fewer once the bytes read reach BATCH_BYTES."""
    paths = iter(inputs)
    while True:
        batch, size = [], 0
        for path in paths:
            batch.append(read_input(path))
            size += len(batch[-1].data)
            if len(batch) >= BATCH_DOCS or size >= BATCH_BYTES:
                break
        if not batch:
            return
        yield load_inputs(batch, store, run_id, settings)


def _submit(workers: Workers, loaded: list, max_bytes: int) -> list:
    """The batch's documents in a few calls (a round trip each), one list of results per call."""
    todo = [item for item in loaded if not isinstance(item, Outcome)]
    per_call = max(1, -(-len(todo) // (2 * workers.count)))
    calls = [workers.pool.submit(extract_batch, [(item.path, item.data) for item in todo[i:i + per_call]], max_bytes)
             for i in range(0, len(todo), per_call)]
    return [loaded, calls]


def _store_batch(submitted: list, store, run_id):
    loaded, calls = submitted
    try:
        results = iter([extracted for call in calls for extracted in call.result()])
    except BrokenExecutor as exc:  # BrokenProcessPool: no other pool breaks here
        raise GovReportError("a worker process died (killed for lack of memory?); the records stored so far are "
                             "kept: re-run the same command to resume, or with --workers 1") from exc
    stored = iter(store_extracted([(item, next(results)) for item in loaded if not isinstance(item, Outcome)],
                                  store, run_id))
    yield from [item if isinstance(item, Outcome) else next(stored) for item in loaded]


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


def _pooled(pool, inputs, begin, bound: int, finish):
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


def _drain(pending: dict, finish):
    """Outcomes of the futures done so far; `finish(what was submitted for, its result)` stores each."""
    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    for future in done:
        yield finish(pending.pop(future), future.result())
