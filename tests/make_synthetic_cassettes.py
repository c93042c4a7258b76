"""Write the hand-made ("synthetic") cassettes: what no local model produces on demand.

    python tests/make_synthetic_cassettes.py

A 429 with Retry-After, a 503, and correct full answers (the gold values of a sample). The
exchanges are served by a fake transport and recorded by vcrpy through the real client, so
their requests are byte-for-byte what the pipeline sends; each file says `synthetic` in its
name and in a comment at its top.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import httpx2  # noqa: E402
from cassette_tools import CASSETTES, LOCAL, recorder  # noqa: E402
from conftest import GOLD, REPORTS  # noqa: E402

from extract.llm.client import LLMClient  # noqa: E402
from extract.llm.session import LLMSession  # noqa: E402
from extract.schedule import process_paths  # noqa: E402
from extract.store import Store  # noqa: E402
from extract.template.schema import answer_of  # noqa: E402


def gold_answer(stem: str) -> dict:
    gold = json.loads(next(GOLD.glob(f"{stem}_*.json")).read_text("utf-8"))
    meta = gold["meta"]
    content = json.dumps(answer_of(meta["format"], gold["values"], meta["year"]), ensure_ascii=False)
    return {"id": "chatcmpl-synthetic", "object": "chat.completion", "created": 0, "model": LOCAL.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1500, "completion_tokens": 1400, "total_tokens": 2900}}


def record(name: str, docs: list[tuple[str, list[httpx2.Response]]], why: str) -> None:
    """Run the pipeline on each sample, its exchanges answered from `docs`, into one cassette."""
    path = CASSETTES / "synthetic" / f"synthetic_{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
        with recorder("all").use_cassette(str(path)):
            for stem, responses in docs:
                queue = list(responses)
                transport = httpx2.MockTransport(lambda request: queue.pop(0))
                client = LLMClient(LOCAL, http_client=httpx2.Client(transport=transport), sleep=lambda s: None)
                report = next(p for p in REPORTS if p.stem.startswith(stem))
                process_paths([report], store, store.begin_run([], {}), llm=LLMSession(LOCAL, client))
                assert not queue, f"{name}: {len(queue)} responses left unused"
    path.write_text(f"# synthetic: hand-written, not recorded from a model. {why}\n" + path.read_text("utf-8"),
                    encoding="utf-8")
    print(f"wrote {path.relative_to(CASSETTES.parent)}")


def main() -> None:
    ok = lambda stem: httpx2.Response(200, json=gold_answer(stem))  # noqa: E731
    record("correct_answer_004", [("004", [ok("004")])],
           "The gold values of sample 004 as the model's answer: what a capable model returns.")
    record("correct_answer_003", [("003", [ok("003"), ok("003")])],
           "Sample 003's gold, twice: the printed 行政诉讼 row breaks R4, so the verifier re-asks and the "
           "answer keeps the printed numbers.")
    record("correct_answers_003_004", [("003", [ok("003"), ok("003")]), ("004", [ok("004")])],
           "Both of the above in one cassette, for a run over several documents (--jobs).")
    record("429_retry_after", [("004", [httpx2.Response(429, headers={"retry-after": "2"},
                                                        json={"error": {"message": "Rate limit reached"}}), ok("004")])],
           "A 429 with Retry-After: 2, then the answer.")
    record("503_then_answer", [("004", [httpx2.Response(503, json={"error": {"message": "overloaded"}}), ok("004")])],
           "A 503 from an overloaded server, then the answer.")


if __name__ == "__main__":
    main()
