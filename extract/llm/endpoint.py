"""Which LLM endpoint to use, from flags and environment variables. No network, no openai.

The LLM is on only when a model is named (--model or GOVREPORT_MODEL) and there is somewhere
to send it (a base URL or an API key): an OPENAI_API_KEY left in the environment for other
tools must not start paid calls by itself.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Mapping, Optional

from extract.errors import UsageError
from extract.redact import redact_url

MODES = ("tools", "json")
# What the client sets itself: an extra body field may not change these.
SET_BY_US = frozenset({"model", "messages", "max_tokens", "max_completion_tokens", "n", "temperature", "tools",
                        "tool_choice", "response_format", "stream"})


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def extra_body_of(text: str) -> str:
    """Fields to add to every request's body (a provider's own switches, such as DashScope's
    `enable_thinking`): a JSON object, given back in one canonical spelling (the cache key holds
    it). Raises UsageError for anything else."""
    try:
        fields = json.loads(text, parse_constant=_no_constant)
        canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
        canonical.encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:   # NaN, 1e400 (inf), a lone surrogate: nothing a server reads
        raise UsageError(f"the extra body is not JSON a request can carry ({getattr(exc, 'msg', exc)}): "
                         f"{text[:80]}") from None
    if not isinstance(fields, dict):
        raise UsageError(f"the extra body must be a JSON object of fields, not {text[:80]}")
    clash = sorted(SET_BY_US & set(fields))
    if clash:
        raise UsageError(f"the extra body may not set {', '.join(clash)}: govreport sets them")
    return canonical if fields else ""


@dataclass(frozen=True)
class Endpoint:
    base_url: Optional[str]     # None: the OpenAI default
    model: str
    api_key: str
    mode: str = "tools"         # "tools" for OpenAI-style servers; "json" (schema in response_format) for llama.cpp
    max_tokens: int = 3000
    timeout_s: float = 180.0
    retries: int = 4            # transport retries (429, 5xx, timeouts), on top of the first try
    retry_budget_s: float = 300.0
    extra_body: str = ""        # a JSON object of fields added to every request's body (extra_body_of)

    @property
    def where(self) -> str:
        """The server's URL as it may be said and stored: without a user:password in it."""
        return redact_url(self.base_url or "https://api.openai.com/v1")

    def describe(self) -> str:
        extra = f"; body adds {self.extra_body}" if self.extra_body else ""
        return f"{self.model} at {self.where} ({self.mode} mode{extra})"


def resolve_endpoint(base_url: Optional[str] = None, model: Optional[str] = None, api_key: Optional[str] = None,
                     mode: Optional[str] = None, env: Mapping[str, str] = os.environ, server_needed: bool = True,
                     extra_body: Optional[str] = None, timeout_s: Optional[float] = None,
                     max_tokens: Optional[int] = None) -> tuple[Optional[Endpoint], str]:
    """The endpoint and a one-line description, or (None, why the LLM is off). Without
    `server_needed` (answers from the cache only) a model and a mode are enough. A bad
    `extra_body` (or GOVREPORT_EXTRA_BODY) is bad usage: a run would ask other than told."""
    base_url = base_url or env.get("OPENAI_BASE_URL") or None
    model = model or env.get("GOVREPORT_MODEL") or None
    api_key = api_key or env.get("OPENAI_API_KEY") or None
    mode = (mode or env.get("GOVREPORT_LLM_MODE") or "tools").lower()
    if mode not in MODES:
        return None, f"LLM: off (unknown mode {mode!r}; use one of {', '.join(MODES)})"
    if not model:
        return None, ("LLM: off (no model configured: pass --model or set GOVREPORT_MODEL, with --base-url/"
                      "OPENAI_BASE_URL or an API key); using the deterministic parsers only.")
    if not base_url and not api_key and server_needed:
        return None, (f"LLM: off (model {model} but no endpoint: pass --base-url or set OPENAI_BASE_URL, "
                      "or an API key for OpenAI); using the deterministic parsers only.")
    # Local servers check no key, but the openai client insists on one.
    extra = extra_body_of((extra_body if extra_body is not None else env.get("GOVREPORT_EXTRA_BODY")) or "{}")
    endpoint = Endpoint(base_url=base_url, model=model, api_key=api_key or "sk-no-key", mode=mode, extra_body=extra,
                        timeout_s=Endpoint.timeout_s if timeout_s is None else timeout_s,
                        max_tokens=Endpoint.max_tokens if max_tokens is None else max_tokens)
    return endpoint, f"LLM: on, {endpoint.describe()}"


@dataclass(frozen=True)
class EndpointOptions:
    """What a command was told of the LLM (`extract` and `batch prepare` alike); the environment
    fills in the rest when it is resolved."""

    base_url: Optional[str] = None
    model: Optional[str] = None
    api_key: Optional[str] = None
    mode: Optional[str] = None
    extra_body: Optional[str] = None
    max_tokens: Optional[int] = None

    def resolve(self, server_needed: bool = True, timeout_s: Optional[float] = None) -> tuple[Optional[Endpoint], str]:
        return resolve_endpoint(self.base_url, self.model, self.api_key, self.mode, server_needed=server_needed,
                                extra_body=self.extra_body, timeout_s=timeout_s, max_tokens=self.max_tokens)
