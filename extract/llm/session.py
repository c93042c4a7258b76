"""One run's LLM session: the endpoint and its client, and what the run has learned of it.

Shared by the run's worker threads. It bounds each document's LLM time (a deadline, whatever
the server does), turns the LLM off for the rest of the run when the endpoint keeps failing
(a circuit breaker: at once for a bad key or an unknown model, after a few documents for an
unreachable or failing server), and words each kind of failure once, plainly, for the CLI.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Optional

from extract.llm.client import LLMClient
from extract.llm.endpoint import Endpoint
from extract.llm.prompting import cache_key
from extract.redact import redact_text

DOCUMENT_DEADLINE_S = 240.0   # all the LLM calls of one document, retries included
BREAKER_AFTER = 3             # consecutive failed calls that turn the LLM off for the run
_FATAL = frozenset({"auth", "forbidden", "not_found"})  # the same answer every time: stop at once


def describe_failure(kind: str, endpoint: Endpoint, detail: str = "", deadline_s: float = DOCUMENT_DEADLINE_S) -> str:
    where = endpoint.where
    detail = redact_text(detail, [endpoint.api_key])
    return {
        "unreachable": f"cannot reach {where}: connection refused or no route",
        "timeout": f"no answer from {where} in time (per call {endpoint.timeout_s:g} s; "
                   f"per document {deadline_s:g} s)",
        "auth": "401 unauthorized: check the API key",
        "forbidden": f"403 forbidden: the API key may not use model '{endpoint.model}'",
        "not_found": f"model '{endpoint.model}' not found at {where} (404)",
        "rate_limited": f"{where} keeps answering 429 (rate limited)",
        "server": f"{where} keeps failing (5xx)",
        "bad_request": f"{where} rejected the request (400): {detail[:120]}",
        "bad_answer": f"{where} answered, but with nothing usable: {detail[:160]}",
    }.get(kind, f"{kind}: {detail[:120]}")


class LLMSession:
    """The configured endpoint and its client, shared by the run's worker threads."""

    def __init__(self, endpoint: Endpoint, client: Optional[Any] = None, deadline_s: float = DOCUMENT_DEADLINE_S,
                 breaker_after: int = BREAKER_AFTER, clock: Callable[[], float] = time.monotonic) -> None:
        self.endpoint = endpoint
        self.client = client if client is not None else LLMClient(endpoint, clock=clock)
        self.clock = clock
        self.deadline_s = deadline_s
        self.breaker_after = breaker_after
        self.off_reason: Optional[str] = None
        self._lock = threading.Lock()
        self._consecutive = 0
        self._said: set[str] = set()
        self._notices: list[str] = []

    @classmethod
    def cache_only(cls, endpoint: Endpoint) -> "LLMSession":
        """A session that takes answers from the store's cache and asks nothing: off from the start,
        so a document without a cached answer is noted `llm_unavailable`, as when the LLM fails."""
        session = cls(endpoint, client=NeverCalled())
        session.off_reason = ("its answer is not in the answer cache (--cached-only: `govreport batch prepare` "
                              "writes the request, `batch collect` stores the answer)")
        return session

    def cache_key(self, sha: str, version: str, kind: str) -> str:
        return cache_key(sha, version, self.endpoint.model, self.endpoint.mode, kind, self.endpoint.extra_body)

    def describe(self, failure: str, detail: str = "") -> str:
        return describe_failure(failure, self.endpoint, detail, self.deadline_s)

    def deadline(self) -> float:
        """When the document that starts now must be done with the LLM (on the session's clock)."""
        return self.clock() + self.deadline_s

    def ask(self, messages: list, model: type, deadline: float, cache_key: str = "") -> Any:
        """One call through the client, counted for the breaker; `cache_key` names the answer
        (a batch session writes the request under it instead of sending it)."""
        answer = self.client.ask(messages, model, deadline=deadline)
        self.record(getattr(answer, "failure", None), getattr(answer, "error", None) or "")
        return answer

    def record(self, failure: Optional[str], detail: str = "") -> None:
        with self._lock:
            if failure is None:
                self._consecutive = 0
                return
            self._consecutive += 1
            message = self.describe(failure, detail)
            if failure not in self._said:
                self._said.add(failure)
                self._notices.append(f"LLM: {message}")
            if self.off_reason is None and (failure in _FATAL or self._consecutive >= self.breaker_after):
                self.off_reason = message
                self._notices.append(f"LLM: off for the rest of this run ({self._consecutive} failed call"
                                     f"{'s' if self._consecutive != 1 else ''} in a row); the records are marked "
                                     "llm_unavailable and the next run retries them")

    def notices(self) -> list[str]:
        """What to tell the user since the last call: each kind of failure once."""
        with self._lock:
            out, self._notices = self._notices, []
        return out


class NeverCalled:
    """The client of a session that makes no call (cache only; noting requests for a batch)."""
