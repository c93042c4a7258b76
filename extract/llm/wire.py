"""One LLM call's wire traffic without a server: the exact request body the online path sends
(what a batch file carries), and the Answer a completion returned by a batch makes, parsed by the
same client as an online answer. The client's HTTP transport is swapped for one that keeps the
body, and answers with the given completion or with a refusal."""
from __future__ import annotations

import json
from typing import Any, Callable, NamedTuple, Optional

from extract.llm.client import Answer, LLMClient, llm_stack
from extract.llm.endpoint import Endpoint

NOT_SENT = "not sent: written for a batch"


def _utf8(text: str) -> bytes:
    return json.dumps(text, ensure_ascii=False).encode()


def _ascii(text: str) -> bytes:
    return json.dumps(text).encode()


class Template(NamedTuple):
    """A request body of one shape with a mark where each message's text goes, each mark as the
    client encoded it, and that encoding."""

    raw: bytes
    marks: list[bytes]
    encode: Callable[[str], bytes]

    def fill(self, messages: list[dict[str, str]]) -> bytes:
        raw = self.raw
        for mark, message in zip(self.marks, messages):
            raw = raw.replace(mark, self.encode(message["content"]), 1)
        return raw


def shape_of(messages: list[dict[str, str]], response_model: type) -> tuple:
    """What the body of a call depends on beside its messages' texts."""
    return response_model, tuple(m.get("role") for m in messages), tuple(sorted(set().union(*messages)))


class WireClient:
    """An LLMClient whose requests go nowhere. Not thread-safe: one call at a time."""

    def __init__(self, endpoint: Endpoint) -> None:
        httpx = llm_stack().httpx
        self._bodies: list[bytes] = []
        self._reply: Optional[bytes] = None
        self._templates: dict[tuple, Optional[Template]] = {}
        self._client = LLMClient(endpoint, http_client=httpx.Client(transport=httpx.MockTransport(self._serve)))

    def _serve(self, request: Any) -> Any:
        httpx = llm_stack().httpx
        self._bodies.append(request.content)
        if self._reply is not None and len(self._bodies) == 1:
            return httpx.Response(200, content=self._reply, headers={"content-type": "application/json"})
        # 400: never retried. A re-ask instructor makes after an invalid answer cannot go into a
        # batch that has ended: the answer counts as invalid, as an online one would after its re-ask.
        return httpx.Response(400, json={"error": {"message": NOT_SENT, "type": "invalid_request_error"}})

    def template(self, messages: list[dict[str, str]], response_model: type) -> Optional[Template]:
        """The template of this call's shape; None where the client changes a mark (then each
        call's body is `built`).

        Building a request costs the client ~25 ms (the schema made again each time), ten times
        what reading a report does; what varies between calls of one shape (answer model, roles)
        is only the messages' text. So the client builds each shape once, with a mark for each
        text, and each call's texts take their marks' places, encoded as the client encodes a
        string (found from the mark itself: it holds a non-ASCII character)."""
        shape = shape_of(messages, response_model)
        if shape not in self._templates:
            self._templates[shape] = self._template(messages, response_model)
        return self._templates[shape]

    def built(self, messages: list[dict[str, str]], response_model: type) -> bytes:
        """The body as the client builds it, texts and all."""
        self._bodies, self._reply = [], None
        self._client.ask(messages, response_model)
        return self._bodies[0]

    def _template(self, messages: list[dict[str, str]], response_model: type) -> Optional[Template]:
        marks = [f"\u2603govreport-text-{n}\u2603" for n in range(len(messages))]
        raw = self.built([{**m, "content": mark} for m, mark in zip(messages, marks)], response_model)
        for encode in (_utf8, _ascii):
            encoded = [encode(mark) for mark in marks]
            if all(raw.count(e) == 1 for e in encoded):
                return Template(raw, encoded, encode)
        return None

    def answer(self, messages: list[dict[str, str]], response_model: type, completion: bytes) -> Answer:
        """The Answer the online path would make of this completion (a chat.completion object)."""
        self._bodies, self._reply = [], completion
        return self._client.ask(messages, response_model)
