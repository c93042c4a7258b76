"""A provider's batch engine for tests, on 127.0.0.1: the OpenAI files and batches API (upload,
create, retrieve, content) as the openai SDK calls it. A batch runs when it is first asked for
after its creation and ends in the state it is told (completed, expired: half its lines answered,
cancelled, failed); each line is answered by `answer(body)` (a completion), or is an error line
where that raises LookupError. `refuse_batches` makes that many creates answer 500."""
from __future__ import annotations

import email.parser
import email.policy
import json
from http.server import BaseHTTPRequestHandler
from typing import Callable

from oracle import LocalServer, send_bytes, send_json, serve


class BatchServer(LocalServer):
    def __init__(self, answer: Callable[[dict], dict], end: str = "completed") -> None:
        self.answer, self.end = answer, end
        self.files: dict[str, tuple[str, bytes]] = {}
        self.batches: dict[str, dict] = {}
        self.uploads = 0
        self.refuse_batches = 0
        self.headers: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                outer.headers.append(str(self.headers))
                if self.path.endswith("/files"):
                    send_json(self, 200, outer.upload(self.headers["content-type"], body))
                elif self.path.endswith("/batches"):
                    if outer.refuse_batches:
                        outer.refuse_batches -= 1
                        send_json(self, 500, {"error": {"message": "the engine is down"}})
                    else:
                        send_json(self, 200, outer.create(json.loads(body)))
                else:
                    send_json(self, 404, {"error": {"message": f"no {self.path}"}})

            def do_GET(self):  # noqa: N802
                parts = self.path.rstrip("/").split("/")
                if "batches" in parts:
                    send_json(self, 200, outer.retrieve(parts[-1]))
                elif parts[-1] == "content":
                    send_bytes(self, 200, outer.files[parts[-2]][1])
                else:
                    send_json(self, 404, {"error": {"message": f"no {self.path}"}})

            def log_message(self, *args):
                pass

        self.httpd = serve(Handler)
        self.url = self.httpd.url

    def _file(self, name: str, data: bytes) -> dict:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = (name, data)
        return {"id": file_id, "object": "file", "bytes": len(data), "created_at": 0, "filename": name,
                "purpose": "batch", "status": "processed"}

    def upload(self, content_type: str, body: bytes) -> dict:
        self.uploads += 1
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        assert fields["purpose"].get_payload(decode=True) == b"batch"
        return self._file(fields["file"].get_filename() or "upload.jsonl", fields["file"].get_payload(decode=True))

    def create(self, asked: dict) -> dict:
        assert asked["endpoint"] == "/v1/chat/completions" and asked["completion_window"] == "24h"
        batch_id = f"batch_{len(self.batches) + 1}"
        self.batches[batch_id] = {"id": batch_id, "object": "batch", "endpoint": asked["endpoint"],
                                  "input_file_id": asked["input_file_id"], "completion_window": "24h",
                                  "status": "validating", "created_at": 0, "output_file_id": None,
                                  "error_file_id": None, "request_counts": {"total": 0, "completed": 0, "failed": 0}}
        return self.batches[batch_id]

    def retrieve(self, batch_id: str) -> dict:
        batch = self.batches[batch_id]
        if batch["status"] == "validating":
            batch["status"] = "in_progress"     # asked once while it runs
        elif batch["status"] == "in_progress":
            self._run(batch)
        return batch

    def _run(self, batch: dict) -> None:
        lines = [json.loads(line) for line in self.files[batch["input_file_id"]][1].splitlines() if line.strip()]
        answered = {"completed": lines, "expired": lines[:len(lines) // 2]}.get(self.end, [])
        out, errors = [], []
        for n, request in enumerate(answered):
            try:
                out.append({"id": f"r{n}", "custom_id": request["custom_id"], "error": None,
                            "response": {"status_code": 200, "request_id": f"q{n}", "body": self.answer(request["body"])}})
            except LookupError as exc:
                errors.append({"id": f"r{n}", "custom_id": request["custom_id"], "error": None,
                               "response": {"status_code": 500, "request_id": f"q{n}",
                                            "body": {"error": {"message": str(exc)}}}})
        batch["request_counts"] = {"total": len(lines), "completed": len(out), "failed": len(errors)}
        batch["status"] = self.end
        for rows, field in ((out, "output_file_id"), (errors, "error_file_id")):
            if rows:
                data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
                batch[field] = self._file(f"{batch['id']}{field}.jsonl", data)["id"]
