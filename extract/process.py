"""One path per document, in stages: read → (ask the LLM) → decide → the Record the store keeps.

    parsed = read(name, data, max_bytes)        decode; the document model; the parsers' reading
    llm_round = ask_llm(parsed.document, …)     only where `parsed.wants_llm`, on a thread
    record = decide(parsed, llm_round)          choose, verify, the status; packed for the store

A worker process runs `process_batch` (read and decide, the LLM off); with the LLM on, the
scheduler (`extract.schedule`) runs the same stages with the LLM round between them. Nothing here
touches the store.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar, Union

from extract.document import Document, build_document
from extract.errors import InputError
from extract.formats import read_document
from extract.llm.round import LLMRound
from extract.packing import JSONText, Record, dump_json
from extract.packing.record import LLMTally
from extract.packing.record import parser_attempt, result_fields
from extract.parsers import read_tables
from extract.policy import Assessment, assess
from extract.reading import Reading

T = TypeVar("T")


@dataclass
class Parsed:
    """A document read by the parsers: its decoded text, its model, and their reading."""

    text: str
    encoding: str
    document: Document
    reading: Reading
    parse_s: float

    @property
    def wants_llm(self) -> bool:
        """Worth asking the LLM: a template version, and the text names open government
        information and prints the template's headings or labels, whatever the parsers made of it."""
        return self.document.version is not None and self.document.looks_like_report


def read(name: str, data: bytes, max_bytes: int) -> Parsed:
    """Decode one input and read it with the parsers; InputError says why it cannot be read."""
    decoded = read_document(data, name, max_bytes)
    started = time.perf_counter()
    document = build_document(decoded.text)
    reading = read_tables(document)
    return Parsed(decoded.text, decoded.encoding, document, reading, time.perf_counter() - started)


def decide(parsed: Parsed, llm_round: Optional[LLMRound] = None) -> Record:
    """Choose, verify and decide; the record the store keeps, serialised."""
    found = assess(parsed.document, parsed.reading, llm_round.reading if llm_round else None,
                   llm_round.note if llm_round else None)
    return record_of(parsed, found, llm_round)


def record_of(parsed: Parsed, found: Assessment, llm_round: Optional[LLMRound] = None) -> Record:
    attempt = parser_attempt(parsed.reading)
    # The record of the parsers' own reading has the values its attempt packed: the same list.
    values = attempt["values"] if found.reading is parsed.reading and isinstance(attempt["values"], list) else None
    issues = found.report.to_dicts() if found.report else []
    # A UTF-8 file's text is its bytes, which the writer has: the text need not travel back.
    text = None if parsed.encoding == "utf-8" else parsed.text
    return Record(text, parsed.encoding, parsed.parse_s, JSONText(dump_json(attempt)),
                  result_fields(found.reading, found.status, found.reason, found.confidence, issues, values),
                  tuple(llm_round.attempts) if llm_round else (), llm_round.tally() if llm_round else LLMTally())


def process(name: str, data: bytes, max_bytes: int) -> Union[Record, InputError]:
    """Read and decide one input with the LLM off: its Record, or why it cannot be read."""
    parsed = guarded(read, name, data, max_bytes)
    return parsed if isinstance(parsed, InputError) else guarded(decide, parsed)


def process_batch(items: list[tuple[str, bytes]], max_bytes: int) -> list[Union[Record, InputError]]:
    """`process` over several inputs: one call (one round trip to a worker process) for them all."""
    return [process(name, data, max_bytes) for name, data in items]


def guarded(stage: Callable[..., T], *arguments: Any) -> Union[T, InputError]:
    """A stage's result, or the input's failure: why it cannot be read, or a bug of the reader's,
    which must not end a run of thousands (noted; the next run tries the input again)."""
    try:
        return stage(*arguments)
    except InputError as exc:
        return exc
    except Exception as exc:
        what = " ".join(str(exc).split())[:200]  # one line, however the exception reads
        return InputError(f"internal error reading this file ({type(exc).__name__}: {what}); "
                          "please report it; the next run tries it again", retry=True)


def assess_text(text: str) -> Assessment:
    """Read, verify and decide a decoded report with the parsers alone (no store, no LLM)."""
    document = build_document(text)
    return assess(document, read_tables(document))
