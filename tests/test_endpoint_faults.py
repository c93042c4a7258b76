"""An LLM endpoint that fails: said once and plainly, bounded in time, noted on each record,
and retried by the next run. Every server here is a small one the test starts on 127.0.0.1."""
from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import REPORTS
from oracle import send_json

from extract.cli import main
from extract.store import Store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    """Answers every request with `status` (or never answers, with status None)."""

    def __init__(self, status):
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                outer.requests += 1
                self.rfile.read(int(self.headers.get("content-length") or 0))
                if status is None:
                    time.sleep(30)  # accepts, and never answers in time
                    return
                send_json(self, status, {"error": {"message": f"status {status}", "type": "x"}})

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _extract(url, db, capsys, *extra):
    started = time.monotonic()
    code = main(["extract", *[str(p) for p in REPORTS], "--db", str(db), "--base-url", url,
                 "--model", "m1", "--llm-mode", "json", *extra])
    elapsed = time.monotonic() - started
    return code, elapsed, capsys.readouterr().err


def _llm_unavailable(db):
    with Store(db) as store:
        return {r["path"]: any(i["code"] == "llm_unavailable" for i in r["issues"]) for r in store.iter_results()}


def test_an_unreachable_endpoint_is_said_once_and_the_run_stays_fast(tmp_path, capsys):
    url = f"http://127.0.0.1:{_free_port()}/v1"
    code, elapsed, err = _extract(url, tmp_path / "s.db", capsys)
    assert code == 0 and elapsed < 15
    assert err.count(f"LLM: cannot reach {url}") == 1
    assert "off for the rest of this run" in err
    assert all(_llm_unavailable(tmp_path / "s.db").values())
    # Fixed or not, the next run does not skip them: their LLM step is not done.
    code, _, err = _extract(url, tmp_path / "s.db", capsys)
    assert "skipped" not in err.split("files in")[1].split("\n")[0]


@pytest.mark.parametrize("status,message", [(401, "401 unauthorized: check the API key"),
                                            (403, "403 forbidden"),
                                            (404, "model 'm1' not found")])
def test_a_bad_key_or_model_is_not_retried(status, message, tmp_path, capsys):
    server = _Server(status)
    try:
        code, elapsed, err = _extract(server.url, tmp_path / "s.db", capsys)
    finally:
        server.close()
    assert code == 0 and elapsed < 15
    assert err.count(message) == 1
    assert server.requests == 1  # not retried, and the breaker stopped the other documents' calls
    assert all(_llm_unavailable(tmp_path / "s.db").values())


def test_a_server_that_never_answers_is_cut_at_the_deadline(tmp_path, capsys):
    server = _Server(None)
    try:
        code, elapsed, err = _extract(server.url, tmp_path / "s.db", capsys, "--deadline", "2", "--timeout", "1")
    finally:
        server.close()
    assert code == 0
    assert elapsed < 3 * 2 + 8  # the breaker opens after three documents cut at their deadline
    assert err.count("no answer from") == 1
    assert all(_llm_unavailable(tmp_path / "s.db").values())


@pytest.mark.parametrize("flag,value", [("--max-mb", "0"), ("--jobs", "-3"), ("--deadline", "0"),
                                        ("--max-tokens", "0")])
def test_impossible_settings_are_refused(flag, value, tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        main(["extract", str(REPORTS[0]), "--db", str(tmp_path / "s.db"), flag, value])
    assert done.value.code == 2
    assert flag in capsys.readouterr().err
