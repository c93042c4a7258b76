"""The LLM path, replayed from cassettes (record mode "none": no network, no server).

Cassettes in cassettes/pipeline/ were recorded from the real local server (llama.cpp, Gemma 3
270M); those in cassettes/synthetic/ are hand-made for what no local model gives on demand.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys

import httpx2
import pytest
from cassette_tools import CASSETTES, LOCAL, recorder, sample_cassette
from conftest import REPORTS, gold_for

from extract.cli import main
from extract.document import build_document
from extract.errors import UsageError
from extract.llm.client import LLMClient
from extract.llm.endpoint import extra_body_of, resolve_endpoint
from extract.llm.prompting import _NUMBER_SENTENCE, build_excerpt, build_messages, cache_key, number_sentences
from extract.llm.session import LLMSession
from extract.schedule import process_paths
from extract.store import Store
from extract.template.schema import answer_model

RECORDED = [p for p in REPORTS if sample_cassette(p.stem).exists()]


def _report(stem: str):
    return next(p for p in REPORTS if p.stem.startswith(stem))


def _run(path, db, cassette, client=None, force=False):
    from extract.settings import Settings
    with Store(db) as store, recorder("none").use_cassette(str(cassette)) as tape:
        (outcome,) = process_paths([path], store, store.begin_run([], {}), Settings(force=force),
                               llm=LLMSession(LOCAL, client))
        record = next(r for r in store.iter_results() if r["sha256"] == outcome.sha256)
        return outcome, record, tape.play_count


def _synthetic(name: str):
    return CASSETTES / "synthetic" / f"synthetic_{name}.yaml"


def test_a_correct_answer_agrees_everywhere_and_verifies(tmp_path):
    outcome, record, plays = _run(_report("004"), tmp_path / "a.db", _synthetic("correct_answer_004"))
    assert (outcome.llm_calls, plays) == (1, 1)
    assert record["status"] == "verified"
    assert set(record["confidence"].values()) == {"agree"}
    assert record["values"] == gold_for(_report("004"))["values"]


def test_a_source_that_breaks_a_relation_is_reasked_then_kept_as_printed(tmp_path):
    outcome, record, plays = _run(_report("003"), tmp_path / "a.db", _synthetic("correct_answer_003"))
    assert (outcome.llm_calls, plays) == (2, 2)  # the verifier's R4 issue made it re-ask, once
    assert record["values"]["litigation.direct.total"] == 44
    assert record["status"] == "source_inconsistent"


def test_a_rerun_makes_no_call(tmp_path):
    db = tmp_path / "a.db"
    first, _, _ = _run(_report("004"), db, _synthetic("correct_answer_004"))
    again, record, plays = _run(_report("004"), db, _synthetic("correct_answer_004"), force=True)
    assert (first.llm_calls, again.llm_calls, again.cache_hits, plays) == (1, 0, 1, 0)
    assert record["status"] == "verified"


@pytest.mark.parametrize("name,wait", [("429_retry_after", 2.0), ("503_then_answer", 1.0)])
def test_transport_faults_are_retried_honouring_retry_after(tmp_path, name, wait):
    sleeps: list[float] = []
    client = LLMClient(LOCAL, sleep=sleeps.append)
    outcome, record, plays = _run(_report("004"), tmp_path / "a.db", _synthetic(name), client)
    assert sleeps == [wait] and plays == 2
    assert record["status"] == "verified"


def _fake(handler, **endpoint):
    from dataclasses import replace
    sleeps: list[float] = []
    client = LLMClient(replace(LOCAL, **endpoint), http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
                       sleep=sleeps.append)
    document = build_document(_report("004").read_text("utf-8"))
    return client.ask(build_messages("2021", build_excerpt(document)), answer_model("2021")), sleeps


def test_timeouts_are_retried_within_a_bounded_budget():
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx2.ReadTimeout("timed out", request=request)

    answer, sleeps = _fake(handler, retries=3)
    assert answer.parsed is None and answer.error.startswith("transport failed")
    assert len(calls) == 4 and sleeps == [1.0, 2.0, 4.0]


def test_an_answer_cut_off_by_max_tokens_is_not_a_success():
    def handler(request):
        return httpx2.Response(200, json={
            "id": "x", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": "length", "message": {"role": "assistant", "content": '{"year": 20'}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})

    answer, _ = _fake(handler)
    assert answer.parsed is None and answer.error.startswith("truncated")
    assert answer.usage["completion_tokens"] == 5 and answer.response is not None


def test_client_errors_are_not_retried():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx2.Response(400, json={"error": {"message": "context_length_exceeded"}})

    answer, sleeps = _fake(handler)
    assert len(calls) == 1 and sleeps == [] and "BadRequest" in answer.error


@pytest.mark.parametrize("report", RECORDED, ids=[p.stem[:3] for p in RECORDED])
def test_recorded_model_never_makes_the_parsers_worse(report, tmp_path):
    """Replayed from the real tiny model: whatever it says, no cell the parsers get right changes."""
    outcome, record, plays = _run(report, tmp_path / "a.db", sample_cassette(report.stem))
    gold = gold_for(report)["values"]
    assert record["values"] == gold
    assert plays >= outcome.llm_calls >= 1  # a call may hold instructor's validation re-ask
    with Store(tmp_path / "a.db") as store:
        attempts = store._run("SELECT method, request, response, usage, latency_s FROM attempts "
                              "WHERE method LIKE 'llm%'").fetchall()
    assert len(attempts) == outcome.llm_calls
    for method, request, response, usage, latency in attempts:
        assert json.loads(request)["messages"] and latency > 0
        assert "sk-" not in request


def test_recorded_cassettes_hold_no_credentials():
    for path in CASSETTES.rglob("*.yaml"):
        text = path.read_text("utf-8").lower()
        assert "authorization" not in text and "bearer" not in text, path


def test_synthetic_cassettes_say_so():
    for path in (CASSETTES / "synthetic").glob("*.yaml"):
        assert "synthetic" in path.name and path.read_text("utf-8").startswith("# synthetic")


@pytest.mark.parametrize("env,on", [
    ({}, False),
    ({"OPENAI_API_KEY": "sk-x"}, False),                       # a key alone never starts paid calls
    ({"GOVREPORT_MODEL": "m"}, False),                         # a model with nowhere to send it
    ({"GOVREPORT_MODEL": "m", "OPENAI_API_KEY": "sk-x"}, True),
    ({"GOVREPORT_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:8765/v1"}, True),
])
def test_the_llm_is_on_only_when_configured(env, on):
    endpoint, why = resolve_endpoint(env=env)
    assert (endpoint is not None) == on
    assert why.startswith("LLM: on" if on else "LLM: off")


def test_an_extra_body_is_one_json_object_in_one_spelling_and_part_of_the_cache_key():
    assert extra_body_of('{ "seed": 7, "enable_thinking": false }') == '{"enable_thinking":false,"seed":7}'
    assert extra_body_of("{}") == ""
    for bad, says in (("{enable_thinking: false}", "not JSON"), ("[1]", "JSON object"), ('{"model": "x"}', "may not set model"),
                      ('{"a": NaN}', "not JSON"), ('{"a": -Infinity}', "not JSON"), ('{"a": 1e400}', "not JSON"),
                      ('{"a": "\\ud800"}', "not JSON"), ('{"n": 2}', "may not set n"),
                      ('{"max_completion_tokens": 9}', "may not set max_completion_tokens")):
        with pytest.raises(UsageError, match=says):
            extra_body_of(bad)
    env = {"GOVREPORT_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "GOVREPORT_EXTRA_BODY": '{"top_k": 1}'}
    endpoint, why = resolve_endpoint(env=env)
    assert endpoint is not None and endpoint.extra_body == '{"top_k":1}' and 'body adds {"top_k":1}' in why
    assert resolve_endpoint(env=env, extra_body='{"top_k": 2}')[0].extra_body == '{"top_k":2}'   # the flag first
    assert resolve_endpoint(env=env, extra_body="")[0].extra_body == ""                           # an empty one too
    plain = cache_key("a" * 64, "2021", "m", "tools", "extract")
    assert cache_key("a" * 64, "2021", "m", "tools", "extract", "") == plain   # answers cached before stay found
    assert cache_key("a" * 64, "2021", "m", "tools", "extract", '{"top_k":1}') != plain


def test_a_bad_extra_body_is_bad_usage_in_one_line(tmp_path, capsys):
    (tmp_path / "r.txt").write_text("x", encoding="utf-8")
    assert main(["extract", str(tmp_path / "r.txt"), "--db", str(tmp_path / "s.db"), "--model", "m",
                 "--base-url", "http://127.0.0.1:9/v1", "--extra-body", "{thinking}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govreport extract: the extra body is not JSON") and err.count("\n") == 1


def test_the_parsers_path_loads_no_llm_stack():
    code = ("import extract.cli, extract.process, verify, sys; "
            "print(any(m in sys.modules for m in ('openai', 'instructor', 'tenacity')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_cli_extract_with_the_llm_on_and_concurrent_jobs(tmp_path, capsys):

    folder = tmp_path / "in"
    folder.mkdir()
    for stem in ("003", "004"):
        (folder / _report(stem).name).write_bytes(_report(stem).read_bytes())
    args = ["extract", str(folder), "--db", str(tmp_path / "c.db"), "--base-url", LOCAL.base_url,
            "--model", LOCAL.model, "--llm-mode", "json", "--max-tokens", str(LOCAL.max_tokens),
            "--timeout", str(LOCAL.timeout_s), "--jobs", "2"]
    with recorder("none").use_cassette(str(_synthetic("correct_answers_003_004"))) as tape:
        assert main(args) == 0
        first = capsys.readouterr().err
        assert main(args + ["--force"]) == 0
        again = capsys.readouterr().err
        plays = tape.play_count
    assert "LLM: on" in first and "LLM: 3 calls (3 requests with retries, 0 failed), 0 cache hits" in first
    assert "LLM: 0 calls (0 requests with retries, 0 failed), 3 cache hits" in again and plays == 3
    assert "verified 1" in first and "source_inconsistent 1" in first


def test_the_number_sentences_are_the_patterns_matches_found_in_linear_time():
    """The excerpt's sentences that state numbers, found from each number word's sentence, are what
    the pattern finds searched from every position (texts of sentence ends, number words and digits)."""
    pieces = list("。;；\n 5件未收到发生受理a") + ["\t", "12", "共收到申请"]
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(40)))
        assert number_sentences(text) == [m.group().strip() for m in _NUMBER_SENTENCE.finditer(text)], text
    line = "本年共收到申请" * 2000 + "5件。"      # a one-line page: one sentence, found once
    assert number_sentences(line) == [line]
