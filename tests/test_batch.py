"""`govreport batch`: the LLM's requests written for a provider's batch engine, answered offline
(by the test oracle, converting the file as `vllm run-batch` does), collected into the answer
cache, and then `extract` makes no online call and stores what an online run stores."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
from contextlib import closing
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import REPORTS, corpus_files
from batch_server import BatchServer
from oracle import LocalServer, Oracle, send_json, serve
from test_llm_oracle import TEXT_REPORTS, _gold, _title

from extract.batch import prepare as prepare_module
from extract.cli import main
from extract.llm.endpoint import EndpointOptions
from extract.packing import load_json
from extract.store import Store

MODEL = ["--model", "oracle", "--llm-mode", "json"]
EVERY_REPORT = corpus_files("*") + REPORTS   # text, markdown, HTML and PDF


def run_batch_like_vllm(prepared: Path, output: Path, answer) -> None:
    """What `vllm run-batch -i prepared -o output` writes: a line per request, its completion as the
    response body; `answer(body)` gives the completion (or raises to make the line an error)."""
    with open(output, "w", encoding="utf-8") as out:
        for number, raw in enumerate(prepared.read_text(encoding="utf-8").splitlines()):
            request = json.loads(raw)
            try:
                line = {"id": f"vllm-{number}", "custom_id": request["custom_id"], "error": None,
                        "response": {"status_code": 200, "request_id": f"vllm-batch-{number}",
                                     "body": answer(request["body"])}}
            except LookupError as exc:
                line = {"id": f"vllm-{number}", "custom_id": request["custom_id"], "response": None,
                        "error": {"code": "server_error", "message": str(exc)}}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


def oracle_answer(oracle: Oracle):
    """The oracle's completion for a request body: its JSON as content, or as the call of the
    request's tool where the request offers one (tools mode)."""
    def answer(body: dict) -> dict:
        completion = oracle.answer("\n".join(str(m.get("content", "")) for m in body["messages"]))
        if body.get("tools"):
            message = completion["choices"][0]["message"]
            completion["choices"][0] = {"index": 0, "finish_reason": "tool_calls", "message": {
                "role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {
                    "name": body["tools"][0]["function"]["name"], "arguments": message["content"]}}]}}
        return completion
    return answer


def prepare(inputs, db: Path, out: Path, *more: str) -> list[Path]:
    before = set(out.glob("batch-*.jsonl")) if out.exists() else set()
    assert main(["batch", "prepare", *map(str, inputs), "--out", str(out), "--db", str(db),
                 "--base-url", "http://127.0.0.1:9/v1", *MODEL, *more]) == 0
    return sorted(set(out.glob("batch-*.jsonl")) - before)


def collect(db: Path, *files: Path) -> None:
    assert main(["batch", "collect", "--db", str(db), *[a for f in files for a in ("--file", str(f))]]) == 0


def records(db: Path) -> dict[str, dict]:
    """Each path's record as `export` would give it, without what differs from run to run."""
    with Store(db) as store:
        out = {}
        for record in store.iter_results():
            for key in ("run_id", "updated_at"):
                record.pop(key, None)
            for issue in record.get("issues", []):
                issue.pop("id", None)
            out[Path(record["path"]).name] = record
    return out


class Recording(LocalServer):
    """A server on 127.0.0.1 that keeps each request's body as received and answers as the oracle."""

    def __init__(self, oracle: Oracle) -> None:
        self.bodies: list[bytes] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                outer.bodies.append(body)
                send_json(self, 200, oracle_answer(oracle)(json.loads(body)))

            def log_message(self, *args):
                pass

        self.httpd = serve(Handler)
        self.url = self.httpd.url


def bodies(prepared: Path) -> list[bytes]:
    """The request bodies of a prepared file, as its lines carry them (not decoded)."""
    out = []
    for line in prepared.read_bytes().splitlines():
        head = json.loads(line)
        assert head["method"] == "POST" and head["url"] == "/v1/chat/completions" and line.endswith(b"}")
        out.append(line[line.index(b'"body": ') + len(b'"body": '):-1])
    return out


def batch_rounds(inputs, db: Path, out: Path, answer, *more: str) -> list[list[Path]]:
    """prepare → answered offline as `vllm run-batch` would → collect, until nothing is left to send."""
    rounds = []
    while True:
        files = prepare(inputs, db, out, *more)
        if not files:
            return rounds
        rounds.append(files)
        for f in files:
            run_batch_like_vllm(f, f.with_suffix(".out.jsonl"), answer)
        collect(db, *[f.with_suffix(".out.jsonl") for f in files])
        assert len(rounds) <= 2, "a document is asked at most twice: its first answer and one re-ask"


