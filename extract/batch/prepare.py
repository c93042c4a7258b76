"""`govreport batch prepare`: every LLM request the online path would send for these documents,
written to batch files instead of sent. The parsers read each document; the LLM round runs as
online (answers already in the cache are used, so a second prepare after a collect writes the
re-asks), with a session that writes each request where it would send it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from extract.batch.files import MAX_BYTES, MAX_LINES, BatchWriter
from extract.errors import InputError, UsageError
from extract.inputs import expand_inputs
from extract.intake import Outcome, claim_inputs, read_input
from extract.llm.client import Answer
from extract.llm.endpoint import Endpoint, resolve_endpoint
from extract.llm.round import KINDS, ask_llm
from extract.llm.session import LLMSession
from extract.llm.wire import NOT_SENT, WireClient
from extract.process import guarded, read
from extract.settings import MAX_BYTES_DEFAULT, Settings
from extract.store import DEFAULT_PATH, Store

BATCHED = "batched"   # an Answer's failure: the request went into a batch file


@dataclass
class PrepareOptions:
    paths: Sequence[str]
    out: Path
    db: Path = Path(DEFAULT_PATH)
    force: bool = False
    max_bytes: int = MAX_BYTES_DEFAULT
    base_url: Optional[str] = None
    model: Optional[str] = None
    api_key: Optional[str] = None
    llm_mode: Optional[str] = None
    max_tokens: Optional[int] = None
    max_lines: int = MAX_LINES
    max_file_bytes: int = MAX_BYTES


@dataclass
class Prepared:
    inputs: int = 0
    requests: int = 0            # written now
    in_flight: int = 0           # written by an earlier prepare, not answered yet: not written again
    characters: int = 0          # of the messages written
    est_prompt_tokens: int = 0
    max_completion_tokens: int = 0
    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    endpoint: Optional[Endpoint] = None


def estimate_tokens(text: str) -> int:
    """A rough count for a cost estimate: a Han character about one token, other text about four
    characters a token (the providers' tokenizers differ; their bills say the real count)."""
    han = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")
    return han + (len(text) - han + 3) // 4


def prompt_text(body: bytes) -> str:
    """What a request's prompt tokens are counted on: its messages (the client's schema prompt
    included) and its tools or response format."""
    sent = json.loads(body)
    parts = [str(m.get("content") or "") for m in sent.get("messages", [])]
    parts += [json.dumps(sent[k], ensure_ascii=False) for k in ("tools", "response_format") if k in sent]
    return "\n".join(parts)


class _Writing(LLMSession):
    """A session whose calls are written to the batch files, never sent."""

    def __init__(self, endpoint: Endpoint, writer: BatchWriter, in_flight: set[str], tally: Prepared) -> None:
        super().__init__(endpoint, client=WireClient(endpoint), breaker_after=2 ** 62)
        self.writer, self.in_flight, self.tally = writer, in_flight, tally
        self.document: tuple[str, str] = ("", "")   # (sha256, version) of the document being prepared

    def ask(self, messages: list, model: type, deadline: float, cache_key: str = "") -> Answer:
        if cache_key in self.in_flight:
            self.tally.in_flight += 1
        else:
            sha256, version = self.document
            kind = next(k for k in KINDS if self.cache_key(sha256, version, k) == cache_key)
            body = self.client.body(messages, model)
            self.writer.add(cache_key, body, sha256, kind, version)
            self.in_flight.add(cache_key)
            self.tally.requests += 1
            text = prompt_text(body)
            self.tally.characters += len(text)
            self.tally.est_prompt_tokens += estimate_tokens(text)
            self.tally.max_completion_tokens += self.endpoint.max_tokens
        return Answer(parsed=None, request={}, error=NOT_SENT, failure=BATCHED)


def prepare_batch(options: PrepareOptions, begin: Callable[[int], None] = lambda total: None,
                  step: Callable[[str], None] = lambda path: None) -> Prepared:
    """Every request for the documents of `options.paths` written under `options.out`; `begin`
    hears how many inputs there are, `step` each one as it is read."""
    endpoint, why = resolve_endpoint(options.base_url, options.model, options.api_key, options.llm_mode,
                                     max_tokens=options.max_tokens)
    if endpoint is None:
        raise UsageError(why.removeprefix("LLM: ").split(";")[0] + ": a batch is written for a model")
    given = expand_inputs(options.paths)
    tally = Prepared(inputs=len(given.paths), missing=given.missing, empty=given.empty, endpoint=endpoint)
    settings = Settings(max_bytes=options.max_bytes, force=options.force)
    begin(len(given.paths))
    with Store(options.db) as store:
        def finished(path: Path, lines: list[tuple[str, str, str, str]]) -> None:
            where = str(path.resolve())
            store.prepared_requests([(custom_id, sha, kind, version, where) for custom_id, sha, kind, version in lines])

        writer = BatchWriter(options.out, finished, options.max_lines, options.max_file_bytes)
        in_flight = {key for key, file in store.in_flight().items() if Path(file).is_file()}
        session = _Writing(endpoint, writer, in_flight, tally)
        try:
            for path in given.paths:
                step(str(path))
                (claimed,) = claim_inputs([read_input(path, settings.max_bytes)], store, settings)
                if isinstance(claimed, Outcome):
                    continue   # unreadable, or done already (extract says so for each)
                parsed = guarded(read, claimed.path, claimed.data, settings.max_bytes)
                if isinstance(parsed, InputError) or not parsed.wants_llm:
                    continue
                version = str(parsed.document.version)
                cached = {kind: store.cached_attempt(session.cache_key(claimed.sha256, version, kind)) for kind in KINDS}
                # Its answers will be stored against the document, before its record is.
                store.add_document(claimed.sha256, claimed.path, len(claimed.data), parsed.text, parsed.encoding)
                session.document = (claimed.sha256, version)
                ask_llm(parsed.document, claimed.sha256, session, cached)
            writer.close()
        except BaseException:
            writer.discard()
            raise
    tally.files = writer.files
    return tally
