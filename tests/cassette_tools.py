"""One place for how LLM traffic is recorded and replayed, so recorder and tests agree.

Requests are matched on their body (the prompt, the schema, the parameters), credentials are
stripped, and tests replay with record mode "none": a request no cassette holds is an error.
"""
from __future__ import annotations

from pathlib import Path

import vcr

from extract.llm.endpoint import Endpoint

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
# The local server `govreport serve-local` starts (llama.cpp + Gemma 3 270M), in JSON-schema mode.
LOCAL = Endpoint(base_url="http://127.0.0.1:8765/v1", model="gemma-3-270m-q4_k_m", api_key="sk-no-key",
                 mode="json", max_tokens=1500, timeout_s=900.0)
SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "openai-organization", "openai-project",
                  "cookie", "set-cookie"]


def recorder(record_mode: str = "none") -> vcr.VCR:
    return vcr.VCR(
        record_mode=record_mode,
        match_on=["method", "scheme", "host", "port", "path", "body"],
        filter_headers=SECRET_HEADERS,
        decode_compressed_response=True,
    )


def sample_cassette(stem: str) -> Path:
    return CASSETTES / "pipeline" / f"{stem}.yaml"
