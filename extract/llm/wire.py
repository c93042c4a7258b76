"""One LLM call's wire traffic without a server: the exact request body the online path sends
(what a batch file carries), and the Answer a completion returned by a batch makes, parsed by the
same client as an online answer. The client's HTTP transport is swapped for one that keeps the
body, and answers with the given completion or with a refusal."""
from __future__ import annotations

from typing import Any, Optional

from extract.llm.client import Answer, LLMClient, _sdk
from extract.llm.endpoint import Endpoint

NOT_SENT = "not sent: written for a batch"


class WireClient:
    """An LLMClient whose requests go nowhere. Not thread-safe: one call at a time."""

    def __init__(self, endpoint: Endpoint) -> None:
        httpx = _sdk().httpx
        self._bodies: list[bytes] = []
        self._reply: Optional[bytes] = None
        self._client = LLMClient(endpoint, http_client=httpx.Client(transport=httpx.MockTransport(self._serve)))

    def _serve(self, request: Any) -> Any:
        httpx = _sdk().httpx
        self._bodies.append(request.content)
        if self._reply is not None and len(self._bodies) == 1:
            return httpx.Response(200, content=self._reply, headers={"content-type": "application/json"})
        # 400: never retried. A re-ask instructor makes after an invalid answer cannot go into a
        # batch that has ended: the answer counts as invalid, as an online one would after its re-ask.
        return httpx.Response(400, json={"error": {"message": NOT_SENT, "type": "invalid_request_error"}})

    def body(self, messages: list[dict[str, str]], response_model: type) -> bytes:
        """The bytes the online path would POST to /chat/completions for this call."""
        self._bodies, self._reply = [], None
        self._client.ask(messages, response_model)
        return self._bodies[0]

    def answer(self, messages: list[dict[str, str]], response_model: type, completion: bytes) -> Answer:
        """The Answer the online path would make of this completion (a chat.completion object)."""
        self._bodies, self._reply = [], completion
        return self._client.ask(messages, response_model)
