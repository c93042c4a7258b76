"""An LLM endpoint that fails: said once and plainly, bounded in time, noted on each record,
and retried by the next run.

Each kind of fault once through a real socket (a small server the test starts on 127.0.0.1, or
none listening); the rest through a transport and a clock injected into the client, which
answer at once and wait for nothing.
"""
from __future__ import annotations

import socket
import time
from http.server import BaseHTTPRequestHandler

import httpx2
import pytest
from conftest import REPORTS
from oracle import LocalServer, send_json, serve

from extract.cli import main
from extract.llm.client import LLMClient
from extract.llm.endpoint import Endpoint
from extract.llm.session import LLMSession
from extract.schedule import process_paths
from extract.store import Store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server(LocalServer):
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

        self.httpd = serve(Handler)
        self.url = self.httpd.url


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


def test_a_bad_key_is_not_retried(tmp_path, capsys):
    server = _Server(401)
    try:
        code, elapsed, err = _extract(server.url, tmp_path / "s.db", capsys)
    finally:
        server.close()
    assert code == 0 and elapsed < 15
    assert err.count("401 unauthorized: check the API key") == 1
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
    # What was done is said as it was: three calls made (with their retries), all failed, and the
    # records say the LLM was asked and gave nothing usable (the rest: that it was not asked).
    assert "LLM: 3 calls (" in err and "3 failed)" in err
    with Store(tmp_path / "s.db") as store:
        notes = sorted(i["message"].split(":")[0] for r in store.iter_results() for i in r["issues"]
                       if i["code"] == "llm_unavailable")
    assert notes == ["no usable answer from the LLM (1 call)"] * 3 + ["the LLM was not asked"] * (len(REPORTS) - 3)


class _Clock:
    """Time that passes only when the client sleeps or the transport says a call took long."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _injected(handler, tmp_path, **endpoint):
    """The samples through a run whose client talks to `handler` on the injected clock: the
    records, the notices said, and the requests made."""
    clock, requests = _Clock(), []

    def counted(request):
        requests.append(request)
        return handler(request, clock)

    config = Endpoint(base_url="http://llm.invalid/v1", model="m1", api_key="sk-no-key", mode="json", **endpoint)
    client = LLMClient(config, http_client=httpx2.Client(transport=httpx2.MockTransport(counted)), sleep=clock.sleep,
                       clock=clock)
    session = LLMSession(config, client, deadline_s=20.0, clock=clock)
    notices = []
    with Store(tmp_path / "s.db") as store:
        for _ in process_paths(REPORTS, store, store.begin_run([], {}), llm=session):
            notices += session.notices()
        records = list(store.iter_results())
    return records, notices, requests, clock


@pytest.mark.parametrize("status,message", [(401, "401 unauthorized: check the API key"),
                                            (403, "403 forbidden: the API key may not use model 'm1'"),
                                            (404, "model 'm1' not found at http://llm.invalid/v1 (404)")])
def test_a_bad_key_or_model_is_said_once_and_never_retried(status, message, tmp_path):
    def refuse(request, clock):
        return httpx2.Response(status, json={"error": {"message": f"status {status}", "type": "x"}})

    records, notices, requests, clock = _injected(refuse, tmp_path)
    assert len(requests) == 1 and clock.now == 1000.0  # not retried; the breaker stops the others' calls
    assert notices[0] == f"LLM: {message}" and sum(message in n for n in notices) == 1
    assert all(any(i["code"] == "llm_unavailable" for i in r["issues"]) for r in records)
    assert len(records) == len(REPORTS)


def test_a_server_that_never_answers_costs_each_document_its_deadline_at_most(tmp_path):
    def too_slow(request, clock):
        clock.now += 15.0  # the call's timeout passes
        raise httpx2.ReadTimeout("timed out", request=request)

    records, notices, requests, clock = _injected(too_slow, tmp_path, timeout_s=15.0, retries=4)
    # Each document's call is retried until its deadline (20 s) has passed, then the next one's;
    # after three such documents the breaker turns the LLM off: no time is spent on the others.
    assert len(requests) == 3 * 2 and clock.now - 1000.0 <= 3 * (20.0 + 15.0)
    assert sum(n.startswith("LLM: no answer from http://llm.invalid/v1 in time") for n in notices) == 1
    assert any("off for the rest of this run" in n for n in notices)
    assert all(any(i["code"] == "llm_unavailable" for i in r["issues"]) for r in records)


def test_a_rate_limit_is_waited_out_as_the_server_asks(tmp_path):
    def limited_once(request, clock):
        if clock.now == 1000.0:
            return httpx2.Response(429, headers={"retry-after": "7"}, json={"error": {"message": "slow down"}})
        return httpx2.Response(500, json={"error": {"message": "still broken"}})

    records, notices, requests, clock = _injected(limited_once, tmp_path, retries=1)
    assert clock.sleeps[0] == 7.0  # what Retry-After said; then the 5xx spent each call's retries
    assert len(requests) == 3 * 2 and sum("keeps failing (5xx)" in n for n in notices) == 1


@pytest.mark.parametrize("flag,value", [("--max-mb", "0"), ("--jobs", "-3"), ("--deadline", "0"),
                                        ("--max-tokens", "0")])
def test_impossible_settings_are_refused(flag, value, tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        main(["extract", str(REPORTS[0]), "--db", str(tmp_path / "s.db"), flag, value])
    assert done.value.code == 2
    assert flag in capsys.readouterr().err
