"""The LLM client: the only module that imports openai, instructor and tenacity.

One call = one structured answer (or a clear failure), with everything needed to log it:
the request as sent (no credentials), the raw response, token usage, latency, the error.
Transport faults (429 honouring Retry-After, 5xx, timeouts, dropped connections) are retried
here with a bounded budget; validation re-asks are instructor's (pydantic errors go back to
the model once); an answer cut off by max_tokens is detected and never counted as success.

The SDKs are imported when the first client is made (`sdk`): a run with the LLM off never
loads them. Tests inject an httpx transport and a sleep function instead of a server and a clock.
"""
from __future__ import annotations

import email.utils
import json
import logging
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Callable, Optional

from extract.errors import LLMError, TruncatedOutput
from extract.llm.endpoint import Endpoint
from extract.redact import redact_text

MAX_WAIT_S = 60.0
BAD_ANSWER = "bad_answer"


@lru_cache(maxsize=1)
def llm_stack() -> SimpleNamespace:
    """openai (with its httpx2), instructor and tenacity, loaded once (they are the optional LLM stack)."""
    import httpx2
    import instructor
    import openai
    import tenacity
    from instructor.core import IncompleteOutputException, InstructorRetryException

    # instructor logs every failed attempt at ERROR; the Answer records them, so keep stderr quiet.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    transport = (openai.RateLimitError, openai.InternalServerError, openai.APITimeoutError, openai.APIConnectionError)
    return SimpleNamespace(openai=openai, instructor=instructor, tenacity=tenacity, httpx=httpx2, transport=transport,
                           incomplete=IncompleteOutputException, retry_exhausted=InstructorRetryException)


@dataclass
class Answer:
    """What one LLM call produced; `parsed` is None when it failed (see `error`)."""

    parsed: Any
    request: dict[str, Any]
    response: Optional[dict[str, Any]] = None
    usage: dict[str, int] = field(default_factory=dict)
    latency_s: float = 0.0
    error: Optional[str] = None
    transport_retries: int = 0
    # Why there is no usable answer, as one word: the endpoint failed ('unreachable', 'timeout',
    # 'auth', 'forbidden', 'not_found', 'bad_request', 'rate_limited', 'server'), or what it
    # returned cannot be used (BAD_ANSWER: not a completion, not the schema, cut off).
    failure: Optional[str] = None
    requests: int = 1   # HTTP requests this call made: its transport retries and validation re-asks


class LLMClient:
    def __init__(self, endpoint: Endpoint, http_client: Any = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.endpoint = endpoint
        self._sleep, self._clock = sleep, clock
        sdk = llm_stack()
        # The SDK's own retries are off: tenacity below is the one retry layer, so the budget holds.
        raw = sdk.openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key, max_retries=0,
                                timeout=endpoint.timeout_s, http_client=http_client)
        mode = sdk.instructor.Mode.JSON if endpoint.mode == "json" else sdk.instructor.Mode.TOOLS
        self._client = sdk.instructor.from_openai(raw, mode=mode)

    def ask(self, messages: list[dict[str, str]], response_model: type[Any],
            deadline: Optional[float] = None) -> Answer:
        """One structured answer; never raises for what the server or model did wrong.

        `deadline` (a value of the client's clock) bounds the call and its retries, whatever the server does.
        """
        kwargs: dict[str, Any] = dict(model=self.endpoint.model, messages=messages,
                                      max_tokens=self.endpoint.max_tokens, temperature=0)
        if deadline is not None:
            left = deadline - self._clock()
            if left <= 0:
                return Answer(parsed=None, request={}, error="the document's LLM deadline passed", failure="timeout")
            kwargs["timeout"] = min(self.endpoint.timeout_s, left)
        if self.endpoint.extra_body:
            kwargs["extra_body"] = json.loads(self.endpoint.extra_body)
        if self.endpoint.mode == "json":
            # llama.cpp turns this schema into a grammar; instructor's plain json_object would not.
            kwargs["extra_body"] = {**kwargs.get("extra_body", {}), "response_format": {
                "type": "json_object", "schema": response_model.model_json_schema()}}
        answer = Answer(parsed=None, request={**kwargs, "mode": self.endpoint.mode,
                                              "response_model": response_model.__name__})
        sdk = llm_stack()
        started = time.perf_counter()
        try:
            parsed, completion = self._with_transport_retries(answer, kwargs, response_model, deadline)
            answer.response = completion.model_dump(mode="json")
            answer.usage = _usage(completion)
            _refuse_truncated(completion, self.endpoint.max_tokens)
            answer.parsed = parsed
        except TruncatedOutput as exc:
            answer.error, answer.failure = f"truncated: {exc}", BAD_ANSWER
        except sdk.incomplete as exc:
            answer.response = _dump(getattr(exc, "last_completion", None))
            answer.usage = _usage(getattr(exc, "last_completion", None))
            answer.error, answer.failure = "truncated: the answer hit max_tokens before it was complete", BAD_ANSWER
        except sdk.retry_exhausted as exc:
            answer.response = _dump(exc.last_completion)
            # Every attempt's tokens, the validation re-ask's included.
            answer.usage = _counts(exc.total_usage) or _usage(exc.last_completion)
            answer.requests += max(0, (exc.n_attempts or 1) - 1)
            answer.error = f"invalid answer after {exc.n_attempts} attempts: {_first_failure(exc)}"
            answer.failure = BAD_ANSWER
        except sdk.transport as exc:
            answer.error = f"transport failed after {answer.transport_retries} retries: {type(exc).__name__}: {_one_line(exc)}"
            answer.failure = failure_kind(exc)
        except sdk.openai.APIError as exc:
            answer.error = f"{type(exc).__name__}: {_one_line(exc)}"
            answer.failure = failure_kind(exc)
        answer.latency_s = time.perf_counter() - started
        if answer.error:  # a server may echo the key it refused ('Incorrect API key provided: sk-…')
            answer.error = redact_text(answer.error, [self.endpoint.api_key])
        return answer

    def _with_transport_retries(self, answer: Answer, kwargs: dict[str, Any], model: type[Any],
                                deadline: Optional[float] = None):
        def count(state: Any) -> None:
            answer.transport_retries = state.attempt_number
            answer.requests = state.attempt_number + 1

        sdk = llm_stack()
        tenacity = sdk.tenacity
        started = self._clock()
        budget = self.endpoint.retry_budget_s
        if deadline is not None:
            budget = max(0.0, min(budget, deadline - started))

        def out_of_time(state: Any) -> bool:
            """The retry budget, and the document's deadline, spent (on the client's clock)."""
            return self._clock() - started >= budget

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(_worth_retrying),
            stop=tenacity.stop_after_attempt(self.endpoint.retries + 1) | out_of_time | _refused_twice,
            wait=_wait_for, sleep=self._sleep, before_sleep=count, reraise=True,
        )
        for attempt in retrying:
            with attempt:
                try:
                    return self._client.chat.completions.create_with_completion(
                        response_model=model, max_retries=1, **kwargs)
                except sdk.retry_exhausted as exc:
                    # instructor wraps HTTP errors too: unwrap them, so transport faults reach the
                    # retry loop and a 4xx is reported as what it is, not as a bad answer.
                    if isinstance(exc.__cause__, sdk.openai.APIError) and not exc.failed_attempts:
                        raise exc.__cause__ from None
                    raise
        raise LLMError("unreachable: tenacity returns or raises")  # pragma: no cover


