"""`govreport batch prepare`: every LLM request the online path would send for these documents,
written to batch files instead of sent.

Worker processes (`--workers`) read each document and run its LLM round as online, with the
answers the store already holds (so a prepare after a collect writes the re-asks) and a session
that only notes the request the round would send. This process claims the inputs, builds each
noted request's body as the online client builds it, writes it, and records it in the store."""
from __future__ import annotations

import json
import re
import threading
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple, Optional, Sequence

from extract.batch.files import MAX_BYTES, MAX_LINES, BatchWriter
from extract.errors import GovReportError, InputError, UsageError
from extract.inputs import expand_inputs
from extract.intake import Claimed, claim_inputs, read_input
from extract.llm.client import Answer
from extract.llm.endpoint import Endpoint, resolve_endpoint
from extract.llm.prompting import cache_key
from extract.llm.round import KINDS, ask_llm
from extract.llm.session import LLMSession, NeverCalled
from extract.llm.wire import NOT_SENT, WireClient
from extract.process import guarded, read
from extract.schedule import BATCH_DOCS, Workers
from extract.settings import MAX_BYTES_DEFAULT, Settings
from extract.store import DEFAULT_PATH, Store
from extract.template import spec
from extract.template.schema import answer_model

BATCHED = "batched"   # an Answer's failure: the request went into a batch file
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class PrepareOptions:
    paths: Sequence[str]
    out: Path
    db: Path = Path(DEFAULT_PATH)
    force: bool = False
    workers: int = 1
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
    characters: int = 0          # of the prompts written (the client's schema prompt and tools included)
    est_prompt_tokens: int = 0
    max_completion_tokens: int = 0
    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    endpoint: Optional[Endpoint] = None


class Noted(NamedTuple):
    """A request a document's round would send."""

    cache_key: str
    kind: str
    version: str
    messages: list


class Read(NamedTuple):
    """What a worker gives back of one document: its text for the store (None for a UTF-8 file:
    its bytes are its text, and this process has them), the requests its round notes."""

    text: Optional[str]
    encoding: str
    requests: list[Noted]


def estimate_tokens(text: str) -> int:
    """A rough count for a cost estimate: a Han character about one token, other text about four
    characters a token (the providers' tokenizers differ; their bills say the real count)."""
    han = len(_HAN.findall(text))
    return han + (len(text) - han + 3) // 4


def prompt_text(body: bytes) -> str:
    """What a request's prompt tokens are counted on: its messages (the client's schema prompt
    included) and its tools or response format."""
    sent = json.loads(body)
    parts = [str(m.get("content") or "") for m in sent.get("messages", [])]
    parts += [json.dumps(sent[k], ensure_ascii=False) for k in ("tools", "response_format") if k in sent]
    return "\n".join(parts)


class _Noting(LLMSession):
    """A session that notes each call its round makes, and answers none (in a worker: no SDK)."""

    def __init__(self, endpoint: Endpoint, sha256: str, version: str) -> None:
        super().__init__(endpoint, client=NeverCalled(), breaker_after=2 ** 62)
        self.sha256, self.version = sha256, version
        self.noted: list[Noted] = []

    def ask(self, messages: list, model: type, deadline: float, cache_key: str = "") -> Answer:
        kind = next(k for k in KINDS if key_of(self.endpoint, self.sha256, self.version, k) == cache_key)
        self.noted.append(Noted(cache_key, kind, self.version, messages))
        return Answer(parsed=None, request={}, error=NOT_SENT, failure=BATCHED)


def key_of(endpoint: Endpoint, sha256: str, version: str, kind: str) -> str:
    return cache_key(sha256, version, endpoint.model, endpoint.mode, kind)


def read_documents(items: list[tuple[str, bytes, str, dict]], max_bytes: int,
                   endpoint: Endpoint) -> list[Optional[Read]]:
    """In a worker: each (path, bytes, sha256, stored answers by version and kind) read and its
    round run; None for a document the online path would not send (unreadable, not a report)."""
    out: list[Optional[Read]] = []
    for path, data, sha256, cached in items:
        parsed = guarded(read, path, data, max_bytes)
        if isinstance(parsed, InputError) or not parsed.wants_llm:
            out.append(None)
            continue
        session = _Noting(endpoint, sha256, str(parsed.document.version))
        ask_llm(parsed.document, sha256, session, cached.get(session.version, {}))
        out.append(Read(None if parsed.encoding == "utf-8" else parsed.text, parsed.encoding, session.noted))
    return out


