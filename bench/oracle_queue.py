"""What the LLM can add, measured with an oracle: every report of the shared corpus (every format)
and the samples run with the LLM on, answered from their gold by tests/oracle.py, perfect or with
a share of each answer's numbers changed.

    python bench/oracle_queue.py [--rounds N] [--changed SHARE] [--seed S]

Prints, per kind of answer: the gold cells equal in the records, the records trusted
(verified, source_inconsistent) that hold a wrong value, and of the reports whose gold has no
null (every cell determined by the source) how many are left in the queue. Exit 1 when a trusted
record holds a wrong value. Needs ../shared beside the checkout.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from material import REPO

sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import REPORTS, corpus_files, gold_path  # noqa: E402
from oracle import Oracle  # noqa: E402
from test_llm_oracle import _run, _title  # noqa: E402

TRUSTED = ("verified", "source_inconsistent")


def changed(share: float, rng: random.Random):
    """A noisy model: `share` of the answer's numbers (at least one) +1, a digit dropped, or 0."""
    def corrupt(_name: str, values: dict) -> dict:
        values = dict(values)
        keys = [k for k, v in values.items() if isinstance(v, int)]
        for key in rng.sample(keys, max(1, round(len(keys) * share))):
            v = values[key]
            values[key] = rng.choice([v + 1, v // 10 if v >= 10 else v + 2, 0 if v else 1])
        return values
    return corrupt


def measure(paths: list[Path], golds: dict, corrupt, rounds: int) -> dict:
    equal = total = wrong_trusted = 0
    queued: set[str] = set()
    determined = [p for p in paths if None not in golds[_title(p)]["values"].values()]
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as work, Oracle(golds, corrupt) as oracle:
            records = _run(paths, oracle, Path(work))
        for path in paths:
            record, gold = records[str(path)], golds[_title(path)]["values"]
            printed = {k: v for k, v in gold.items() if v is not None}
            total += len(printed)
            equal += sum(record["values"].get(k) == v for k, v in printed.items())
            if record["status"] in TRUSTED and any(v is not None and v != gold.get(k) for k, v in record["values"].items()):
                wrong_trusted += 1
            if path in determined and record["status"] in ("needs_review", "failed"):
                queued.add(path.stem)
    return {"cells": f"{equal}/{total}", "accuracy": round(equal / total, 4), "wrong_in_trusted_records": wrong_trusted,
            "determined": len(determined), "queued": sorted(queued)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds of noisy answers (default 10)")
    parser.add_argument("--changed", type=float, default=0.02, help="share of each noisy answer's numbers changed")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    paths = corpus_files("*.txt", "*.md", "*.html", "*.pdf") + REPORTS
    golds = {_title(p): json.loads(gold_path(p).read_text(encoding="utf-8")) for p in paths}
    results = {"perfect": measure(paths, golds, None, 1),
               f"{args.changed:.0%} changed": measure(paths, golds, changed(args.changed, random.Random(args.seed)),
                                                      args.rounds)}
    for kind, result in results.items():
        print(kind, json.dumps(result, ensure_ascii=False))
    return 1 if any(r["wrong_in_trusted_records"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
