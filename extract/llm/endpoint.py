"""Which LLM endpoint to use, from flags and environment variables. No network, no openai.

The LLM is on only when a model is named (--model or GOVREPORT_MODEL) and there is somewhere
to send it (a base URL or an API key): an OPENAI_API_KEY left in the environment for other
tools must not start paid calls by itself.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional

from extract.redact import redact_url

MODES = ("tools", "json")


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

    @property
    def where(self) -> str:
        """The server's URL as it may be said and stored: without a user:password in it."""
        return redact_url(self.base_url or "https://api.openai.com/v1")

    def describe(self) -> str:
        return f"{self.model} at {self.where} ({self.mode} mode)"


def resolve_endpoint(base_url: Optional[str] = None, model: Optional[str] = None, api_key: Optional[str] = None,
                     mode: Optional[str] = None, env: Mapping[str, str] = os.environ, server_needed: bool = True,
                     **limits: float) -> tuple[Optional[Endpoint], str]:
    """The endpoint and a one-line description, or (None, why the LLM is off). Without
    `server_needed` (answers from the cache only) a model and a mode are enough."""
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
    endpoint = Endpoint(base_url=base_url, model=model, api_key=api_key or "sk-no-key", mode=mode,
                        **{k: v for k, v in limits.items() if v is not None})
    return endpoint, f"LLM: on, {endpoint.describe()}"
