"""`govreport batch prepare`: every LLM request the online path would send for these documents,
written to batch files instead of sent.

Worker processes (`--workers`) read each document and run its LLM round as online, with the
answers the store already holds (so a prepare after a collect writes the re-asks) and a session
that only notes the request the round would send. This process claims the inputs, makes each
noted request's body from its shape's template (the online client builds one a shape, in a process
of its own), writes it, and records it in the store."""
from __future__ import annotations

import json
from collections import deque
from concurrent.futures import BrokenExecutor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple, Optional, Sequence

from extract.batch.files import MAX_BYTES, MAX_LINES, BatchWriter
from extract.errors import GovReportError, InputError, UsageError
from extract.inputs import expand_inputs
from extract.intake import Claimed, claim_inputs, read_input
from extract.llm.client import Answer
from extract.llm.endpoint import Endpoint, EndpointOptions
from extract.llm.prompting import cache_key
from extract.llm.round import KINDS, ask_llm
from extract.llm.session import LLMSession, NeverCalled
from extract.llm.wire import NOT_SENT, Template, WireClient, shape_of
from extract.process import guarded, read
from extract.schedule import BATCH_DOCS, Workers
from extract.settings import MAX_BYTES_DEFAULT, Settings
from extract.store import DEFAULT_PATH, Store
from extract.template import spec
from extract.template.schema import answer_model

BATCHED = "batched"   # an Answer's failure: the request went into a batch file


@dataclass
class PrepareOptions:
    paths: Sequence[str]
    out: Path
    db: Path = Path(DEFAULT_PATH)
    force: bool = False
    workers: int = 1
    max_bytes: int = MAX_BYTES_DEFAULT
    llm: EndpointOptions = EndpointOptions()
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
    """A rough count for a cost estimate: a character beyond ASCII (Han, full-width punctuation)
    about one token, other text about four characters a token (the providers' tokenizers differ;
    their bills say the real count)."""
    wide = len(text) - len(text.encode("ascii", "ignore"))
    return wide + (len(text) - wide + 3) // 4


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
    return cache_key(sha256, version, endpoint.model, endpoint.mode, kind, endpoint.extra_body)


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


_wires: dict[Endpoint, WireClient] = {}   # a process's clients, made at their first template


def load_client(endpoint: Endpoint) -> WireClient:
    if endpoint not in _wires:
        _wires[endpoint] = WireClient(endpoint)
    return _wires[endpoint]


def warm_client(endpoint: Endpoint) -> None:
    """The SDK loaded and the client made, in the process that will make the templates."""
    load_client(endpoint)


def template_of(endpoint: Endpoint, messages: list, version: str) -> Optional[Template]:
    """The template of this call's shape, made by the client. Run in a process of its own beside
    the workers: loading the SDK there (~0.7 s of CPU) leaves this process free to feed them, and
    that process ends without tearing the SDK down (~0.2 s more here)."""
    return load_client(endpoint).template(messages, answer_model(version))


class _Writer:
    """This process's side: each noted request's body made from its shape's template (made by the
    client in `pool`, once a shape), written unless in flight already, and counted.
    Requests wait in order for their shape's template."""

    MAX_WAITING = 5000   # then this process waits for the template rather than keep more texts

    def __init__(self, endpoint: Endpoint, files: BatchWriter, in_flight: set[str], tally: Prepared,
                 pool: Any) -> None:
        self.endpoint, self.files, self.in_flight, self.tally, self.pool = endpoint, files, in_flight, tally, pool
        self._templates: dict[tuple, Future] = {}
        self._waiting: deque[tuple[str, Noted, tuple]] = deque()
        self._added: dict[tuple, tuple[int, int]] = {}

    def write(self, sha256: str, noted: Noted) -> None:
        shape = shape_of(noted.messages, answer_model(noted.version))
        if shape not in self._templates:
            self._templates[shape] = self.pool.submit(template_of, self.endpoint, noted.messages, noted.version)
        self._waiting.append((sha256, noted, shape))
        self._drain(wait=len(self._waiting) > self.MAX_WAITING)

    def flush(self) -> None:
        """Every waiting request written."""
        self._drain(wait=True)

    def _drain(self, wait: bool) -> None:
        while self._waiting:
            sha256, noted, shape = self._waiting[0]
            template = self._templates[shape]
            if not (wait or template.done()):
                return
            self._waiting.popleft()
            try:
                made = template.result()
            except BrokenExecutor as exc:
                raise GovReportError("the process that makes the request bodies with the LLM client ended (or its "
                                     "error could not be passed back); the requests written so far are kept: run the "
                                     "same command with --workers 1 to see why") from exc
            self._write(sha256, noted, made)

    def _write(self, sha256: str, noted: Noted, template: Optional[Template]) -> None:
        if noted.cache_key in self.in_flight:
            self.tally.in_flight += 1
            return
        model = answer_model(noted.version)
        if template is not None:
            body = template.fill(noted.messages)
        else:   # a shape whose marks the client changes: each of its calls built by the client, here
            body = load_client(self.endpoint).built(noted.messages, model)
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
    endpoint, why = options.llm.resolve()
    if endpoint is None:
        raise UsageError(why.removeprefix("LLM: ").split(";")[0] + ": a batch is written for a model")
    given = expand_inputs(options.paths)
    tally = Prepared(inputs=len(given.paths), missing=given.missing, empty=given.empty, endpoint=endpoint)
    settings = Settings(max_bytes=options.max_bytes, force=options.force)
    begin(len(given.paths))
    with Store(options.db) as store, Workers(options.workers, len(given.paths)) as workers, \
            Workers(1, 0, apart=workers.count > 1) as side:
        def finished(path: Path, lines: list[tuple[str, str, str, str]]) -> None:
            where = str(path.resolve())
            store.prepared_requests([(custom_id, sha, kind, version, where) for custom_id, sha, kind, version in lines])

        files = BatchWriter(options.out, finished, options.max_lines, options.max_file_bytes)
        in_flight = {key for key, file in store.in_flight().items() if Path(file).is_file()}
        writer = _Writer(endpoint, files, in_flight, tally, side.pool)
        if workers.count > 1:   # the side pool is a process of its own
            # loaded at once beside the workers, before the first shape is known (an error is
            # raised by that shape's template, if one is needed)
            side.pool.submit(warm_client, endpoint)
        try:
            pending: list = []
            for start in range(0, len(given.paths), BATCH_DOCS):
                pending.append(_submit(given.paths[start:start + BATCH_DOCS], store, settings, endpoint, workers))
                if len(pending) > 1:
                    _write(pending.pop(0), store, writer, step)
            while pending:
                _write(pending.pop(0), store, writer, step)
            writer.flush()
            files.close()
        except BrokenExecutor as exc:
            files.discard()
            raise GovReportError("a worker process died (killed for lack of memory?); the requests written so far "
                                 "are kept: run the same command again, or with --workers 1") from exc
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
    results = iter([result for call in calls for result in call.result()])
    read_now = {item.sha256: next(results) for item in todo}
    # A document asked about: its answers will be stored against it, before its record is.
    store.add_documents([(item.sha256, item.path, len(item.data), item.data if done.text is None else done.text,
                          done.encoding) for item in todo if (done := read_now[item.sha256]) is not None and done.requests])
    for item in claimed:
        done = read_now.get(item.sha256) if isinstance(item, Claimed) else None
        for noted in done.requests if done is not None else ():
            writer.write(item.sha256, noted)
        step(item.path)
