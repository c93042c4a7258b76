"""The writer's side of a run: inputs read, hashed, recorded and claimed in the store; the records
the reader made stored with them. Main process only (SQLite has one writer).

Imports nothing of the reader (parsers, verifier): a run with --workers N starts its worker
processes before it loads the reader, and they load it while this process opens the store and
reads the first batch.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Optional, Sequence

from extract.errors import InputError
from extract.settings import Settings
from extract.store import FAILED, JSONText, Store


@dataclass
class Outcome:
    path: str
    status: str            # one of the four statuses, or "skipped" (already done)
    reason: str = ""
    sha256: Optional[str] = None
    llm_calls: int = 0
    cache_hits: int = 0
    tokens: dict[str, int] = field(default_factory=dict)
    llm_unavailable: bool = False


@dataclass
class Prepared:
    """A decoded document, stored, waiting for its extraction."""

    path: str
    sha256: str
    text: str
    owner: str = ""   # the claim this run holds on the document, released when its record is stored


@dataclass
class Loaded:
    """An input's bytes, read, hashed and claimed; not yet decoded."""

    path: str
    sha256: str
    data: bytes
    owner: str = ""


class Input(NamedTuple):
    """An input file's bytes, or why they could not be read."""

    path: str
    data: bytes
    unreadable: Optional[str] = None


def read_input(path: Path) -> Input:
    """The file's bytes, or why not (never raises: every input becomes a record)."""
    reason = why_unreadable(path)
    if reason is None:
        try:
            return Input(str(path), path.read_bytes())
        except OSError as exc:
            reason = f"cannot read file: {exc.strerror or exc}"
    return Input(str(path), b"", reason)


def load_file(path: Path, store: Store, run_id: int, settings: Settings = Settings()) -> Loaded | Outcome:
    """Read and hash one input, record its path, skip it if done, claim it; main process only.
    An Outcome means it is finished already (unreadable, or done in an earlier run)."""
    return load_inputs([read_input(path)], store, run_id, settings)[0]


def load_inputs(inputs: Sequence[Input], store: Store, run_id: int,
                settings: Settings = Settings()) -> list[Loaded | Outcome]:
    """load_file for inputs read already, in one transaction and a statement per table for them
    all (a batch); main process only."""
    hashed = [(item, hashlib.sha256(item.data).hexdigest() if item.unreadable is None else None) for item in inputs]
    with store.transaction():
        store.record_files([(item.path, sha, None if sha is None else len(item.data), item.unreadable)
                            for item, sha in hashed])
        readable = [sha for _, sha in hashed if sha is not None]
        done = set() if settings.force else store.done_among(readable)
        # Another run sharing this store may be extracting the same content right now.
        claimed = store.claim_each([sha for sha in readable if sha not in done], settings.owner) \
            if settings.owner else set(readable)
    loaded: list[Loaded | Outcome] = []
    for item, sha in hashed:
        if sha is None:
            loaded.append(Outcome(item.path, FAILED, item.unreadable or ""))
        elif sha in done:
            loaded.append(Outcome(item.path, "skipped", sha256=sha))
        elif sha not in claimed:
            loaded.append(Outcome(item.path, "skipped", "being extracted by another run", sha))
        else:
            loaded.append(Loaded(item.path, sha, item.data, settings.owner))
    return loaded


def store_unreadable(loaded: Loaded, exc: InputError, store: Store, run_id: int) -> Outcome:
    """An input that is not a readable report: its failure stored, its claim released."""
    with store.transaction():
        if loaded.owner:
            store.release(loaded.sha256, loaded.owner)
        if exc.retry:
            # A failure a setting decided (--max-mb), or the reader's own: no result, so the next run retries it.
            store.record_file(loaded.path, None, len(loaded.data), str(exc))
            return Outcome(loaded.path, FAILED, str(exc), loaded.sha256)
        store.add_document(loaded.sha256, loaded.path, len(loaded.data), None, None)
        store.save_result(loaded.sha256, status=FAILED, reason=str(exc), run_id=run_id)
    return Outcome(loaded.path, FAILED, str(exc), loaded.sha256)


@dataclass(frozen=True)
class Record:
    """What the store keeps of one document's extraction, packed where it was made (a worker
    process sends this, not the objects behind it: the single writer only inserts)."""

    parse_s: float
    parser_attempt: JSONText   # the parsers' reading, packed
    result: dict[str, Any]     # the results row: status, reason, meta, packed cells and issues

    @property
    def status(self) -> str:
        return self.result["status"]

    @property
    def reason(self) -> str:
        return self.result["reason"]


@dataclass
class Extracted:
    """What a worker process hands back for one input: its text and record, or why not."""

    text: Optional[str] = ""   # None: the input's bytes are its text (UTF-8), stored as they are
    encoding: str = ""
    record: Optional[Record] = None
    error: Optional[InputError] = None


def store_extracted(batch: list[tuple[Loaded, Extracted]], store: Store, run_id: int) -> list[Outcome]:
    """Workers' results stored like documents processed here, in one transaction and a statement
    per table for the whole batch (the single writer's share of the work is what limits
    --workers); main process only. An Outcome per document, in order."""
    outcomes: list[Outcome] = []
    documents, records = [], []
    with store.transaction():
        for loaded, extracted in batch:
            if extracted.error is not None:
                outcomes.append(store_unreadable(loaded, extracted.error, store, run_id))
                continue
            text = loaded.data if extracted.text is None else extracted.text
            documents.append((loaded.sha256, loaded.path, len(loaded.data), text, extracted.encoding))
            records.append((loaded, extracted.record, ()))
            outcomes.append(Outcome(loaded.path, extracted.record.status, extracted.record.reason, loaded.sha256))
        store.add_documents(documents)
        write_records(records, store, run_id)
    return outcomes


_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
            (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder"))


def why_unreadable(path: Path) -> Optional[str]:
    """Why `path` is not a regular file to read, or None. Never opens it (a FIFO would block)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "broken symbolic link: its target does not exist" if path.is_symlink() else "no such file or folder"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"cannot read file: {exc.strerror or exc}"
    for test, kind in _SPECIAL:
        if test(mode):
            return f"not a regular file: {kind}"
    return None


def write_records(records: Sequence[tuple[Prepared | Loaded, Record, Sequence[dict]]], store: Store,
                  run_id: int) -> None:
    """Each document's parsers' attempt, its LLM attempts and its record, together; its claim
    released. (document, record, LLM attempts) each."""
    with store.transaction():
        store.add_attempts(attempt for document, record, llm_attempts in records for attempt in (
            dict(sha256=document.sha256, run_id=run_id, method="parsers", latency_s=record.parse_s,
                 result=record.parser_attempt),
            *(dict(attempt, sha256=document.sha256, run_id=run_id) for attempt in llm_attempts)))
        store.save_results(dict(record.result, sha256=document.sha256, run_id=run_id) for document, record, _ in records)
        store.release_each((document.sha256, document.owner) for document, _, _ in records if document.owner)