@pytest.mark.parametrize("mode,workers,extra", [("json", "1", None), ("tools", "1", None), ("json", "2", None),
                                                ("tools", "2", '{"enable_thinking": false, "seed": 7}')])
def test_every_prepared_body_is_an_online_request_byte_for_byte(tmp_path, mode, workers, extra):
    """Both rounds: the first questions, and the re-asks that quote the verifier's issues; the
    shapes' templates made here (one worker) and in a process of their own (workers); a
    provider's own fields (--extra-body) in both."""
    more = ["--extra-body", extra] if extra else []
    golds = {_title(p): _gold(p) for p in TEXT_REPORTS}
    with Oracle(golds) as oracle:
        server = Recording(oracle)
        try:
            assert main(["extract", *map(str, TEXT_REPORTS), "--db", str(tmp_path / "online.db"),
                         "--base-url", server.url, "--model", "oracle", "--llm-mode", mode, *more]) == 0
        finally:
            server.close()
        rounds = batch_rounds(TEXT_REPORTS, tmp_path / "batch.db", tmp_path / "out", oracle_answer(oracle),
                              "--llm-mode", mode, "--workers", workers, *more)
    written = [body for files in rounds for f in files for body in bodies(f)]
    assert len(rounds) == 2 and sorted(written) == sorted(server.bodies)
    sent = [json.loads(body) for body in server.bodies]
    assert all((b.get("enable_thinking"), b.get("seed")) == ((False, 7) if extra else (None, None)) for b in sent)
    # a collected answer's record says what was asked, as an online one's
    with closing(sqlite3.connect(tmp_path / "batch.db")) as db:
        asked = [load_json(row[0]) for row in db.execute("SELECT request FROM attempts WHERE error IS NULL")]
    assert asked and all(a.get("extra_body", {}).get("seed") == (7 if extra else None) for a in asked)


def test_batch_rounds_give_the_online_records_with_no_online_call(tmp_path):
    golds = {_title(p): _gold(p) for p in EVERY_REPORT}
    assert len(golds) == len(EVERY_REPORT)   # the oracle tells every report apart by its title
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in EVERY_REPORT:
        shutil.copy(path, inputs / path.name)
    with Oracle(golds) as oracle:
        assert main(["extract", str(inputs), "--db", str(tmp_path / "online.db"), "--base-url", oracle.url,
                     *MODEL]) == 0
        online_calls = oracle.requests
        oracle.requests = 0
        db = tmp_path / "batch.db"
        rounds = [sum(len(bodies(f)) for f in files) for files in batch_rounds([inputs], db, tmp_path / "out",
                                                                                 oracle_answer(oracle))]
        assert oracle.requests == 0      # the files were answered offline
        assert main(["extract", str(inputs), "--db", str(db), "--base-url", oracle.url, *MODEL]) == 0
        assert oracle.requests == 0      # every answer came from the collected cache
    assert rounds[0] == len(EVERY_REPORT) and sum(rounds) == online_calls
    assert len(rounds) == 2              # some first answers were re-asked, as online
    assert records(db) == records(tmp_path / "online.db")


def test_failed_lines_are_prepared_again_and_a_second_collect_stores_nothing_twice(tmp_path, capsys, monkeypatch):
    reports = REPORTS[:3]
    golds = {_title(p): _gold(p) for p in reports}
    db, out = tmp_path / "s.db", tmp_path / "out"
    (prepared,) = prepare(reports, db, out)
    ids = [json.loads(line)["custom_id"] for line in prepared.read_text(encoding="utf-8").splitlines()]
    broken_title = _title(reports[1])

    def answer(body):
        prompt = "\n".join(str(m.get("content", "")) for m in body["messages"])
        if broken_title in prompt:
            raise LookupError("the engine failed this line")
        if _title(reports[2]) in prompt:    # a completion whose content is not the schema
            return {**oracle.answer(prompt), "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": "{\"year\": \"soon\"}"}}]}
        return oracle.answer(prompt)

    with Oracle(golds) as oracle:
        output = tmp_path / "out.jsonl"
        run_batch_like_vllm(prepared, output, answer)
    capsys.readouterr()
    collect(db, output)
    said = capsys.readouterr().err
    assert "3 lines: 1 answered, 2 failed, 0 collected before" in said and "the engine failed this line" in said
    with Store(db) as store:
        attempts = store._run("SELECT COUNT(*) FROM attempts").fetchone()[0]
        assert [store.batch_request(i)[4] for i in ids] == ["answered", "failed", "failed"]
    collect(db, output)                              # the same file again
    assert "3 lines: 0 answered, 0 failed, 3 collected before" in capsys.readouterr().err
    with Store(db) as store:
        assert store._run("SELECT COUNT(*) FROM attempts").fetchone()[0] == attempts
    (again,) = prepare(reports, db, out)             # the failed ones again, not the answered one
    written = [json.loads(line)["custom_id"] for line in again.read_text(encoding="utf-8").splitlines()]
    assert set(ids[1:]) <= set(written) and ids[0] not in written
    assert len(written) <= 3                         # and the answered one's re-ask, if its answer has issues
    assert prepare(reports, db, out) == []           # in flight now: not written a third time
    # Extracted from the cache alone (no server named): the answered report takes its answer, the
    # others keep the parsers' reading, noted llm_unavailable, for the next round.
    capsys.readouterr()
    for variable in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(variable, raising=False)
    assert main(["extract", *map(str, reports), "--db", str(db), "--model", "oracle", "--llm-mode", "json",
                 "--cached-only"]) == 0
    said = capsys.readouterr().err
    assert "from the answer cache only" in said and "LLM: 0 calls" in said
    unavailable = {name: any(i["code"] == "llm_unavailable" for i in r["issues"]) for name, r in records(db).items()}
    assert unavailable == {reports[0].name: unavailable[reports[0].name], reports[1].name: True, reports[2].name: True}


