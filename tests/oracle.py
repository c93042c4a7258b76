"""An OpenAI-compatible server for tests, on 127.0.0.1, that answers from gold files.

It recognises the report in each request by its title line and answers with the gold values
in the LLM's answer shape (built by `extract.schema.llm_answer`, the public helper), as JSON
content (the `json` LLM mode). A `corrupt` function may damage each answer first: that is a
noisy model. Requests are counted.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional

from extract.template.schema import answer_of


def send_json(handler: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
    """Answer a request of a test server with JSON."""
    send_bytes(handler, status, json.dumps(payload, ensure_ascii=False).encode())


def send_bytes(handler: BaseHTTPRequestHandler, status: int, data: bytes) -> None:
    """Answer a request of a test server with these bytes, labelled JSON (whatever they are)."""
    handler.send_response(status)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def answering(status: int, body: bytes) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 (started) that answers every POST with `status` and `body`."""
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            self.rfile.read(int(self.headers.get("content-length") or 0))
            send_bytes(self, status, body)

        def log_message(self, *args):
            pass

    return serve(Handler)


def serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A server of `handler` on 127.0.0.1 (a free port), answering on a thread of its own; its
    OpenAI-style base URL as `.url`."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


class LocalServer:
    """A test server started by `serve` (as self.httpd, its URL as self.url): closed by `close` or
    by leaving a `with` block."""

    httpd: ThreadingHTTPServer
    url: str

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Oracle(LocalServer):
    def __init__(self, golds: dict[str, dict], corrupt: Optional[Callable[[str, dict], dict]] = None) -> None:
        """`golds`: {a line that identifies the report (its title): gold record}."""
        self.golds = golds
        self.corrupt = corrupt
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
                outer.requests += 1
                prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
                send_json(self, 200, outer.answer(prompt))

            def log_message(self, *args):
                pass

        self.httpd = serve(Handler)
        self.url = self.httpd.url

    def answer(self, prompt: str) -> dict:
        name = next((n for n in self.golds if n in prompt), None)
        if name is None:
            content = json.dumps({"year": None, "tables": {}})
        else:
            gold = self.golds[name]
            values = dict(gold["values"])
            if self.corrupt is not None:
                values = self.corrupt(name, values)
            meta = gold["meta"]
            content = json.dumps(answer_of(meta["format"], values, meta["year"], meta.get("agency")),
                                 ensure_ascii=False)
        return {"id": "oracle", "object": "chat.completion", "created": 0, "model": "oracle",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                "usage": {"prompt_tokens": len(prompt), "completion_tokens": len(content),
                          "total_tokens": len(prompt) + len(content)}}