class _Writer:
    """This process's side: each noted request's body built (as the online client builds it),
    written unless in flight already, and counted."""

    def __init__(self, endpoint: Endpoint, files: BatchWriter, in_flight: set[str], tally: Prepared) -> None:
        self.endpoint, self.files, self.in_flight, self.tally = endpoint, files, in_flight, tally
        self._wire: Optional[WireClient] = None
        self._loading: Optional[threading.Thread] = None
        self._added: dict[tuple, tuple[int, int]] = {}

    def warm(self) -> None:
        """Load the SDK and make the client (~1 s) while the workers read. Called once they are
        forked: a process forked while a thread imports may inherit the import lock held."""
        if self._loading is None:
            self._loading = threading.Thread(target=self._make_wire, daemon=True)
            self._loading.start()

    def _make_wire(self) -> None:
        if self._wire is None:
            self._wire = WireClient(self.endpoint)

    def write(self, sha256: str, noted: Noted) -> None:
        if noted.cache_key in self.in_flight:
            self.tally.in_flight += 1
            return
        if self._loading is not None:
            self._loading.join()
        self._make_wire()   # here, where it was not warmed, or failed to load there (its error is raised here)
        assert self._wire is not None
        model = answer_model(noted.version)
        body = self._wire.body(noted.messages, model)
        self.files.add(noted.cache_key, body, sha256, noted.kind, noted.version)
        self.in_flight.add(noted.cache_key)
        self.tally.requests += 1
        ours = "\n".join(str(m.get("content") or "") for m in noted.messages)
        shape = (model, tuple(m.get("role") for m in noted.messages))
        if shape not in self._added:   # what the client adds (its schema prompt, the tools): once a shape
            text = prompt_text(body)
            self._added[shape] = (len(text) - len(ours), estimate_tokens(text) - estimate_tokens(ours))
        chars, tokens = self._added[shape]
        self.tally.characters += chars + len(ours)
        self.tally.est_prompt_tokens += tokens + estimate_tokens(ours)
        self.tally.max_completion_tokens += self.endpoint.max_tokens


def prepare_batch(options: PrepareOptions, begin: Callable[[int], None] = lambda total: None,
                  step: Callable[[str], None] = lambda path: None) -> Prepared:
    """Every request for the documents of `options.paths` written under `options.out`; `begin`
    hears how many inputs there are, `step` each one as it is done."""
    endpoint, why = resolve_endpoint(options.base_url, options.model, options.api_key, options.llm_mode,
                                     max_tokens=options.max_tokens)
    if endpoint is None:
        raise UsageError(why.removeprefix("LLM: ").split(";")[0] + ": a batch is written for a model")
    given = expand_inputs(options.paths)
    tally = Prepared(inputs=len(given.paths), missing=given.missing, empty=given.empty, endpoint=endpoint)
    settings = Settings(max_bytes=options.max_bytes, force=options.force)
    begin(len(given.paths))
    with Store(options.db) as store, Workers(options.workers, len(given.paths)) as workers:
        def finished(path: Path, lines: list[tuple[str, str, str, str]]) -> None:
            where = str(path.resolve())
            store.prepared_requests([(custom_id, sha, kind, version, where) for custom_id, sha, kind, version in lines])

        files = BatchWriter(options.out, finished, options.max_lines, options.max_file_bytes)
        in_flight = {key for key, file in store.in_flight().items() if Path(file).is_file()}
        writer = _Writer(endpoint, files, in_flight, tally)
        try:
            pending: list = []
            for start in range(0, len(given.paths), BATCH_DOCS):
                pending.append(_submit(given.paths[start:start + BATCH_DOCS], store, settings, endpoint, workers))
                writer.warm()
                if len(pending) > 1:
                    _write(pending.pop(0), store, writer, step)
            while pending:
                _write(pending.pop(0), store, writer, step)
            files.close()
        except BaseException:
            files.discard()
            raise
    tally.files = files.files
    return tally


def _submit(paths: Sequence[Path], store: Store, settings: Settings, endpoint: Endpoint, workers: Workers) -> tuple:
    """A batch of inputs claimed (unreadable and done ones fall out) and sent to the workers."""
    claimed = claim_inputs([read_input(path, settings.max_bytes) for path in paths], store, settings)
    todo = [item for item in claimed if isinstance(item, Claimed)]
    answers = store.has_cached_answers()   # none before the first collect: no lookups
    items = [(item.path, item.data, item.sha256, _stored_answers(store, endpoint, item.sha256) if answers else {})
             for item in todo]
    per_call = max(1, -(-len(items) // (2 * workers.count)))
    calls = [workers.pool.submit(read_documents, items[i:i + per_call], settings.max_bytes, endpoint)
             for i in range(0, len(items), per_call)]
    return claimed, todo, calls


def _stored_answers(store: Store, endpoint: Endpoint, sha256: str) -> dict[str, dict[str, Any]]:
    """The answers the store holds for a document, by template version and kind (its version is
    known once it is read, in the worker)."""
    return {version: {kind: store.cached_attempt(key_of(endpoint, sha256, version, kind)) for kind in KINDS}
            for version in spec.VERSIONS}


def _write(submitted: tuple, store: Store, writer: _Writer, step: Callable[[str], None]) -> None:
    claimed, todo, calls = submitted
    try:
        results = iter([result for call in calls for result in call.result()])
    except BrokenExecutor as exc:
        raise GovReportError("a worker process died (killed for lack of memory?); the requests written so far "
                             "are kept: run the same command again, or with --workers 1") from exc
    read_now = {item.sha256: next(results) for item in todo}
    # A document asked about: its answers will be stored against it, before its record is.
    store.add_documents([(item.sha256, item.path, len(item.data), item.data if done.text is None else done.text,
                          done.encoding) for item in todo if (done := read_now[item.sha256]) is not None and done.requests])
    for item in claimed:
        done = read_now.get(item.sha256) if isinstance(item, Claimed) else None
        for noted in done.requests if done is not None else ():
            writer.write(item.sha256, noted)
        step(item.path)