def failure_kind(exc: BaseException) -> str:
    """What an endpoint failure means for the rest of the run, as one word."""
    openai = llm_stack().openai
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "unreachable"
    status = getattr(exc, "status_code", None)
    return {400: "bad_request", 401: "auth", 403: "forbidden", 404: "not_found", 422: "bad_request",
            429: "rate_limited"}.get(status, "server" if isinstance(status, int) and status >= 500 else "bad_request")


def _worth_retrying(exc: BaseException) -> bool:
    """Transport faults may pass; a 4xx (other than 429) says the same thing every time."""
    return isinstance(exc, llm_stack().transport)


def _refused_twice(state: Any) -> bool:
    """A refused connection is retried once: a server that is not listening will not start to."""
    openai = llm_stack().openai
    exc = state.outcome.exception() if state.outcome else None
    return (isinstance(exc, openai.APIConnectionError) and not isinstance(exc, openai.APITimeoutError)
            and state.attempt_number >= 2)


def _wait_for(state: Any) -> float:
    """Retry-After when the server sends it (429/503), else exponential backoff."""
    exc = state.outcome.exception() if state.outcome else None
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    for name in ("retry-after-ms", "retry-after"):
        value = headers.get(name)
        if value:
            seconds = _parse_retry_after(value, milliseconds=name.endswith("ms"))
            if seconds is not None:
                return min(seconds, MAX_WAIT_S)
    return min(2.0 ** (state.attempt_number - 1), MAX_WAIT_S)


def _parse_retry_after(value: str, milliseconds: bool = False) -> Optional[float]:
    try:
        seconds = float(value)
        return seconds / 1000 if milliseconds else seconds
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _refuse_truncated(completion: Any, max_tokens: int) -> None:
    choice = completion.choices[0] if getattr(completion, "choices", None) else None
    reason = getattr(choice, "finish_reason", None)
    used = _usage(completion).get("completion_tokens", 0)
    if reason == "length":
        raise TruncatedOutput(f"finish_reason=length after {used} completion tokens")
    # Some servers (llama.cpp in tool mode) report "tool_calls" even when max_tokens cut the call.
    if used >= max_tokens:
        raise TruncatedOutput(f"{used} completion tokens = max_tokens; the answer is probably cut off")


def _usage(completion: Any) -> dict[str, int]:
    return _counts(getattr(completion, "usage", None))


def _counts(usage: Any) -> dict[str, int]:
    if usage is None:
        return {}
    return {k: int(getattr(usage, k, 0) or 0) for k in ("prompt_tokens", "completion_tokens", "total_tokens")}


def _dump(completion: Any) -> Optional[dict[str, Any]]:
    return completion.model_dump(mode="json") if hasattr(completion, "model_dump") else None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


_EXCEPTION = re.compile(r"<exception>\s*(.*?)\s*</exception>", re.S)


def _first_failure(exc: BaseException) -> str:
    """What was wrong with the answer, in one line: instructor's report of its first attempt, or
    the exception itself."""
    found = _EXCEPTION.search(str(exc))
    return " ".join((found.group(1) if found else str(exc)).split())[:300]
