"""`govreport batch collect`: a batch's output (and error) lines back into the store. Each answer is
parsed by the same client as an online answer (the request it answers is read back from the
prepared file) and kept as an attempt under its cache key: `extract` with the same settings finds
it there and makes no call. A failed line marks its request failed, so the next prepare writes it
again. Each line is stored in a transaction of its own: an interrupted collect loses nothing, and
a line collected twice is stored once."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from extract.batch.files import read_lines
from extract.errors import UsageError
from extract.llm.endpoint import SET_BY_US, Endpoint, extra_body_of
from extract.llm.round import attempt_of
from extract.llm.wire import WireClient
from extract.store import Store
from extract.store.batches import ANSWERED, FAILED, PREPARED
from extract.template.schema import answer_model


@dataclass
class Collected:
    lines: int = 0
    answered: int = 0
    failed: int = 0
    again: int = 0       # collected before (and not written again since): not stored twice
    unknown: int = 0     # a custom_id no prepare of this store wrote
    reasons: dict[str, int] = field(default_factory=dict)   # why lines failed, counted
    usage: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str, count: int = 1) -> None:
        self.failed += count
        self.reasons[reason] = self.reasons.get(reason, 0) + count

    def merge(self, other: "Collected") -> None:
        for name in ("lines", "answered", "failed", "again", "unknown"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.reasons, other.reasons), (self.usage, other.usage)):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count


def collect_files(files: Sequence[Path], store: Store) -> Collected:
    """Every line of these output or error files (OpenAI's batch output format, which `vllm
    run-batch` writes too) into the store."""
    done = Collected()
    requests = _PreparedRequests()
    for path in files:
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        try:
            for number, item in read_lines(path):
                done.lines += 1
                _collect_line(item, store, requests, done)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return done


def _collect_line(item: dict, store: Store, requests: "_PreparedRequests", done: Collected) -> None:
    custom_id = str(item.get("custom_id") or "")
    known = store.batch_request(custom_id)
    if known is None:
        done.unknown += 1
        return
    sha256, kind, version, file, state = known
    if state != PREPARED:   # answered, or failed and not written again since
        done.again += 1
        return
    failure = _failure_of(item)
    if failure is not None:
        with store.transaction():
            store.request_done(custom_id, FAILED, failure)
        done.fail(failure)
        return
    body = requests.body(custom_id, file)
    if body is None:
        raise UsageError(f"the prepared file {file} no longer holds request {custom_id}: it is needed to read the answer")
    sent = body
    completion = json.dumps(item["response"]["body"], ensure_ascii=False).encode()
    answer = requests.wire(sent).answer(sent["messages"], answer_model(version), completion)
    with store.transaction():
        store.add_attempt(sha256, None, **attempt_of(answer, kind, sent["model"], custom_id))
        store.request_done(custom_id, ANSWERED if answer.parsed is not None else FAILED, answer.error)
    if answer.parsed is None:
        done.fail(f"the answer cannot be used: {(answer.error or '')[:120]}")
    else:
        done.answered += 1
    for name, count in (answer.usage or {}).items():
        done.usage[name] = done.usage.get(name, 0) + count


def _failure_of(item: dict) -> Optional[str]:
    """Why a line holds no answer (an error, a status other than 200), or None."""
    error = item.get("error")
    if error:
        return f"{error.get('code') or 'error'}: {error.get('message') or ''}".strip() if isinstance(error, dict) \
            else str(error)
    response = item.get("response")
    if not isinstance(response, dict) or not isinstance(response.get("body"), dict):
        return "the line holds no response"
    status = response.get("status_code", 200)
    if str(status).strip() != "200":
        message = (response["body"].get("error") or {}).get("message", "") if isinstance(
            response["body"].get("error"), dict) else ""
        return f"HTTP {status}" + (f": {message}" if message else "")
    return None


class _PreparedRequests:
    """The prepared files' request bodies, found by an index of each file's lines (a file may hold
    50,000 requests of tens of KB: they are read one at a time); one wire client per model and mode."""

    def __init__(self) -> None:
        self._lines: dict[str, dict[str, tuple[int, int]]] = {}
        self._wires: dict[tuple, WireClient] = {}

    def body(self, custom_id: str, file: str) -> Optional[dict]:
        if file not in self._lines:
            self._lines[file] = _line_index(Path(file))
        where = self._lines[file].get(custom_id)
        if where is None:
            return None
        with open(file, "rb") as handle:
            handle.seek(where[0])
            return json.loads(handle.read(where[1])).get("body") or {}

    def wire(self, sent: dict[str, Any]) -> WireClient:
        """The client that sent this body (its answer's record then says what was asked, the
        extra body's fields included)."""
        mode = "tools" if "tools" in sent else "json"
        extra = {k: v for k, v in sent.items() if k not in SET_BY_US}
        key = (sent["model"], mode, sent.get("max_tokens"), json.dumps(extra, sort_keys=True))
        if key not in self._wires:
            self._wires[key] = WireClient(Endpoint(base_url="http://127.0.0.1:9/v1", model=sent["model"],
                                                   api_key="sk-no-key", mode=mode,
                                                   max_tokens=int(sent.get("max_tokens") or 3000),
                                                   extra_body=extra_body_of(json.dumps(extra)) if extra else ""))
        return self._wires[key]


_CUSTOM_ID = re.compile(rb'^\{"custom_id": "([^"\\]*)"')


def _line_index(path: Path) -> dict[str, tuple[int, int]]:
    """custom_id → (offset, length) of its line in a prepared file (gone: none). The id is read off
    the line's start, where prepare writes it; another writer's line is parsed whole."""
    index: dict[str, tuple[int, int]] = {}
    if not path.is_file():
        return index
    offset = 0
    with open(path, "rb") as handle:
        for line in handle:
            found = _CUSTOM_ID.match(line)
            custom_id = found.group(1).decode() if found else str(json.loads(line).get("custom_id")) if line.strip() else ""
            if custom_id:
                index[custom_id] = (offset, len(line))
            offset += len(line)
    return index
