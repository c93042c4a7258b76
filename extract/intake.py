"""The writer's side of a run: inputs read, hashed, recorded and claimed in the store; the
records made of them stored. Main process only (SQLite has one writer).

    Input → Claimed (hashed, recorded, claimed) → … the reader's Record … → stored → Outcome
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Optional, Sequence, Union

from extract.errors import InputError
from extract.inputs import path_text
from extract.packing import Record
from extract.policy import FAILED
from extract.settings import DOCUMENT_SIZE_FACTOR, MAX_BYTES_DEFAULT, Settings, too_large
from extract.store import Store

SKIPPED = "skipped"  # an Outcome's status besides the four: done in an earlier run, or by another run now


@dataclass
class Outcome:
    """What the run reports of one input."""

    path: str
    status: str            # one of the four statuses, or SKIPPED
    reason: str = ""
    sha256: Optional[str] = None
    llm_calls: int = 0
    llm_requests: int = 0    # the calls' HTTP requests, retries included
    llm_failed: int = 0      # calls that gave no usable answer
    cache_hits: int = 0
    tokens: dict[str, int] = field(default_factory=dict)
    llm_unavailable: bool = False


@dataclass
class Claimed:
    """An input's bytes, read, hashed, recorded and claimed for this run; not yet read as a report."""

    path: str
    sha256: str
    data: bytes
    owner: str = ""   # the claim this run holds on the document, released when its record is stored


class Input(NamedTuple):
    """An input file's bytes, or why they could not be read."""

    path: str
    data: bytes
    unreadable: Optional[str] = None


def read_input(path: Path, max_bytes: int = MAX_BYTES_DEFAULT) -> Input:
    """The file's bytes, or why not (never raises: every input becomes a record). A file larger
    than any format may be is not read at all."""
    reason = why_unreadable(path)
    if reason is None:
        try:
            size = path.stat().st_size
            if size > max_bytes * DOCUMENT_SIZE_FACTOR:
                return Input(path_text(path), b"", too_large(size, max_bytes * DOCUMENT_SIZE_FACTOR))
            return Input(path_text(path), path.read_bytes())
        except OSError as exc:
            reason = f"cannot read file: {exc.strerror or exc}"
    return Input(path_text(path), b"", reason)


def claim_inputs(inputs: Sequence[Input], store: Store, settings: Settings = Settings()) -> list[Union[Claimed, Outcome]]:
    """Inputs read already, hashed, their paths recorded, those not done claimed: in one
    transaction and a statement per table for them all (a batch). An Outcome means the input is
    finished already (unreadable, or done in an earlier run, or by another run now)."""
    hashed = [(item, hashlib.sha256(item.data).hexdigest() if item.unreadable is None else None) for item in inputs]
    with store.transaction():
        store.record_files([(item.path, sha, None if sha is None else len(item.data), item.unreadable)
                            for item, sha in hashed])
        readable = [sha for _, sha in hashed if sha is not None]
        done = set() if settings.force else store.done_among(readable)
        # Another run sharing this store may be extracting the same content right now.
        claimed = store.claim_each([sha for sha in readable if sha not in done], settings.owner) \
            if settings.owner else set(readable)
    out: list[Union[Claimed, Outcome]] = []
    for item, sha in hashed:
        if sha is None:
            out.append(Outcome(item.path, FAILED, item.unreadable or ""))
        elif sha in done:
            out.append(Outcome(item.path, SKIPPED, sha256=sha))
        elif sha not in claimed:
            out.append(Outcome(item.path, SKIPPED, "being extracted by another run", sha))
        else:
            out.append(Claimed(item.path, sha, item.data, settings.owner))
    return out


def store_records(batch: Sequence[tuple[Claimed, Union[Record, InputError]]], store: Store,
                  run_id: int) -> list[Outcome]:
    """Each document's record (its text, its attempts, its result) or its failure, stored in one
    transaction and a statement per table for the whole batch; its claim released. An Outcome
    per document, in order. (The single writer's share of the work is what limits --workers.)"""
    outcomes: list[Outcome] = []
    records = []
    with store.transaction():
        for claimed, record in batch:
            if isinstance(record, InputError):
                outcomes.append(store_unreadable(claimed, record, store, run_id))
                continue
            records.append((claimed, record))
            llm = record.llm
            outcomes.append(Outcome(claimed.path, record.status, record.reason, claimed.sha256, llm.calls,
                                    llm.requests, llm.failed, llm.cache_hits, dict(llm.tokens), llm.unavailable))
        write_records(records, store, run_id)
    return outcomes


def write_records(records: Sequence[tuple[Claimed, Record]], store: Store, run_id: int) -> None:
    """The documents (their text), each one's parsers' attempt, its LLM attempts and its result,
    together; its claim released."""
    with store.transaction():
        store.add_documents([(claimed.sha256, claimed.path, len(claimed.data),
                              claimed.data if record.text is None else record.text, record.encoding)
                             for claimed, record in records])
        store.add_attempts(attempt for claimed, record in records for attempt in (
            dict(sha256=claimed.sha256, run_id=run_id, method="parsers", latency_s=record.parse_s,
                 result=record.parser_attempt),
            *(dict(attempt, sha256=claimed.sha256, run_id=run_id) for attempt in record.llm_attempts)))
        store.save_results(dict(record.result, sha256=claimed.sha256, run_id=run_id) for claimed, record in records)
        store.release_each((claimed.sha256, claimed.owner) for claimed, _ in records if claimed.owner)


def store_unreadable(claimed: Claimed, exc: InputError, store: Store, run_id: int) -> Outcome:
    """An input that is not a readable report: its failure stored, its claim released."""
    with store.transaction():
        if claimed.owner:
            store.release(claimed.sha256, claimed.owner)
        if exc.retry:
            # A failure a setting decided (--max-mb), or the reader's own: no result, so the next run retries it.
            store.record_file(claimed.path, None, len(claimed.data), str(exc))
            return Outcome(claimed.path, FAILED, str(exc), claimed.sha256)
        store.add_document(claimed.sha256, claimed.path, len(claimed.data), None, None)
        store.save_result(claimed.sha256, status=FAILED, reason=str(exc), run_id=run_id)
    return Outcome(claimed.path, FAILED, str(exc), claimed.sha256)


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
    if stat.S_ISDIR(mode) and not os.access(path, os.R_OK | os.X_OK):
        return "cannot read folder: permission denied (its files are not listed)"
    for test, kind in _SPECIAL:
        if test(mode):
            return f"not a regular file: {kind}"
    return None