def test_prepare_splits_files_and_says_the_cost(tmp_path, capsys):
    files = prepare(REPORTS, tmp_path / "s.db", tmp_path / "out", "--max-lines", "2", "--price-in", "2",
                    "--price-out", "8")
    assert [len(f.read_text(encoding="utf-8").splitlines()) for f in files] == [2, 2, 1]
    said = capsys.readouterr().err
    assert f"{len(REPORTS)} requests written" in said and "cost: about" in said
    assert not list((tmp_path / "out").glob("*.part"))


def test_prepare_needs_a_model(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GOVREPORT_MODEL", raising=False)
    assert main(["batch", "prepare", str(REPORTS[0]), "--out", str(tmp_path / "out"), "--db",
                 str(tmp_path / "s.db")]) == 2
    assert "no model configured" in capsys.readouterr().err


# --- through a provider's files and batches API (tests/batch_server.py) ---------------------------

def provider(server: BatchServer, *more: str) -> list[str]:
    return ["--base-url", server.url, "--api-key", "sk-batch-secret-0042", *more]


def test_submit_status_collect_through_the_api_then_extract_makes_no_call(tmp_path, capsys):
    reports = REPORTS
    golds = {_title(p): _gold(p) for p in reports}
    db, out = tmp_path / "batch.db", tmp_path / "out"
    with Oracle(golds) as oracle, BatchServer(oracle_answer(oracle)) as server:
        assert main(["extract", *map(str, reports), "--db", str(tmp_path / "online.db"), "--base-url", oracle.url,
                     *MODEL]) == 0
        oracle.requests = 0
        for _round in range(3):
            if not prepare(reports, db, out):
                break
            assert main(["batch", "submit", str(out), "--db", str(db), *provider(server)]) == 0
            capsys.readouterr()
            assert main(["batch", "collect", "--db", str(db), *provider(server)]) == 0   # still running
            assert "still running: batch-" in capsys.readouterr().err
            assert main(["batch", "status", "--db", str(db), *provider(server)]) == 0
            assert "\tcompleted\t" in capsys.readouterr().out
            assert main(["batch", "collect", "--db", str(db), *provider(server)]) == 0
            assert "0 failed" in capsys.readouterr().err
        assert main(["batch", "submit", str(out), "--db", str(db), *provider(server)]) == 0
        assert server.uploads == len(server.batches) == _round   # each file once, however often submitted
        assert main(["extract", *map(str, reports), "--db", str(db), "--base-url", oracle.url, *MODEL]) == 0
        assert oracle.requests == 0
    assert records(db) == records(tmp_path / "online.db")
    assert b"sk-batch-secret-0042" not in db.read_bytes()
    assert all("Bearer sk-batch-secret-0042" in h for h in server.headers)   # the key was sent, to the provider only


@pytest.mark.parametrize("end", ["expired", "cancelled", "failed"])
def test_requests_a_batch_did_not_answer_are_prepared_again(tmp_path, capsys, end):
    golds = {_title(p): _gold(p) for p in REPORTS}
    db, out = tmp_path / "s.db", tmp_path / "out"
    with Oracle(golds) as oracle, BatchServer(oracle_answer(oracle), end=end) as server:
        (first,) = prepare(REPORTS, db, out)
        ids = [json.loads(line)["custom_id"] for line in first.read_text(encoding="utf-8").splitlines()]
        assert main(["batch", "submit", str(out), "--db", str(db), *provider(server)]) == 0
        assert main(["batch", "status", "--db", str(db), *provider(server)]) == 0
        capsys.readouterr()
        assert main(["batch", "collect", "--db", str(db), *provider(server)]) == 0
        answered = len(ids) // 2 if end == "expired" else 0
        assert f"{answered} answered, {len(ids) - answered} failed" in capsys.readouterr().err
    with Store(db) as store:
        assert store.batch_counts() == {k: v for k, v in (("answered", answered), ("failed", len(ids) - answered)) if v}
    again = prepare(REPORTS, db, out)
    written = {json.loads(line)["custom_id"] for f in again for line in f.read_text(encoding="utf-8").splitlines()}
    assert set(ids[answered:]) <= written and not set(ids[:answered]) & written


def test_an_interrupted_submit_goes_on_without_uploading_again(tmp_path, capsys):
    db, out = tmp_path / "s.db", tmp_path / "out"
    prepare(REPORTS[:2], db, out)
    capsys.readouterr()
    with BatchServer(lambda body: {}) as server:
        server.refuse_batches = 3                   # the SDK's two retries too
        assert main(["batch", "submit", str(out), "--db", str(db), *provider(server)]) == 3
        err = capsys.readouterr().err
        assert "create the batch of batch-0001.jsonl" in err and len(err.strip().splitlines()) == 1
        assert "sk-batch-secret-0042" not in err
        assert main(["batch", "submit", str(out), "--db", str(db), *provider(server)]) == 0
        assert server.uploads == 1 and list(server.batches) == ["batch_1"]


def test_an_interrupted_prepare_keeps_its_finished_files_and_goes_on(tmp_path, monkeypatch):
    from extract.batch import files, prepare as preparing   # noqa: PLC0415 (the modules patched here)

    options = preparing.PrepareOptions(paths=[str(p) for p in REPORTS], out=tmp_path / "out", db=tmp_path / "s.db",
                                       llm=EndpointOptions(model="oracle", base_url="http://127.0.0.1:9/v1", mode="json"),
                                       max_lines=1)
    add, calls = files.BatchWriter.add, []

    def interrupted(self, *args):
        calls.append(args)
        if len(calls) == 3:
            raise KeyboardInterrupt
        add(self, *args)
    monkeypatch.setattr(files.BatchWriter, "add", interrupted)
    with pytest.raises(KeyboardInterrupt):
        preparing.prepare_batch(options)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["batch-0001.jsonl", "batch-0002.jsonl"]
    with Store(tmp_path / "s.db") as store:
        assert sorted(store.in_flight()) == sorted(c[0] for c in calls[:2])
    monkeypatch.setattr(files.BatchWriter, "add", add)
    again = preparing.prepare_batch(options)
    assert again.requests == len(REPORTS) - 2 and again.in_flight == 2
    assert [p.name for p in again.files] == [f"batch-000{n}.jsonl" for n in range(3, len(REPORTS) + 1)]


def test_an_error_file_fails_its_lines_and_they_are_prepared_again(tmp_path, capsys):
    golds = {_title(p): _gold(p) for p in REPORTS}
    broken = _title(REPORTS[1])
    db, out = tmp_path / "s.db", tmp_path / "out"
    with Oracle(golds) as oracle:
        def answer(body):
            if broken in "\n".join(str(m.get("content", "")) for m in body["messages"]):
                raise LookupError("the engine failed this line")
            return oracle_answer(oracle)(body)
        with BatchServer(answer) as server:
            (first,) = prepare(REPORTS, db, out)
            assert main(["batch", "submit", str(out), "--db", str(db), *provider(server)]) == 0
            assert main(["batch", "status", "--db", str(db), *provider(server)]) == 0
            capsys.readouterr()
            assert main(["batch", "collect", "--db", str(db), *provider(server)]) == 0
    said = capsys.readouterr().err
    assert f"{len(REPORTS) - 1} answered, 1 failed" in said and "HTTP 500: the engine failed this line" in said
    assert (first.parent / "batch-0001.err.jsonl").is_file() and (first.parent / "batch-0001.out.jsonl").is_file()
    again = prepare(REPORTS, db, out)
    texts = [json.loads(line)["body"]["messages"] for f in again for line in f.read_text(encoding="utf-8").splitlines()]
    assert any(broken in m["content"] for messages in texts for m in messages)


def _ends_its_process(*args):
    os._exit(1)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the request bodies are made in this process")
def test_the_process_making_the_bodies_ending_is_said_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(prepare_module, "template_of", _ends_its_process)   # the forked side process runs it
    assert main(["batch", "prepare", *map(str, REPORTS), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "s.db"),
                 "--base-url", "http://127.0.0.1:9/v1", *MODEL, "--workers", "2"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("govreport batch: the process that makes the request bodies with the LLM client ended")
